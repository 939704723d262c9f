// Spans of text that hold digits which are NOT phone numbers: dates (also compact, as in file names),
// date, year and time ranges, times, IP addresses, card numbers, IBANs, SNILS, personal numbers,
// coordinates, money, hex ids, Unix times in running text, and numbers right after an identifying word (ИНН, ОГРН, паспорт,
// заказ №, order #, Bestellnummer, facture, sipariş no, ID …). A phone match that overlaps one is
// dropped.
//
// They run on the masked text (prepare.ts: same length as the original, ASCII digits) and only for
// messages where the finder found something, so their cost is paid on few messages. Shapes are
// found as spans over the message (nonPhoneSpans); identifying words are checked per match, right
// before the number (identifierBefore).

export interface Span {
  start: number;
  end: number;
  /**
   * What the digits are instead: 'date', 'date-range', 'time', 'time-range', 'ip', 'year-range',
   * 'card', 'iban', 'snils', 'personal-number', 'coordinates', 'money', 'hex-id', 'unix-time'.
   */
  what: string;
}

/** No digit (optionally followed by one separator) right before: the shape starts a digit group. */
const B = String.raw`(?<!\d[\s\-./]?)`;
/** No digit (optionally after one separator) right after: the shape ends a digit group. */
const E = String.raw`(?![\s\-./]?\d)`;

const DAY = String.raw`(?:0?[1-9]|[12]\d|3[01])`;
const MONTH = String.raw`(?:0?[1-9]|1[0-2])`;
const TIME = String.raw`(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?`;
const TIME_TAIL = String.raw`(?:,?[\sT]+${TIME})?`;

/** Amount as prices are written: '1 500 000', '1,250,000', '2.500', '99,90', '1500' (at most 9 bare digits). */
const AMOUNT = String.raw`\d{1,3}(?:[ .,'’]\d{3})+(?:[.,]\d{1,2}|[.,]-)?|\d{1,9}(?:[.,]\d{1,2}|[.,]-)?`;
/** Currency codes written before or after an amount (matched case-insensitively). */
const CURRENCY_CODE = 'usd|eur|rub|rur|gbp|chf|kzt|uah|byn|try|tl|sek|nok|dkk|pln|czk|huf';
/** Currency words written after an amount (case-insensitive): Russian, English, German, Nordic, Turkish, French, Kazakh. */
const CURRENCY_WORD = String.raw`(?:руб\p{L}*|р\.|коп\p{L}*|тыс\p{L}*\.?|млн\.?|млрд\.?|долл\p{L}*|евро|тенге|тг|грн|гривен\p{L}*|лир\p{L}*|крон\p{L}*|${CURRENCY_CODE}|dollars?|euros?|bucks|lira(?:s[ıi])?|kronor|krona|kroner|kr\.?|tenge|francs?|fr\.|tsd\.?|tausend|mio\.?|mrd\.?|million\p{L}*|milyon|miljon\p{L}*|k)`;

