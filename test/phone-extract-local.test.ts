// extractPhones outside Russia: numbers glued to words in any language, French/Austrian/Belgian
// numbers inside Russian and English text, click-to-chat links, brackets and bracketed extensions,
// and digits in local-language text that are not phone numbers (file names, prices, ranges,
// order and invoice numbers, personal numbers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPhones } from '../src/phone/index.js';

interface Case {
  text: string;
  region: string | null;
  raw: string;
  e164: string;
  country: string;
  type: string;
}

// Expected values from the numbering plans: 0151/0664/070/0470/0532 are the German, Austrian,
// Swedish, Belgian and Turkish mobile ranges; 06/07 French mobiles; +43 1 Vienna, +32 2 Brussels,
// +32 3 Antwerp, 01 Paris.
const GLUED: Case[] = [
  { text: 'Handy0151 23456789', region: 'DE', raw: '0151 23456789', e164: '+4915123456789', country: 'DE', type: 'mobile' },
  { text: 'Handy0664 1234567', region: 'AT', raw: '0664 1234567', e164: '+436641234567', country: 'AT', type: 'mobile' },
  { text: 'Vasya89281234567', region: 'RU', raw: '89281234567', e164: '+79281234567', country: 'RU', type: 'mobile' },
  { text: 'Mobil070-123 45 67', region: 'SE', raw: '070-123 45 67', e164: '+46701234567', country: 'SE', type: 'mobile' },
  { text: 'GSM0470 12 34 56', region: 'BE', raw: '0470 12 34 56', e164: '+32470123456', country: 'BE', type: 'mobile' },
  { text: 'Cep0532 123 45 67', region: 'TR', raw: '0532 123 45 67', e164: '+905321234567', country: 'TR', type: 'mobile' },
  { text: 'Portable06 12 34 56 78 le soir', region: 'FR', raw: '06 12 34 56 78', e164: '+33612345678', country: 'FR', type: 'mobile' },
  { text: 'Mobil41234567 etter kl. 17', region: 'NO', raw: '41234567', e164: '+4741234567', country: 'NO', type: 'mobile' },
  { text: 'WhatsApp+4915123456789 schreiben', region: null, raw: '+4915123456789', e164: '+4915123456789', country: 'DE', type: 'mobile' },
];

const IN_RUSSIAN_AND_ENGLISH: Case[] = [
  { text: 'Его французский номер 06 12 34 56 78, звони вечером', region: 'FR', raw: '06 12 34 56 78', e164: '+33612345678', country: 'FR', type: 'mobile' },
  { text: 'Во Франции он на +33 7 81 23 45 67, пиши туда', region: null, raw: '+33 7 81 23 45 67', e164: '+33781234567', country: 'FR', type: 'mobile' },
  { text: 'Call the Paris office on 01 23 45 67 89 tomorrow', region: 'FR', raw: '01 23 45 67 89', e164: '+33123456789', country: 'FR', type: 'fixed-line' },
  { text: 'Австрийский мобильный 0664 1234567 — это его', region: 'AT', raw: '0664 1234567', e164: '+436641234567', country: 'AT', type: 'mobile' },
  { text: 'Text me on +43 676 1234567 tonight', region: null, raw: '+43 676 1234567', e164: '+436761234567', country: 'AT', type: 'mobile' },
  { text: 'В Вене звони на 01 234567, это офис', region: 'AT', raw: '01 234567', e164: '+431234567', country: 'AT', type: 'fixed-line' },
  { text: 'Бельгийский номер 0470 12 34 56, пиши туда', region: 'BE', raw: '0470 12 34 56', e164: '+32470123456', country: 'BE', type: 'mobile' },
  { text: 'The Antwerp office is +32 3 234 56 78, ask for Jan', region: null, raw: '+32 3 234 56 78', e164: '+3232345678', country: 'BE', type: 'fixed-line' },
  { text: 'He moved to Brussels, new number 0487 65 43 21', region: 'BE', raw: '0487 65 43 21', e164: '+32487654321', country: 'BE', type: 'mobile' },
];

