// extractPhones: real-world-shaped numbers inside Russian/English/local sentences, and distractors
// that must not come out as phone numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPhones, normalizePhone } from '../src/phone/index.js';

interface Positive {
  text: string;
  region: string | null;
  /** The substring the match must cover in `text`. */
  raw: string;
  e164: string;
  country: string;
  type: string;
  ext?: string;
}

// Expected values come from the numbering plans (operator ranges, area codes), not from running
// the code: +7 9xx is a Russian mobile, +7 70x/747/77x Kazakh mobile, 495/812/343 Russian cities,
// 0151/0170/0176 German mobiles, 070/073 Swedish mobiles, 0664/0676 Austrian mobiles, and so on.
const POSITIVES: Positive[] = [
  // --- Russia ---
  { text: 'Позвони мне срочно: +7 928 123-45-67, жду.', region: null, raw: '+7 928 123-45-67', e164: '+79281234567', country: 'RU', type: 'mobile' },
  { text: 'Мой новый номер 8 (928) 123 45 67, старый не работает', region: 'RU', raw: '8 (928) 123 45 67', e164: '+79281234567', country: 'RU', type: 'mobile' },
  { text: 'тел89123456789 звони после шести', region: 'RU', raw: '89123456789', e164: '+79123456789', country: 'RU', type: 'mobile' },
  { text: 'звони+79161234567 срочно', region: null, raw: '+79161234567', e164: '+79161234567', country: 'RU', type: 'mobile' },
  { text: 'Офис: 8 (495) 123-45-67, с 9 до 18', region: 'RU', raw: '8 (495) 123-45-67', e164: '+74951234567', country: 'RU', type: 'fixed-line' },
  { text: 'Горячая линия 8 800 555 35 35, звонок бесплатный', region: 'RU', raw: '8 800 555 35 35', e164: '+78005553535', country: 'RU', type: 'toll-free' },
  { text: 'Запиши без восьмёрки: 9281234567', region: 'RU', raw: '9281234567', e164: '+79281234567', country: 'RU', type: 'mobile' },
  { text: 'Его номер 8-912-345-67-89, только не говори никому', region: 'RU', raw: '8-912-345-67-89', e164: '+79123456789', country: 'RU', type: 'mobile' },
  { text: 'Старый формат 8.912.345.67.89 тоже его', region: 'RU', raw: '8.912.345.67.89', e164: '+79123456789', country: 'RU', type: 'mobile' },
  { text: 'Пиши в ватсап +7(928)1234567', region: null, raw: '+7(928)1234567', e164: '+79281234567', country: 'RU', type: 'mobile' },
  { text: 'Секретарь: +7 (495) 987-65-43 доб. 123', region: null, raw: '+7 (495) 987-65-43 доб. 123', e164: '+74959876543', country: 'RU', type: 'fixed-line', ext: '123' },
  { text: 'Екатеринбург 8 (343) 123-45-67 домашний', region: 'RU', raw: '8 (343) 123-45-67', e164: '+73431234567', country: 'RU', type: 'fixed-line' },
  { text: 'Питер: 8 (812) 123-45-67', region: 'RU', raw: '8 (812) 123-45-67', e164: '+78121234567', country: 'RU', type: 'fixed-line' },
  { text: 'Грозный, рабочий +7 (8712) 22-33-44', region: null, raw: '+7 (8712) 22-33-44', e164: '+78712223344', country: 'RU', type: 'fixed-line' },
  { text: 'В вотсапе он 7 912 345 67 89', region: 'RU', raw: '7 912 345 67 89', e164: '+79123456789', country: 'RU', type: 'mobile' },
  { text: 'Брат звонил с 0079281234567 вчера', region: 'RU', raw: '0079281234567', e164: '+79281234567', country: 'RU', type: 'mobile' },
  { text: 'Берлинский номер 8 10 49 30 1234567, звонить вечером', region: 'RU', raw: '8 10 49 30 1234567', e164: '+49301234567', country: 'DE', type: 'fixed-line' },
  { text: 'Приёмная 8 (495) 123-45-67 вн. 12, спросить Олега', region: 'RU', raw: '8 (495) 123-45-67 вн. 12', e164: '+74951234567', country: 'RU', type: 'fixed-line', ext: '12' },
  { text: 'Платная линия 8 809 123 45 67', region: 'RU', raw: '8 809 123 45 67', e164: '+78091234567', country: 'RU', type: 'premium-rate' },
  { text: 'Иркутск: 8 (3952) 12-34-56', region: 'RU', raw: '8 (3952) 12-34-56', e164: '+73952123456', country: 'RU', type: 'fixed-line' },
  // --- Kazakhstan (+7 shared with Russia) ---
  { text: 'Казахстан, мобильный +7 701 123 4567', region: null, raw: '+7 701 123 4567', e164: '+77011234567', country: 'KZ', type: 'mobile' },
  { text: 'У сестры казахский номер 8 701 123 45 67', region: 'RU', raw: '8 701 123 45 67', e164: '+77011234567', country: 'KZ', type: 'mobile' },
  { text: 'Астана, офис 8 (7172) 12-34-56', region: 'KZ', raw: '8 (7172) 12-34-56', e164: '+77172123456', country: 'KZ', type: 'fixed-line' },
  { text: 'Алматы городской +7 727 258 12 34', region: null, raw: '+7 727 258 12 34', e164: '+77272581234', country: 'KZ', type: 'fixed-line' },
  { text: 'Kcell: 8 777 123 45 67', region: 'KZ', raw: '8 777 123 45 67', e164: '+77771234567', country: 'KZ', type: 'mobile' },
  { text: 'Actually his number is +7 705 123 45 67 (Beeline KZ)', region: null, raw: '+7 705 123 45 67', e164: '+77051234567', country: 'KZ', type: 'mobile' },
  // --- Germany ---
  { text: 'Handy: 0151 23456789', region: 'DE', raw: '0151 23456789', e164: '+4915123456789', country: 'DE', type: 'mobile' },
  { text: 'Büro +49 (0)30 1234567, Mo–Fr', region: null, raw: '+49 (0)30 1234567', e164: '+49301234567', country: 'DE', type: 'fixed-line' },
  { text: 'Tel. 030/1234567 (Zentrale)', region: 'DE', raw: '030/1234567', e164: '+49301234567', country: 'DE', type: 'fixed-line' },
  { text: 'Ruf mich an unter 0170 1234567!', region: 'DE', raw: '0170 1234567', e164: '+491701234567', country: 'DE', type: 'mobile' },
  { text: 'Его немецкий номер +49 1512 3456789', region: null, raw: '+49 1512 3456789', e164: '+4915123456789', country: 'DE', type: 'mobile' },
  { text: 'Sein Handy: 0049 171 1234567', region: 'RU', raw: '0049 171 1234567', e164: '+491711234567', country: 'DE', type: 'mobile' },
  { text: 'Мой немецкий мобильный 0176 12345678, пиши туда', region: 'DE', raw: '0176 12345678', e164: '+4917612345678', country: 'DE', type: 'mobile' },
  { text: 'München: 089 12345678', region: 'DE', raw: '089 12345678', e164: '+498912345678', country: 'DE', type: 'fixed-line' },
  // --- Sweden ---
  { text: 'Ring mig på 070-123 45 67 efter fem', region: 'SE', raw: '070-123 45 67', e164: '+46701234567', country: 'SE', type: 'mobile' },
  { text: 'Kontoret: 08-123 456 78', region: 'SE', raw: '08-123 456 78', e164: '+46812345678', country: 'SE', type: 'fixed-line' },
  { text: 'Шведский номер +46 70 123 45 67', region: null, raw: '+46 70 123 45 67', e164: '+46701234567', country: 'SE', type: 'mobile' },
  { text: 'Min nya mobil är 073-123 45 67', region: 'SE', raw: '073-123 45 67', e164: '+46731234567', country: 'SE', type: 'mobile' },
  // --- Austria ---
  { text: 'Handy 0664 1234567, bitte zurückrufen', region: 'AT', raw: '0664 1234567', e164: '+436641234567', country: 'AT', type: 'mobile' },
  { text: 'Wien: +43 1 234567', region: null, raw: '+43 1 234567', e164: '+431234567', country: 'AT', type: 'fixed-line' },
  { text: 'Neue Nummer: 0676 1234567', region: 'AT', raw: '0676 1234567', e164: '+436761234567', country: 'AT', type: 'mobile' },
  { text: 'Graz +43 316 123456', region: null, raw: '+43 316 123456', e164: '+43316123456', country: 'AT', type: 'fixed-line' },
  // --- France ---
  { text: 'Appelle-moi au 06 12 34 56 78 ce soir', region: 'FR', raw: '06 12 34 56 78', e164: '+33612345678', country: 'FR', type: 'mobile' },
  { text: 'Son numéro français +33 6 12 34 56 78', region: null, raw: '+33 6 12 34 56 78', e164: '+33612345678', country: 'FR', type: 'mobile' },
  { text: 'Bureau : 01 23 45 67 89', region: 'FR', raw: '01 23 45 67 89', e164: '+33123456789', country: 'FR', type: 'fixed-line' },
  { text: 'Nouveau portable 07 81 23 45 67', region: 'FR', raw: '07 81 23 45 67', e164: '+33781234567', country: 'FR', type: 'mobile' },
  // --- Turkey ---
  { text: 'Beni ara 0532 123 45 67', region: 'TR', raw: '0532 123 45 67', e164: '+905321234567', country: 'TR', type: 'mobile' },
  { text: 'Турецкий номер +90 532 123 4567', region: null, raw: '+90 532 123 4567', e164: '+905321234567', country: 'TR', type: 'mobile' },
  { text: 'İstanbul ofis 0212 123 45 67', region: 'TR', raw: '0212 123 45 67', e164: '+902121234567', country: 'TR', type: 'fixed-line' },
  // --- Norway ---
  { text: 'Ring meg på 412 34 567', region: 'NO', raw: '412 34 567', e164: '+4741234567', country: 'NO', type: 'mobile' },
  { text: 'Sentralbord +47 22 12 34 56', region: null, raw: '+47 22 12 34 56', e164: '+4722123456', country: 'NO', type: 'fixed-line' },
  { text: 'Норвежский +47 412 34 567', region: null, raw: '+47 412 34 567', e164: '+4741234567', country: 'NO', type: 'mobile' },
  // --- Belgium ---
  { text: 'Bel me op 0470 12 34 56', region: 'BE', raw: '0470 12 34 56', e164: '+32470123456', country: 'BE', type: 'mobile' },
  { text: 'Brussel kantoor +32 2 223 45 67', region: null, raw: '+32 2 223 45 67', e164: '+3222234567', country: 'BE', type: 'fixed-line' },
  { text: 'Bureau à Bruxelles 02 223 45 67', region: 'BE', raw: '02 223 45 67', e164: '+3222234567', country: 'BE', type: 'fixed-line' },
  // --- UK and Crown dependencies ---
  { text: 'UK office +44 20 7946 0958', region: null, raw: '+44 20 7946 0958', e164: '+442079460958', country: 'GB', type: 'fixed-line' },
  { text: 'Guernsey mobile +44 7911 123456', region: null, raw: '+44 7911 123456', e164: '+447911123456', country: 'GG', type: 'mobile' },
  // --- others, scripts, invisible characters ---
  { text: 'Call me at +1 (212) 555-1234 ext. 45 tomorrow', region: null, raw: '+1 (212) 555-1234 ext. 45', e164: '+12125551234', country: 'US', type: 'fixed-line-or-mobile', ext: '45' },
  { text: 'US toll free 1-800-555-1234', region: 'US', raw: '1-800-555-1234', e164: '+18005551234', country: 'US', type: 'toll-free' },
  { text: 'Мамин украинский +380 67 123 4567', region: null, raw: '+380 67 123 4567', e164: '+380671234567', country: 'UA', type: 'mobile' },
  { text: 'Белорусский номер +375 29 123-45-67', region: null, raw: '+375 29 123-45-67', e164: '+375291234567', country: 'BY', type: 'mobile' },
  { text: 'Украинский через 00: 0038 067 123 45 67', region: 'RU', raw: '0038 067 123 45 67', e164: '+380671234567', country: 'UA', type: 'mobile' },
  { text: 'Грузинский +995 555 12 34 56', region: null, raw: '+995 555 12 34 56', e164: '+995555123456', country: 'GE', type: 'mobile' },
  { text: 'Ташкент +998 90 123 45 67', region: null, raw: '+998 90 123 45 67', e164: '+998901234567', country: 'UZ', type: 'mobile' },
  { text: 'شماره من ۰۹۱۲ ۳۴۵ ۶۷۸۹ است', region: 'IR', raw: '۰۹۱۲ ۳۴۵ ۶۷۸۹', e164: '+989123456789', country: 'IR', type: 'mobile' },
  { text: 'Arabic-Indic digits: +٧ ٩٢٨ ١٢٣ ٤٥ ٦٧', region: null, raw: '+٧ ٩٢٨ ١٢٣ ٤٥ ٦٧', e164: '+79281234567', country: 'RU', type: 'mobile' },
  { text: 'full width ＋７ ９２８ １２３ ４５ ６７ in a sentence', region: 'DE', raw: '＋７ ９２８ １２３ ４５ ６７', e164: '+79281234567', country: 'RU', type: 'mobile' },
  { text: 'Bidi-wrapped \u202A+7 928 123-45-67\u202C from WhatsApp', region: null, raw: '+7 928 123-45-67', e164: '+79281234567', country: 'RU', type: 'mobile' },
  { text: 'С пробелами NBSP: 8\u00A0928\u00A0123\u00A045\u00A067', region: 'RU', raw: '8\u00A0928\u00A0123\u00A045\u00A067', e164: '+79281234567', country: 'RU', type: 'mobile' },
  { text: 'Number glued to a Latin word: tel89123456789', region: 'RU', raw: '89123456789', e164: '+79123456789', country: 'RU', type: 'mobile' },
  { text: 'С невидимым знаком: 8\u200E928\u200B1234567', region: 'RU', raw: '8\u200E928\u200B1234567', e164: '+79281234567', country: 'RU', type: 'mobile' },
];

