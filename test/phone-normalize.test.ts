// normalizePhone and its traps (full-width plus, 00 with RU, 8 10, KZ under +7, GG vs GB, scripts,
// invisible characters), plus looksLikePhone, inferRegion, phonesFromVCard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  extractPhones,
  inferRegion,
  looksLikePhone,
  normalizePhone,
  phonesFromVCard,
  splitExtension,
  type PhoneFact,
} from '../src/phone/index.js';

function must(raw: string, region: string | null = null): PhoneFact {
  const fact = normalizePhone(raw, { region });
  assert.ok(fact, `normalizePhone(${JSON.stringify(raw)}, ${region}) returned null`);
  return fact;
}

// --- one number, many spellings -------------------------------------------------------------

const SAME_NUMBER = [
  '+7 928 123-45-67',
  '8 (928) 123 45 67',
  '89281234567',
  '+7(928)1234567',
  '＋７ ９２８ １２３ ４５ ６７',
  '0079281234567',
  '9281234567',
  '7 928 123 45 67',
  '8 10 7 928 123 45 67',
  '\u202A+7 928 123-45-67\u202C',
  '+٧ ٩٢٨ ١٢٣ ٤٥ ٦٧',
  '8-928-123-45-67',
];

test('the same number written many ways normalizes to one E.164 (region RU)', () => {
  const e164s = new Set(SAME_NUMBER.map((raw) => must(raw, 'RU').e164));
  assert.deepEqual([...e164s], ['+79281234567']);
});

test('...and extraction from sentences agrees with normalizePhone', () => {
  for (const raw of SAME_NUMBER) {
    const text = `Угрожали с номера ${raw}, сохрани.`;
    const found = extractPhones(text, { region: 'RU' });
    assert.deepEqual(found.map((m) => m.e164), ['+79281234567'], text);
    assert.equal(found[0]!.e164, must(raw, 'RU').e164);
  }
});

test('full fact for a Russian mobile', () => {
  assert.deepEqual(must('8 (928) 123-45-67', 'RU'), {
    e164: '+79281234567',
    country: 'RU',
    countries: ['RU'],
    type: 'mobile',
    valid: true,
    possible: true,
    reason: 'valid pattern',
    national: '8 (928) 123-45-67',
    international: '+7 928 123 45 67',
    raw: '8 (928) 123-45-67',
    regionUsed: 'RU',
  });
});

// --- traps ----------------------------------------------------------------------------------

test('full-width plus is a plus: with region DE it must not become a German number', () => {
  const fact = must('＋7 912 345 67 89', 'DE');
  assert.equal(fact.e164, '+79123456789');
  assert.equal(fact.country, 'RU');
  assert.equal(fact.regionUsed, null);
  assert.equal(must('＋7 912 345 67 89').e164, '+79123456789', 'also without a region');
});

test('00 prefix with region RU is international, not +7 00…', () => {
  const fact = must('0049 30 1234567', 'RU');
  assert.equal(fact.e164, '+49301234567');
  assert.equal(fact.country, 'DE');
  assert.equal(fact.type, 'fixed-line');
  assert.equal(fact.regionUsed, null);
  assert.equal(must('00 49 30 1234567').e164, '+49301234567', '00 works without a region too');
});

test('Soviet-era 8 10 international prefix, with RU, KZ and without a region', () => {
  for (const raw of ['8 10 49 30 1234567', '81049301234567', '8-10-49-30-1234567', '8~10 49 30 1234567']) {
    for (const region of ['RU', 'KZ', null]) {
      const fact = must(raw, region);
      assert.equal(fact.e164, '+49301234567', `${raw} ${region}`);
      assert.equal(fact.regionUsed, null);
    }
  }
  // In NANP 810 is an area code: '810 555 1234' with US stays a Michigan number.
  assert.equal(must('810 555 1234', 'US').e164, '+18105551234');
});

test('numbers with + never depend on the region', () => {
  for (const raw of ['+7 928 123-45-67', '+49 30 1234567', '+44 7911 123456', '+90 532 123 4567']) {
    const facts = ['RU', 'DE', 'US', 'KZ', null].map((region) => must(raw, region));
    for (const f of facts) assert.deepEqual(f, facts[0]);
    assert.equal(facts[0]!.regionUsed, null);
  }
});

test('KZ under +7 comes out as KZ, also from 8 7xx with region RU', () => {
  const kz = must('+7 701 123 4567');
  assert.equal(kz.country, 'KZ');
  assert.deepEqual(kz.countries, ['KZ']);
  assert.equal(kz.type, 'mobile');
  const viaRu = must('8 701 123 45 67', 'RU');
  assert.equal(viaRu.e164, '+77011234567');
  assert.equal(viaRu.country, 'KZ');
  assert.equal(viaRu.regionUsed, 'RU');
  assert.equal(must('8 (727) 258-12-34', 'RU').country, 'KZ');
  // and a Russian number is not listed as possibly Kazakh
  assert.deepEqual(must('+7 928 123 45 67').countries, ['RU']);
});