for (const c of [...GLUED, ...IN_RUSSIAN_AND_ENGLISH]) {
  test(`finds ${JSON.stringify(c.raw)} in ${JSON.stringify(c.text)} (region ${c.region})`, () => {
    const found = extractPhones(c.text, { region: c.region });
    assert.deepEqual(
      found.map((m) => [m.raw, m.e164, m.country, m.type, m.valid]),
      [[c.raw, c.e164, c.country, c.type, true]],
    );
    assert.equal(c.text.slice(found[0]!.start, found[0]!.end), c.raw);
  });
}

test('letters and digits alternating in a code are not a word glued to a number', () => {
  for (const region of ['RU', 'DE', 'AT', 'SE', 'FR', 'BE', 'TR', 'NO', 'KZ', 'US', 'GB']) {
    for (const text of ['Seriennummer R58N123456789', 'Modell SM-G991B', 'Sendung RA123456789RU', 'его ID7012345678']) {
      assert.deepEqual(extractPhones(text, { region }).map((m) => m.raw), [], `${region}: ${text}`);
    }
  }
});

test('click-to-chat links carry an international number under any region', () => {
  for (const region of [null, 'RU', 'DE', 'US', 'SE']) {
    for (const [text, raw] of [
      ['пиши сюда wa.me/79281234567', '79281234567'],
      ['https://wa.me/79281234567?text=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82', '79281234567'],
      ['https://api.whatsapp.com/send?phone=79281234567&text=hi', '79281234567'],
      ['api.whatsapp.com/send/?text=hallo&phone=4915123456789', '4915123456789'],
    ] as const) {
      const found = extractPhones(text, { region });
      assert.deepEqual(found.map((m) => [m.raw, m.regionUsed]), [[raw, null]], `${region}: ${text}`);
      assert.equal(text.slice(found[0]!.start, found[0]!.end), raw);
    }
  }
});

test('an unclosed square bracket is not part of the number; a bracketed extension is', () => {
  assert.deepEqual(extractPhones('[+79281234567]', { region: null }).map((m) => m.raw), ['+79281234567']);
  assert.deepEqual(extractPhones('номер [8 928 123-45-67] сохрани', { region: 'RU' }).map((m) => m.raw), ['8 928 123-45-67']);
  const [m] = extractPhones('Офис 8 495 123 45 67 (доб. 204), после обеда', { region: 'RU' });
  assert.deepEqual([m?.raw, m?.ext, m?.e164], ['8 495 123 45 67 (доб. 204)', '204', '+74951234567']);
  const [n] = extractPhones('(Приёмная 8 495 123 45 67 доб. 12)', { region: 'RU' });
  assert.deepEqual([n?.raw, n?.ext], ['8 495 123 45 67 доб. 12', '12']);
});

// --- negatives in local languages -----------------------------------------------------------

/** A real number written the local way, to show the filter is local to the distractor. */
const CONTROL: Record<string, [text: string, e164: string]> = {
  RU: ['Звони 8 928 123-45-67.', '+79281234567'],
  KZ: ['Звони 8 701 123 45 67.', '+77011234567'],
  DE: ['Ruf mich an: 0151 23456789.', '+4915123456789'],
  AT: ['Handy 0664 1234567.', '+436641234567'],
  SE: ['Ring 070-123 45 67.', '+46701234567'],
  NO: ['Ring meg på 412 34 567.', '+4741234567'],
  FR: ['Appelle au 06 12 34 56 78.', '+33612345678'],
  BE: ['Bel 0470 12 34 56.', '+32470123456'],
  TR: ['Beni ara 0532 123 45 67.', '+905321234567'],
};
const EVERYWHERE = Object.keys(CONTROL);