test('positives: at least 60 real-world-shaped cases', () => {
  assert.ok(POSITIVES.length >= 60, `only ${POSITIVES.length} cases`);
});

for (const c of POSITIVES) {
  test(`finds ${JSON.stringify(c.raw)} in ${JSON.stringify(c.text)} (region ${c.region})`, () => {
    const found = extractPhones(c.text, { region: c.region });
    assert.equal(found.length, 1, `expected one match, got ${JSON.stringify(found.map((m) => m.raw))}`);
    const m = found[0]!;
    assert.equal(m.e164, c.e164);
    assert.equal(m.country, c.country);
    assert.equal(m.type, c.type);
    assert.equal(m.valid, true);
    assert.equal(m.reason, 'valid pattern');
    assert.equal(m.raw, c.raw);
    assert.equal(c.text.slice(m.start, m.end), c.raw, 'start/end point into the original text');
    assert.equal(m.ext, c.ext ?? null);
    assert.ok(m.countries.includes(c.country));
    const international = /^(\+|00|8 10 )/.test(c.raw.normalize('NFKC'));
    assert.equal(m.regionUsed, international ? null : c.region, 'regionUsed');
  });
}

test('several numbers in one message keep their order and offsets', () => {
  const text = 'Звони 8 (928) 123-45-67 или +49 30 1234567, а лучше 8 701 123 45 67.';
  const found = extractPhones(text, { region: 'RU' });
  assert.deepEqual(
    found.map((m) => [m.e164, m.country, text.slice(m.start, m.end)]),
    [
      ['+79281234567', 'RU', '8 (928) 123-45-67'],
      ['+49301234567', 'DE', '+49 30 1234567'],
      ['+77011234567', 'KZ', '8 701 123 45 67'],
    ],
  );
});

