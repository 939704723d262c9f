// Spans of text that hold digits which are NOT phone numbers: dates, times, IP addresses, year
// ranges, card numbers, IBANs, SNILS, coordinates, money, and numbers right after an identifying word
// (ИНН, ОГРН, паспорт, заказ №, order #, ID …). A phone match that overlaps one is dropped.
//
// They run on the masked text (prepare.ts: same length as the original, ASCII digits) and only for
// messages where the finder found something, so their cost is paid on few messages. Shapes are
// found as spans over the message (nonPhoneSpans); identifying words are checked per match, right
// before the number (identifierBefore).

export interface Span {
  start: number;
  end: number;
  /** What the digits are instead: 'date', 'time', 'ip', 'year-range', 'card', 'iban', 'snils', 'coordinates', 'money'. */
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

/** Amount as prices are written: '1 500 000', '1,250,000', '2.500', '99,90', '1500'. */
const AMOUNT = String.raw`\d{1,3}(?:[ .,'’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const CURRENCY_SIGN = '[$€£₽¥₴₸₺]';
const CURRENCY_WORD = String.raw`(?:руб\p{L}*|р\.|коп\p{L}*|тыс\p{L}*\.?|млн\.?|млрд\.?|долл\p{L}*|евро|тенге|грн|гривен\p{L}*|лир\p{L}*|USD|EUR|RUB|GBP|CHF|KZT|UAH|TRY|SEK|NOK|PLN|dollars?|euros?|bucks|kr|k)`;

/** Words after which a number is an identifier whatever its shape (optionally followed by №/#/:). */
const ID_WORDS = [
  'ИНН', 'ОГРНИП', 'ОГРН', 'СНИЛС', 'КПП', 'БИК', 'ОКПО', 'ОКТМО', 'ОКАТО', 'ОКВЭД',
  'паспорт\\p{L}*', 'passport', 'серия', 'серии', 'загранпаспорт\\p{L}*',
  'заказ\\p{L}*', 'order', 'invoice', 'инвойс\\p{L}*', 'накладн\\p{L}*', 'трек\\p{L}*', 'tracking',
  'track', 'ticket', 'тикет\\p{L}*', 'заявк\\p{L}*', 'договор\\p{L}*', 'contract', 'артикул\\p{L}*',
  'SKU', 'ID', 'UID', 'user ?id', 'посылк\\p{L}*', 'отправлени\\p{L}*', 'квитанци\\p{L}*', 'чек\\p{L}*',
  'receipt', 'ref', 'reference', '№', '#',
];
/** Words after which a long number (13+ digits) is an account or card, not a phone. */
const ACCOUNT_WORDS = [
  'карт\\p{L}*', 'card', 'сч[её]т\\p{L}*', 'р/с', 'к/с', 'л/с', 'account', 'acct', 'IBAN',
];
const NUMBER_WORDS = String.raw`(?:\s*(?:№|#|:|-|no\.?|nr\.?|number|номер|num\.?))*\s*`;
const ID_BEFORE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${ID_WORDS.join('|')})(?:\s*/\s*(?:${ID_WORDS.join('|')}))*${NUMBER_WORDS}$`,
  'iu',
);
/** A phone word right before the number wins over a following '№'/'#'/':' ('тел. № 8928…'). */
const PHONE_WORD_BEFORE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:тел\p{L}*|phone|mobile|cell|моб\p{L}*|сот\p{L}*|whats ?app|ват?сап\p{L}*|вотсап\p{L}*|viber|вайбер\p{L}*)\.?${NUMBER_WORDS}$`,
  'iu',
);
const ACCOUNT_BEFORE = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${ACCOUNT_WORDS.join('|')})${NUMBER_WORDS}$`, 'iu');

interface Detector {
  what: string;
  re: RegExp;
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

const DETECTORS: Detector[] = [
  {
    what: 'date',
    re: new RegExp(
      String.raw`(?<![\d.\/-])(?:${DAY}([./-])${MONTH}\1(?:\d{4}|\d{2})|${MONTH}([./-])${DAY}\2(?:\d{4}|\d{2})|(?:1[89]|20)\d\d([./-])${MONTH}\3${DAY})(?![\d]|[./-]\d)${TIME_TAIL}`,
      'g',
    ),
  },
  { what: 'time', re: new RegExp(String.raw`(?<![\d:])${TIME}(?![\d:])`, 'g') },
  {
    what: 'ip',
    re: /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)/g,
    accept: (m) => m[0].split('.').every((o) => Number(o) <= 255),
  },
  {
    what: 'year-range',
    re: new RegExp(String.raw`${B}(?:1[89]|20)\d\d\s*[-–—]\s*(?:1[89]|20)\d\d${E}`, 'g'),
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
    what: 'coordinates',
    re: /(?<![\d.])-?\d{1,3}[.,]\d{3,}\s*°?\s*[NSСЮ]?\s*[,;]?\s*-?\d{1,3}[.,]\d{3,}/g,
  },
  {
    what: 'money',
    re: new RegExp(
      String.raw`${CURRENCY_SIGN}\s*(?:${AMOUNT})|(?<![\p{L}])(?:USD|EUR|RUB|GBP|CHF|KZT|UAH)\s*(?:${AMOUNT})|${B}(?:${AMOUNT})\s*(?:${CURRENCY_SIGN}|${CURRENCY_WORD}(?![\p{L}]))`,
      'gu',
    ),
  },
];

/** Every non-phone span found in `masked`. */
export function nonPhoneSpans(masked: string): Span[] {
  const spans: Span[] = [];
  for (const d of DETECTORS) {
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

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Separators allowed inside a number token: space, '-', '/', '.', '(' and ')'. */
const isSeparator = (c: number): boolean => c === 32 || c === 45 || c === 47 || c === 46 || c === 40 || c === 41;

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
  if (PHONE_WORD_BEFORE.test(before)) return null; // 'телефон № 8928…', 'phone #: +7…'
  if (ID_BEFORE.test(before)) return 'identifier';
  if (ACCOUNT_BEFORE.test(before)) {
    let e = end;
    while (e < masked.length) {
      const c = masked.charCodeAt(e);
      if (isDigit(c) || (isSeparator(c) && isDigit(masked.charCodeAt(e + 1)))) e++;
      else break;
    }
    if (digitsIn(masked.slice(s, e)) >= 13) return 'account';
  }
  return null;
}

/** The first span overlapping [start, end), if any. */
export function overlapping(spans: readonly Span[], start: number, end: number): Span | undefined {
  return spans.find((s) => s.start < end && start < s.end);
}