test('GG vs GB: +44 7911 1… is a Guernsey range; country GG, countries also list GB', () => {
  const gg = must('+44 7911 123456');
  assert.equal(gg.country, 'GG', 'libphonenumber-js allocates 07911 1xxxxx to Guernsey');
  assert.deepEqual(gg.countries, ['GG', 'GB'], 'GG first, then the UK plan it belongs to');
  assert.equal(gg.type, 'mobile');
  // A London number is GB only: the parent rule does not add territories to GB numbers.
  assert.deepEqual(must('+44 20 7946 0958').countries, ['GB']);
  assert.deepEqual(must('+44 7624 123456').countries, ['IM', 'GB']);
  // Shared NANP toll-free: every NANP region's patterns accept it; US is picked.
  const tollFree = must('+1 800 555 1234');
  assert.equal(tollFree.country, 'US');
  assert.ok(tollFree.countries.includes('CA') && tollFree.countries[0] === 'US');
});

test('Persian and Arabic-Indic digits', () => {
  assert.equal(must('۰۹۱۲ ۳۴۵ ۶۷۸۹', 'IR').e164, '+989123456789');
  assert.equal(must('+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹').country, 'IR');
  assert.equal(must('+٧ ٩٢٨ ١٢٣ ٤٥ ٦٧').e164, '+79281234567');
});

test('invisible characters: LRE/PDF, LRM, ZWSP, BOM, NBSP, narrow NBSP', () => {
  for (const raw of [
    '\u202A+49 1512 3456789\u202C',
    '\u200E+49 1512 3456789',
    '+49\u00A01512\u00A03456789',
    '+49\u202F1512\u202F3456789',
    '\uFEFF+49 1512\u200B3456789',
  ]) {
    const fact = must(raw);
    assert.equal(fact.e164, '+4915123456789', JSON.stringify(raw));
    assert.equal(fact.raw, raw, 'raw is kept exactly as written');
  }
});

test('national numbers need a region; without one there is nothing to read', () => {
  assert.equal(normalizePhone('8 (928) 123-45-67'), null);
  assert.equal(normalizePhone('Мама'), null);
  assert.equal(normalizePhone(''), null);
  assert.throws(() => normalizePhone('89281234567', { region: 'ZZ' }), RangeError);
  assert.equal(must('89281234567', 'ru').e164, '+79281234567', 'region is case-insensitive');
});

test('reasons for numbers that are not valid patterns', () => {
  assert.equal(must('+7 928 123').reason, 'too short');
  assert.equal(must('+7 928 123 45 67 123 456 78').reason, 'too long');
  const unknown = must('+999 123 4567');
  assert.equal(unknown.reason, 'invalid country code');
  assert.equal(unknown.e164, '+9991234567');
  assert.equal(unknown.country, null);
  // Possible length, but Brussels numbers do not start 2 1…, and 07700 900xxx is Ofcom's drama range.
  for (const [raw, region] of [['+32 2 123 45 67', null], ['07700 900123', 'GB']] as const) {
    const f = must(raw, region);
    assert.equal(f.valid, false, raw);
    assert.equal(f.possible, true, raw);
    assert.equal(f.reason, 'no pattern matches', raw);
    assert.equal(f.type, null);
  }
});

test('"valid" means "matches a pattern", not "exists": +7 999 000-00-00 is a valid mobile pattern', () => {
  const f = must('+7 (999) 000-00-00');
  assert.equal(f.valid, true);
  assert.equal(f.type, 'mobile');
});

test('types are lowercase and hyphenated', () => {
  assert.equal(must('8 800 555 35 35', 'RU').type, 'toll-free');
  assert.equal(must('8 809 123 45 67', 'RU').type, 'premium-rate');
  assert.equal(must('+1 212 555 1234').type, 'fixed-line-or-mobile');
  assert.equal(must('8 (495) 123-45-67', 'RU').type, 'fixed-line');
});

test('extensions and tel: URIs', () => {
  assert.equal(must('+7 495 123-45-67 доб. 123').e164, '+74951234567');
  assert.equal(must('+7 495 123-45-67 вн. 12').e164, '+74951234567');
  assert.equal(must('tel:+1-201-555-0123;ext=1234').e164, '+12015550123');
  assert.equal(must('TEL:+7-928-123-45-67').e164, '+79281234567');
  assert.deepEqual(splitExtension('8 (495) 123-45-67 вн. 12'), { body: '8 (495) 123-45-67', ext: '12' });
  assert.deepEqual(splitExtension('+1 212 555 1234 ext. 45'), { body: '+1 212 555 1234', ext: '45' });
  assert.deepEqual(splitExtension('+1 212 555 1234'), { body: '+1 212 555 1234', ext: null });
});