test('00 and 810 inside a number are digits, not an international prefix', () => {
  for (const [text, e164] of [
    ['+7 (928) 810-12-34', '+79288101234'],
    ['8 (928) 810-12-34', '+79288101234'],
    ['8 (495) 001-23-45', '+74950012345'],
    ['8(495)001-23-45', '+74950012345'],
    ['+7 928 123 00 12', '+79281230012'],
    ['8 928 810 12 34', '+79288101234'],
  ] as const) {
    assert.deepEqual(extractPhones(text, { region: 'RU' }).map((m) => m.e164), [e164], text);
    assert.equal(normalizePhone(text, { region: 'RU' })?.e164, e164, text);
  }
});

test('lists: comma, semicolon and slash between numbers separate them (not a dialler extension)', () => {
  for (const text of [
    'Звони 89281234567,89161234567',
    'тел: 8-928-123-45-67; 8-916-123-45-67',
    '89281234567/89161234567',
    '+7-928-123-45-67, +7-916-123-45-67',
  ]) {
    const found = extractPhones(text, { region: 'RU' });
    assert.deepEqual(found.map((m) => [m.e164, m.ext]), [['+79281234567', null], ['+79161234567', null]], text);
  }
  // A real labelled extension after a comma is still an extension.
  const [m] = extractPhones('Офис +7 495 123-45-67, доб. 204', { region: 'RU' });
  assert.equal(m?.ext, '204');
});