const NEGATIVES: Array<[what: string, text: string, regions: string[]]> = [
  ['WhatsApp image file name', 'Schau dir IMG-20220312-WA0001.jpg an', EVERYWHERE],
  ['screenshot file name', 'Screenshot_20220312-140533.png hab ich gespeichert', EVERYWHERE],
  ['camera file name', 'Bild IMG_20220312_140533.jpg ist unscharf', EVERYWHERE],
  ['price in Euro, German', 'Das Haus kostet 1.250.000 Euro', ['DE', 'AT', 'BE', 'FR']],
  ['price in EUR after', 'Kaufpreis 1.250.000 EUR verhandelbar', ['DE', 'AT', 'BE', 'FR']],
  ['price in EUR before', 'Kaufpreis EUR 1.250.000 verhandelbar', ['DE', 'AT', 'BE', 'FR']],
  ['price in €', 'Prix : 1 250 000 € net vendeur', ['FR', 'BE', 'DE', 'AT']],
  ['price in EURO upper case', 'Wohnung 350 000 EURO', ['AT', 'DE']],
  ['price in TL', 'Daire fiyatı 1.250.000 TL pazarlık var', ['TR']],
  ['price in lira', 'Arabayı 1.250.000 lira verdi', ['TR']],
  ['price in kronor', 'Lägenheten kostar 3 450 000 kronor', ['SE', 'NO']],
  ['price in kr', 'Huset gikk for 4 250 000 kr i fjor', ['NO', 'SE']],
  ['price in tenge', 'Kvartira 25 000 000 tenge, torg bar', ['KZ', 'RU']],
  ['date range', 'Gültig vom 01.01.2020-31.12.2021, danach neu', ['DE', 'AT', 'BE']],
  ['season 2019/2020', 'Die Saison 2019/2020 war schwierig', EVERYWHERE],
  ['season 2019-20', 'In der Saison 2019-20 spielte er in Wien', EVERYWHERE],
  ['opening hours, Swedish', 'Öppet 9.00-18.00 vardagar', ['SE', 'NO', 'DE', 'AT']],
  ['opening hours, German', 'Geöffnet 09.00 – 18.00 Uhr', ['DE', 'AT', 'SE']],
  ['Bestellnummer', 'Ihre Bestellnummer 0301234567 wurde versandt', ['DE', 'AT']],
  ['Rechnung Nr.', 'Rechnung Nr. 0301234567 ist fällig', ['DE', 'AT']],
  ['Auftrag', 'Auftrag 06641234567 ist erledigt', ['AT', 'DE']],
  ['Kundennummer', 'Ihre Kunden-Nr.: 0151234567', ['DE', 'AT']],
  ['commande', 'Votre commande n° 0612345678 est expédiée', ['FR', 'BE']],
  ['facture', 'Facture 0123456789 à payer avant vendredi', ['FR', 'BE']],
  ['ordernummer', 'Ditt ordernummer är 0701234567', ['SE', 'NO']],
  ['sipariş no', 'Sipariş no: 05321234567 kargoya verildi', ['TR']],
  ['fatura', 'Fatura numarası 02121234567 ödendi', ['TR']],
  ['Swedish personnummer', 'Mitt personnummer är 800101-1234', ['SE', 'RU', 'NO']],
  ['UUID', 'Vorgang 550e8400-e29b-41d4-a716-446655440000 offen', EVERYWHERE],
];

for (const [what, text, regions] of NEGATIVES) {
  test(`not a phone (${regions.join(', ')}): ${what}`, () => {
    for (const region of regions) {
      const found = extractPhones(text, { region });
      assert.deepEqual(found.map((m) => m.raw), [], `region ${region}: ${JSON.stringify(text)} gave ${JSON.stringify(found.map((m) => [m.raw, m.e164]))}`);
      const [control, e164] = CONTROL[region]!;
      const withPhone = `${text} ${control}`;
      assert.deepEqual(extractPhones(withPhone, { region }).map((m) => m.e164), [e164], `control under ${region}: ${withPhone}`);
    }
  });
}