/** Words after which a number is an identifier whatever its shape (optionally followed by №/#/:/Nr./n°). */
const ID_WORDS = [
  // Russian (and ex-Soviet) registries and documents
  'ИНН', 'ОГРНИП', 'ОГРН', 'СНИЛС', 'КПП', 'БИК', 'ОКПО', 'ОКТМО', 'ОКАТО', 'ОКВЭД',
  'паспорт\\p{L}*', 'passport', 'серия', 'серии', 'загранпаспорт\\p{L}*',
  // orders, invoices, parcels, tickets, contracts
  'заказ\\p{L}*', 'order', 'invoice', 'инвойс\\p{L}*', 'накладн\\p{L}*', 'трек\\p{L}*', 'tracking',
  'track', 'ticket', 'тикет\\p{L}*', 'заявк\\p{L}*', 'договор\\p{L}*', 'contract', 'артикул\\p{L}*',
  'SKU', 'ID', 'UID', 'user ?id', 'посылк\\p{L}*', 'отправлени\\p{L}*', 'квитанци\\p{L}*', 'чек\\p{L}*',
  'receipt', 'ref', 'reference', 'booking', 'reservation', '№', '#',
  // German / Austrian
  'bestellnummer', 'bestell-?nr\\.?', 'bestellung', 'rechnung\\p{L}*', 'auftrag(?:s-?nummer|s-?nr\\.?)?',
  'kundennummer', 'kunden-?nr\\.?', 'vorgangsnummer', 'aktenzeichen', 'sendungsnummer', 'vertragsnummer',
  'steuernummer', 'steuer-?id', 'referenz\\p{L}*', 'ticketnummer', 'versicherungsnummer',
  // Swedish / Norwegian / Danish
  'ordernummer', 'ordrenummer', 'ordernr', 'faktura\\p{L}*', 'kundnummer', 'kundenummer', 'personnummer',
  'organisationsnummer', 'fødselsnummer', 'referens\\p{L}*', 'OCR-?nummer', 'KID-?nummer',
  // French / Belgian (French and Dutch)
  'commande', 'facture', 'référence', 'réf\\.?', 'dossier', 'SIRET', 'SIREN', 'bestelnummer', 'factuur\\p{L}*',
  'klantnummer', 'ondernemingsnummer', 'rijksregisternummer', 'TVA',
  // Turkish
  'sipari[şs]\\p{L}*', 'fatura\\p{L}*', 'takip', 'kargo takip', 'kimlik', 'vergi\\p{L}*',
];
/** Words after which a long number (13+ digits) is an account or card, not a phone. */
const ACCOUNT_WORDS = [
  'карт\\p{L}*', 'card', 'сч[её]т\\p{L}*', 'р/с', 'к/с', 'л/с', 'account', 'acct', 'IBAN',
];
const NUMBER_WORDS = String.raw`(?:\s*(?:№|#|:|-|no\.?|nr\.?|n[°º]\.?|number|номер|num\.?|nummer|numéro|numero|numara(?:s[ıi])?|är|er|ist|is|est))*\s*`;
const PHONE_WORD_LIST = [
  // Russian and English
  'тел\\p{L}*', 'phone', 'mobile', 'cell', 'моб\\p{L}*', 'сот\\p{L}*', 'whats ?app', 'ват?сап\\p{L}*', 'вотсап\\p{L}*', 'viber', 'вайбер\\p{L}*',
  // the same words in the other languages of the word lists above, and Spanish and Portuguese (whose
  // regions write 10-digit national numbers starting with 1: see unixTimeInText)
  'tel', 'tél', 'telefon\\p{L}*', 'téléphone', 'teléfono', 'handy', 'mobil\\p{L}*', 'portable', 'cep', 'celular', 'cel', 'fone', 'zap',
];
const PHONE_WORDS = String.raw`${alternation(PHONE_WORD_LIST)}\.?`;
/**
 * One alternation of word patterns, the stems (patterns ending in `\p{L}*`) sharing one `\p{L}*`:
 * V8 compiles every `\p{L}` of a regex into a matcher of its own when the regex first runs, about
 * 2 ms each, and the lists hold dozens of stems.
 */
function alternation(words: readonly string[]): string {
  const stems = words.filter((w) => w.endsWith('\\p{L}*')).map((w) => w.slice(0, -'\\p{L}*'.length));
  const exact = words.filter((w) => !w.endsWith('\\p{L}*'));
  return `(?:(?:${stems.join('|')})\\p{L}*|${exact.join('|')})`;
}

/**
 * What the words ending the window before a number say it is, matched from a word start and
 * anchored at both ends (see wordStartsBefore; an unanchored search of this alternation over the
 * window was the costliest step of extraction). Groups: `phone` (a phone word: it wins over a
 * following '№'/'#'/':', 'тел. № 8928…'), `id` (ИНН, заказ №, order #, Bestellnummer…), `account`
 * (карта, счёт, IBAN…).
 */
const WORDS_BEFORE = new RegExp(
  String.raw`^(?:(?<phone>${PHONE_WORDS})|(?<id>${alternation(ID_WORDS)}(?:\s*/\s*${alternation(ID_WORDS)})*)|(?<account>${alternation(ACCOUNT_WORDS)}))${NUMBER_WORDS}$`,
  'iu',
);