test('brackets: an opening bracket belongs to the match only when it is closed inside it', () => {
  const a = '(+7 928 123 45 67)';
  const [m1] = extractPhones(a, { region: null });
  assert.equal(m1?.raw, '+7 928 123 45 67');
  assert.equal(m1?.regionUsed, null);
  const [m2] = extractPhones('Звони (495) 123-45-67', { region: 'RU' });
  assert.equal(m2?.raw, '(495) 123-45-67');
  assert.equal(m2?.e164, '+74951234567');
});

test('a phone word wins over a following № or #', () => {
  assert.deepEqual(
    extractPhones('Номер телефона № 89281234567', { region: 'RU' }).map((m) => m.e164),
    ['+79281234567'],
  );
  assert.deepEqual(extractPhones('Phone #: +44 20 7946 0958', { region: null }).map((m) => m.e164), ['+442079460958']);
});

test('offsets are UTF-16 offsets: astral characters before the number shift them by two', () => {
  const text = '😡😡 угроза: +7 928 123-45-67';
  const [m] = extractPhones(text, { region: null });
  assert.ok(m);
  assert.equal(m.start, text.indexOf('+'));
  assert.equal(text.slice(m.start, m.end), '+7 928 123-45-67');
});

test('without a region only numbers written with +, 00 or 8 10 are found', () => {
  const text = 'Мой 8 (928) 123-45-67, его +7 916 123 45 67, ее 0049 30 1234567';
  assert.deepEqual(
    extractPhones(text, { region: null }).map((m) => m.e164),
    ['+79161234567', '+49301234567'],
  );
});