test('a labelled value is read ("моб.: 8 928…")', () => {
  assert.equal(must('моб.: 8 928 123 45 67', 'RU').e164, '+79281234567');
  const labelled = must('Tel. +49 30 1234567');
  assert.equal(labelled.e164, '+49301234567');
  assert.equal(labelled.regionUsed, null);
});

// --- looksLikePhone --------------------------------------------------------------------------

test('looksLikePhone: senders that are numbers', () => {
  for (const name of ['+7 912 345-67-89', '\u202A+49 1512 3456789\u202C', '~ +7 912 345 67 89', '+44 7911 123456', '(495) 123-45-67', '89123456789', '＋７ ９１２ ３４５ ６７ ８９']) {
    assert.equal(looksLikePhone(name), true, name);
  }
  for (const name of ['Анна', 'Мама', 'John 2', '007', '12.03.2022', '10:15', 'Иван +7', '', 'Boris (work)', '1234567890123456789']) {
    assert.equal(looksLikePhone(name), false, name);
  }
});

// --- inferRegion -------------------------------------------------------------------------------

test('inferRegion: most common country among distinct + numbers, with evidence', () => {
  const r = inferRegion([
    '+7 928 123-45-67',
    '+7 928 123-45-67', // same number again: counted once
    '+7 916 123 45 67',
    '\u202A+7 (495) 123-45-67\u202C',
    '+49 30 1234567',
    '+7 701 123 4567', // KZ, not RU
    '8 928 111 22 33', // national: says nothing about the region
    'Мама',
    'Угрожали с +90 532 123 4567 вчера ночью', // a text: its + number counts
  ]);
  assert.equal(r.region, 'RU');
  assert.equal(r.evidence, 'RU: 3 of 6 distinct numbers written with +');
});

test('inferRegion: KZ export, ties, and nothing to go on', () => {
  assert.equal(inferRegion(['+7 701 123 4567', '+7 777 123 45 67', '+7 928 123 45 67']).region, 'KZ');
  const tie = inferRegion(['+49 30 1234567', '+7 928 123 45 67']);
  assert.equal(tie.region, 'DE');
  assert.match(tie.evidence, /tie with RU/);
  const none = inferRegion(['8 928 123 45 67', 'Мама', '+999 1234567']);
  assert.equal(none.region, null);
  assert.match(none.evidence, /no valid numbers written with \+/);
  assert.equal(inferRegion([]).region, null);
});

// --- vCard ------------------------------------------------------------------------------------

test('phonesFromVCard: 3.0 with folding, group prefixes, WhatsApp waid', () => {
  const vcf =
    'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Петров;Иван;;;\r\nFN:Иван Петров\r\n' +
    'item1.TEL;type=CELL;type=VOICE;waid=79281234567:+7 928 123-4\r\n 5-67\r\nitem1.X-ABLabel:Мобильный\r\n' +
    'TEL;TYPE=WORK:8 (495) 123-45-67\r\nEND:VCARD\r\n';
  const tels = phonesFromVCard(vcf);
  assert.deepEqual(tels, ['+7 928 123-45-67', '8 (495) 123-45-67']);
  assert.deepEqual(tels.map((t) => normalizePhone(t, { region: 'RU' })?.e164), ['+79281234567', '+74951234567']);
});

test('phonesFromVCard: 4.0 tel: URIs, LF line ends, several cards, 2.1 quoted-printable', () => {
  const vcf = [
    'BEGIN:VCARD',
    'VERSION:4.0',
    'FN:Boris',
    'TEL;VALUE=uri;PREF=1;TYPE="voice,cell":tel:+49-1512-3456789',
    'TEL;VALUE=uri;TYPE=work:tel:+1-201-555-0123;ext=1234',
    'END:VCARD',
    'BEGIN:VCARD',
    'VERSION:2.1',
    'FN:Old phone',
    'TEL;CELL;ENCODING=QUOTED-PRINTABLE:=2B7=20916=',
    '=20123=2045=2067',
    'NOTE:TEL: not a property',
    'END:VCARD',
    '',
  ].join('\n');
  const tels = phonesFromVCard(vcf);
  assert.deepEqual(tels, ['tel:+49-1512-3456789', 'tel:+1-201-555-0123;ext=1234', '+7 916 123 45 67']);
  assert.deepEqual(
    tels.map((t) => normalizePhone(t)?.e164),
    ['+4915123456789', '+12015550123', '+79161234567'],
  );
  assert.deepEqual(phonesFromVCard('not a vcard at all'), []);
});