const WORDISH = /[\p{L}\p{N}]/u;
/** Where a word may start: a letter, '№' or '#' not preceded by a letter or digit. */
const WORD_START = /[\p{L}№#]/u;

/**
 * 1: the UTF-16 unit at `i` is a letter, 0: it is not, -1: ask the regex. ASCII and the basic
 * Cyrillic letters (А–я, Ё, ё) are answered from the code: every number found looks back over
 * up to 48 characters, and two Unicode regex tests per character were a tenth of extraction's time.
 */
function letterAt(text: string, i: number): 1 | 0 | -1 {
  const c = text.charCodeAt(i);
  if (c < 128) return (c | 32) >= 97 && (c | 32) <= 122 ? 1 : 0;
  return (c >= 0x410 && c <= 0x44f) || c === 0x401 || c === 0x451 ? 1 : -1;
}

function isWordish(text: string, i: number): boolean {
  const letter = letterAt(text, i);
  if (letter !== -1) return letter === 1 || isDigit(text.charCodeAt(i));
  return WORDISH.test(text[i]!);
}

function isWordStart(text: string, i: number): boolean {
  const letter = letterAt(text, i);
  if (letter !== -1) return letter === 1 || text.charCodeAt(i) === 35; // '#'
  return WORD_START.test(text[i]!);
}

/** The last `max` word starts in `window`, nearest first. */
function wordStartsBefore(window: string, max: number): number[] {
  const out: number[] = [];
  for (let i = window.length - 1; i >= 0 && out.length < max; i--) {
    if (isWordStart(window, i) && (i === 0 || !isWordish(window, i - 1))) out.push(i);
  }
  return out;
}

/**
 * How every word in the lists begins, lower case: its first two characters (one for '№', '#'). A
 * word start that begins otherwise cannot match WORDS_BEFORE, so the regex is not run there.
 */
const WORD_PREFIXES: ReadonlySet<string> = new Set(
  [...ID_WORDS, ...ACCOUNT_WORDS, ...PHONE_WORD_LIST].map((w) => {
    const literal = /^[^\\[(?*+.{|]{1,2}/.exec(w)?.[0] ?? '';
    if (literal.length === 0) throw new Error(`word list entry without a literal start: ${w}`);
    return literal.toLowerCase();
  }),
);

/** What the last words of `window` say the following number is: 'phone', 'id', 'account', or null. */
function wordsBefore(window: string): 'phone' | 'id' | 'account' | null {
  let found: 'id' | 'account' | null = null;
  for (const i of wordStartsBefore(window, 6)) {
    const head = window.slice(i, i + 2).toLowerCase();
    if (!WORD_PREFIXES.has(head) && !WORD_PREFIXES.has(head[0]!)) continue;
    const g = WORDS_BEFORE.exec(window.slice(i))?.groups;
    if (g === undefined) continue;
    if (g.phone !== undefined) return 'phone';
    if (g.id !== undefined) found = 'id';
    else if (found === null) found = 'account';
  }
  return found;
}

interface Detector {
  what: string;
  re: RegExp;
  /** A cheap test the text must pass before `re` runs over it (for detectors that start with a lookbehind). */
  pre?: RegExp;
  /** Extra check on the match (Luhn, octets, digit count). */
  accept?: (m: RegExpExecArray) => boolean;
}

const digitsIn = (s: string): number => s.replace(/\D/g, '').length;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A date as people write it: d.m.yyyy, d/m/yy, m/d/yyyy, yyyy-mm-dd (no backreferences, for ranges). */
const DATE_LOOSE = String.raw`(?:${DAY}[./-]${MONTH}[./-](?:\d{4}|\d{2})|(?:1[89]|20)\d\d[./-]${MONTH}[./-]${DAY})`;
const RANGE_DASH = String.raw`\s*[-–—]\s*`;
/** A clock time with ':' or '.' (as Nordic and German texts write it: '9.00', '18.30'). */
const CLOCK = String.raw`(?:[01]?\d|2[0-3])[.:][0-5]\d`;

/** Year pairs: the second year is not before the first, and not far after it ('2019-20', '1999/2005'). */
function plausibleYearRange(m: RegExpExecArray): boolean {
  const first = Number(m[1]);
  const tail = m[2]!;
  if (tail.length === 2) {
    const diff = (Number(tail) - (first % 100) + 100) % 100;
    return diff >= 1 && diff <= 20;
  }
  const diff = Number(tail) - first;
  return diff >= 0 && diff <= 60;
}

/** yymmdd (Sweden) or ddmmyy (Denmark, Norway) is a calendar date. */
function birthDatePrefix(m: RegExpExecArray): boolean {
  const d = m[0].replace(/\D/g, '');
  const [a, b, c] = [Number(d.slice(0, 2)), Number(d.slice(2, 4)), Number(d.slice(4, 6))];
  const day = (n: number): boolean => n >= 1 && n <= 31;
  const month = (n: number): boolean => n >= 1 && n <= 12;
  return (month(b) && day(c)) || (day(a) && month(b));
}

/**
 * A bare 10-digit run starting with 1 is a Unix time when it stands in running text: every such
 * run is a time in seconds between 2001-09-09 (1000000000) and 2033-05-18 (1999999999), as logs,
 * bots and pasted message metadata write them ('message_id 4821 отправлено 1640170800'), and some
 * regions' patterns would read it as a number (BR, DE, AT, KR… accept 1640170800). It stays a
 * number when it is all the text holds, when a phone word comes before it ('tel. 1133334444', a São
 * Paulo landline), or when it is written as people write numbers: with separators or brackets
 * ('(11) 3333-4444'), a '+', or 11 digits with a trunk '8' (none of which the regex matches).
 */
function unixTimeInText(m: RegExpExecArray): boolean {
  if (m.input.trim() === m[0]) return false;
  return wordsBefore(m.input.slice(Math.max(0, m.index - 48), m.index)) !== 'phone';
}

const DETECTORS: Detector[] = [
  {
    what: 'date',
    re: new RegExp(
      String.raw`(?<![\d.\/-])(?:${DAY}([./-])${MONTH}\1(?:\d{4}|\d{2})|${MONTH}([./-])${DAY}\2(?:\d{4}|\d{2})|(?:1[89]|20)\d\d([./-])${MONTH}\3${DAY})(?![\d]|[./-]\d)${TIME_TAIL}`,
      'g',
    ),
  },
  {
    // '01.01.2020-31.12.2021', '2020-01-01 – 2021-12-31'
    what: 'date-range',
    re: new RegExp(String.raw`(?<![\d.\/-])${DATE_LOOSE}${RANGE_DASH}${DATE_LOOSE}(?![\d]|[./-]\d)`, 'g'),
  },
  {
    // Compact yyyymmdd as cameras and phones name files ('IMG-20220312-WA0001.jpg',
    // 'Screenshot_20220312-140533', 'IMG_20220312_140533'), with the time that often follows.
    what: 'date',
    re: /(?<![\d+][\s\-./]?)(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[-_T ]?(?:[01]\d|2[0-3])[0-5]\d[0-5]\d)?(?!\d)/g,
  },
  { what: 'time', re: new RegExp(String.raw`(?<![\d:])${TIME}(?![\d:])`, 'g') },
  {
    // Opening hours: '9.00-18.00', '09:00 – 18:00'
    what: 'time-range',
    re: new RegExp(String.raw`(?<![\d.:])${CLOCK}${RANGE_DASH}${CLOCK}(?![\d]|[.:]\d)`, 'g'),
  },
  {
    what: 'ip',
    re: /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)/g,
    accept: (m) => m[0].split('.').every((o) => Number(o) <= 255),
  },
  {
    // '1999-2005', '2014–2022', '2019/2020', '2019-20' (a following space and number do not hide it)
    what: 'year-range',
    re: new RegExp(String.raw`${B}((?:1[89]|20)\d\d)\s*[-–—/]\s*((?:1[89]|20)\d\d|\d\d)(?![\-./]?\d)`, 'g'),
    accept: plausibleYearRange,
  },
  {
    what: 'card',
    // 4-4-4-4 (optionally 1–3 more) with one consistent separator; any such grouping is a card shape.
    re: new RegExp(String.raw`${B}\d{4}([ \-]?)\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?${E}`, 'g'),
    accept: (m) => m[1] !== '' || luhn(m[0]),
  },
  {
    what: 'iban',
    re: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])/g,
  },
  { what: 'snils', re: new RegExp(String.raw`${B}\d{3}-\d{3}-\d{3}[\s-]\d{2}${E}`, 'g') },
  {
    // Swedish personnummer 'yymmdd-nnnn' (also '+' for the over-100s), Danish CPR 'ddmmyy-nnnn'.
    what: 'personal-number',
    re: new RegExp(String.raw`${B}\d{6}[-+]\d{4}${E}`, 'g'),
    accept: birthDatePrefix,
  },
  {
    what: 'coordinates',
    re: /(?<![\d.])-?\d{1,3}[.,]\d{3,}\s*°?\s*[NSСЮ]?\s*[,;]?\s*-?\d{1,3}[.,]\d{3,}/g,
  },
  {
    // A sign or an upper-case code before the amount ('€ 2.500', 'EUR 1.250.000', 'TRY 500'); upper
    // case only, so the English 'try 0151 …' stays text.
    what: 'money',
    re: new RegExp(String.raw`\p{Sc}\s*(?:${AMOUNT})|(?<![\p{L}])(?:${CURRENCY_CODE.toUpperCase()})\.?\s*(?:${AMOUNT})`, 'gu'),
  },
  {
    // A sign or a currency word after the amount, in any case ('1.250.000 Euro', '1250 TL', '12 500 kronor').
    what: 'money',
    re: new RegExp(String.raw`${B}(?:${AMOUNT})\s*(?:\p{Sc}|${CURRENCY_WORD}(?![\p{L}]))`, 'giu'),
  },
  {
    what: 'unix-time',
    pre: /1\d{9}/,
    re: /(?<![\d+][\s\-./]?)1\d{9}(?![\s\-./]?\d)/g,
    accept: unixTimeInText,
  },
  {
    // UUIDs and hex digests ('550e8400-e29b-41d4-a716-446655440000', a SHA-256): letters and digits mixed.
    what: 'hex-id',
    pre: /[0-9a-f]{8}/i,
    re: /(?<![\p{L}\p{N}])(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{16,})(?![\p{L}\p{N}])/giu,
  },
];

/** Every non-phone span found in `masked`. */
export function nonPhoneSpans(masked: string): Span[] {
  const spans: Span[] = [];
  for (const d of DETECTORS) {
    if (d.pre !== undefined && !d.pre.test(masked)) continue;
    d.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = d.re.exec(masked)) !== null) {
      if (m[0].length === 0) {
        d.re.lastIndex++;
        continue;
      }
      if (!d.accept || d.accept(m)) spans.push({ start: m.index, end: m.index + m[0].length, what: d.what });
    }
  }
  return spans;
}

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Separators allowed inside a number token: space, '-', '/', '.', '(' and ')'. */
export const isSeparator = (c: number): boolean => c === 32 || c === 45 || c === 47 || c === 46 || c === 40 || c === 41;