test('the region decides how a national number is read, never a + number', () => {
  const text = 'Handy 0151 23456789, russisch +7 928 123-45-67';
  const de = extractPhones(text, { region: 'DE' }).map((m) => m.e164);
  const ru = extractPhones(text, { region: 'RU' }).map((m) => m.e164);
  assert.deepEqual(de, ['+4915123456789', '+79281234567']);
  assert.deepEqual(ru, ['+79281234567']);
});

test('leniency is VALID: a possible-length number that matches no pattern is not extracted', () => {
  // +7 1xx does not exist in the Russian plan; +32 2 1xx xx xx is not a Brussels pattern.
  assert.deepEqual(extractPhones('номер +7 123 456-78-90 не существует', { region: 'RU' }), []);
  assert.deepEqual(extractPhones('kantoor +32 2 123 45 67', { region: 'BE' }), []);
});

test('an unknown region is an error, not a silent "no region"', () => {
  assert.throws(() => extractPhones('8 928 123 45 67', { region: 'XX' }), RangeError);
});

// --- negatives --------------------------------------------------------------------------------

const NEGATIVES: Array<[what: string, text: string]> = [
  ['date dd.mm.yyyy', 'Встречаемся 12.03.2022 в 10:15 у входа.'],
  ['ISO date', 'Дата заседания: 2022-03-12, время 18:30'],
  ['date with time', 'Отправлено 12/03/2022 10:15, ответа нет'],
  ['ISO timestamp', 'Logged at 2022-03-12T10:15:00 by the server'],
  ['time with seconds', 'Звонок был в 10:15:30 ночью'],
  ['IP address', 'Сервер 192.168.10.254 недоступен с утра'],
  ['INN 10 digits', 'ИНН 7707083893, КПП 773601001 — реквизиты ООО'],
  ['INN/KPP pair', 'Реквизиты: ИНН/КПП 7707083893/773601001'],
  ['INN 12 digits', 'ИНН физлица 500100732259 указан в договоре'],
  ['OGRN', 'ОГРН 1027700132195 от 2002 года'],
  ['OGRNIP', 'ОГРНИП 304500116000157 — это ИП Иванов'],
  ['SNILS', 'Его СНИЛС 112-233-445 95, передай в отдел кадров'],
  ['SNILS without the word', 'Номер 123-456-789 01 не подходит'],
  ['card 4-4-4-4', 'Номер карты 4276 3800 1234 5678, переведи туда'],
  ['card unbroken, Luhn-valid', 'Кидай на 4111111111111111 до вечера'],
  ['card with dashes', 'card 5469-3800-1234-5678 expires 12/25'],
  ['IBAN', 'Pay to IBAN DE89 3704 0044 0532 0130 00 please'],
  ['order number', 'Ваш заказ №12345678901234 доставлен'],
  ['order #', 'Your order #9281234567 has shipped'],
  ['request number shaped like a mobile', 'Номер заявки 9281234567, ждите звонка'],
  ['tracking number', 'Трек RA123456789RU, отслеживай на почте'],
  ['year range', 'Работал там 1999-2005, потом уехал'],
  ['year range with en dash', 'С 2014–2022 жил в Берлине'],
  ['price in roubles', 'Квартира стоит 1 500 000 руб, торг'],
  ['price in dollars', 'The price was $1,250,000 in total'],
  ['price in euros', 'Цена € 2.500 за месяц'],
  ['price with ₽', 'Перевёл 12 345,67 ₽ вчера'],
  ['passport', 'Паспорт 4510 123456 выдан ОВД Тверского района'],
  ['passport with серия/№', 'паспорт серия 4510 № 123456'],
  ['coordinates', 'Координаты 55.7558, 37.6173 — это Кремль'],
  ['long digit run', 'Транзакция 89161234567890123 прошла успешно'],
  ['13-digit run valid in DE', 'Ticket 4951234567891 closed'],
  ['account number', 'Счёт 40817810099910004312 в Сбере'],
  ['BIK', 'БИК 044525225, корр. счёт'],
  ['Telegram id', 'его ID 7012345678 в телеге'],
  // AT and DE patterns accept both as national numbers.
  ['Unix time', 'message_id 4821 отправлено 1640170800'],
  ['Unix time in a log line', 'last_seen=1712345678 status=online'],
];

const REGIONS = ['RU', 'KZ', 'DE', 'SE', 'AT', 'FR', 'TR', 'NO', 'BE', 'GB', 'US', null];

test('negatives: at least 20', () => {
  assert.ok(NEGATIVES.length >= 20);
});

for (const [what, text] of NEGATIVES) {
  test(`not a phone: ${what}`, () => {
    for (const region of REGIONS) {
      const found = extractPhones(text, { region });
      assert.deepEqual(
        found.map((m) => m.raw),
        [],
        `region ${region}: ${JSON.stringify(text)} gave ${JSON.stringify(found.map((m) => m.raw))}`,
      );
    }
    // The filter is local to the distractor: a real number in the same message still comes out.
    const withPhone = `${text} Звони +7 928 123-45-67.`;
    const found = extractPhones(withPhone, { region: 'RU' });
    assert.deepEqual(
      found.map((m) => m.e164),
      ['+79281234567'],
      `control: ${JSON.stringify(withPhone)}`,
    );
  });
}

test('a 10-digit run starting with 1 stays a number alone, after a phone word, or formatted', () => {
  // São Paulo landlines: (11) 3333-4444.
  const br = (text: string) => extractPhones(text, { region: 'BR' }).map((m) => m.e164);
  assert.deepEqual(br('1133334444'), ['+551133334444']);
  for (const text of ['tel. 1133334444', 'Telefone: 1133334444 (escritório)', 'me liga no cel 1133334444', 'liga (11) 3333-4444 amanhã', 'liga 11 3333-4444 amanhã']) {
    assert.deepEqual(br(text), ['+551133334444'], text);
  }
  assert.deepEqual(br('enviado 1133334444 ok'), [], 'bare, in running text: a Unix time (2005-12-06)');
  assert.deepEqual(extractPhones('Handy 1712345678, ruf an', { region: 'DE' }).map((m) => m.e164), ['+491712345678']);
});

test('a real phone right after a money amount or a card word survives', () => {
  assert.deepEqual(
    extractPhones('Переведи 500 руб на номер 8 928 123-45-67', { region: 'RU' }).map((m) => m.e164),
    ['+79281234567'],
  );
  // Transfers "на карту" by phone number (SBP) are common; a phone-length number after "карту" is a phone.
  assert.deepEqual(
    extractPhones('Кидай на карту 89281234567 через СБП', { region: 'RU' }).map((m) => m.e164),
    ['+79281234567'],
  );
  assert.deepEqual(
    extractPhones('ИНН 7707083893, тел. 8 (495) 123-45-67', { region: 'RU' }).map((m) => m.e164),
    ['+74951234567'],
  );
});

test('messages without enough digits are skipped cheaply and return []', () => {
  assert.deepEqual(extractPhones('Мы знаем, где ты живёшь. 1234', { region: 'RU' }), []);
  assert.deepEqual(extractPhones('', { region: 'RU' }), []);
});