/**
 * The identifying word right before the number token that holds [start, end), if any: 'identifier'
 * for ИНН/ОГРН/паспорт/заказ №/order #/ID…, 'account' for a 13+ digit token after карта/card/счёт/IBAN.
 * The token is widened over digits and single separators first, so 'ИНН/КПП 7707083893/773601001'
 * is caught even when the finder matched only the part after the '/'. Runs per match, on a short
 * window, so the big keyword alternation never scans whole messages.
 */
export function identifierBefore(masked: string, start: number, end: number): string | null {
  let s = start;
  while (s > 0) {
    const c = masked.charCodeAt(s - 1);
    if (isDigit(c) || (isSeparator(c) && s >= 2 && isDigit(masked.charCodeAt(s - 2)))) s--;
    else break;
  }
  if (s > 0 && masked.charCodeAt(s - 1) === 43) s--; // '+'
  const before = masked.slice(Math.max(0, s - 48), s);
  // A word and up to a few number words ('Kunden-Nr.:', 'order number is', 'ИНН/КПП') end the window.
  const words = wordsBefore(before);
  if (words === null || words === 'phone') return null; // 'телефон № 8928…', 'phone #: +7…'
  if (words === 'id') return 'identifier';
  let e = end;
  while (e < masked.length) {
    const c = masked.charCodeAt(e);
    if (isDigit(c) || (isSeparator(c) && isDigit(masked.charCodeAt(e + 1)))) e++;
    else break;
  }
  return digitsIn(masked.slice(s, e)) >= 13 ? 'account' : null;
}

/** The first span overlapping [start, end), if any. */
export function overlapping(spans: readonly Span[], start: number, end: number): Span | undefined {
  return spans.find((s) => s.start < end && start < s.end);
}
