// Header recognition and date-order decisions, on single lines and small synthetic groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hour24, parseHeaderLine, shapeKey, shapeName } from '../src/readers/whatsapp/header.js';
import { dateUnder, ShapeStats } from '../src/readers/whatsapp/date-order.js';
import type { Header } from '../src/readers/whatsapp/header.js';
import { authorEnd } from '../src/readers/whatsapp/sender.js';

function h(line: string): Header {
  const header = parseHeaderLine(line);
  assert.ok(header, `not a header: ${JSON.stringify(line)}`);
  return header;
}

/** [line, numbers, hour24, minute, second, frame, body] */
const CASES: [string, [number, number, number], number, number, number, string, string][] = [
  ['3/6/18, 1:55 p.m. - a: m', [3, 6, 18], 13, 55, -1, '-', 'a: m'],
  ['03-06-2018, 01.55 PM - a: m', [3, 6, 2018], 13, 55, -1, '-', 'a: m'],
  ['13.06.18 21.25.15: a: m', [13, 6, 18], 21, 25, 15, ':', 'a: m'],
  ['[06.13.18 21:25:15] a: m', [6, 13, 18], 21, 25, 15, '[]', 'a: m'],
  ['13.6.2018 klo 21.25.15 - a: m', [13, 6, 2018], 21, 25, 15, '-', 'a: m'],
  ['13. 6. 2018. 21:25:15 a: m', [13, 6, 2018], 21, 25, 15, ' ', 'a: m'],
  ['[3/6/18 1:55:00 p. m.] a: m', [3, 6, 18], 13, 55, 0, '[]', 'a: m'],
  ['\u200e[3/6/18 1:55:00 p.\u00a0m.] a: m', [3, 6, 18], 13, 55, 0, '[]', 'a: m'],
  ['[2018/06/13, 21:25:15] a: m', [2018, 6, 13], 21, 25, 15, '[]', 'a: m'],
  ['2024. 3. 12. 오후 3:05 - 김민수: 안녕', [2024, 3, 12], 15, 5, -1, '-', '김민수: 안녕'],
  ['2024. 3. 13. 오전 12:10 - 이지은: 응', [2024, 3, 13], 0, 10, -1, '-', '이지은: 응'],
  ['2024/03/13 午前0:30 - 佐藤: まだ', [2024, 3, 13], 0, 30, -1, '-', '佐藤: まだ'],
  ['2024/03/13 午後0:15 - 田中: はい', [2024, 3, 13], 12, 15, -1, '-', '田中: はい'],
  ['2024/3/12 下午3:05 - 王伟: 你好', [2024, 3, 12], 15, 5, -1, '-', '王伟: 你好'],
  ['[12.03.24, 3:05:12 nachm.] Max: hi', [12, 3, 24], 15, 5, 12, '[]', 'Max: hi'],
  ['[12.03.24, 12:01:09 vorm.] Max: hi', [12, 3, 24], 0, 1, 9, '[]', 'Max: hi'],
  ['3/14/24, 12:30\u202fPM - Anna: hi', [3, 14, 24], 12, 30, -1, '-', 'Anna: hi'],
  ['12/3/24, 12:15 a.\u00a0m. - Juan: hola', [12, 3, 24], 0, 15, -1, '-', 'Juan: hola'],
  ['۲۰۲۱/۵/۳۰، ۱۸:۴۴ - علی: سلام', [2021, 5, 30], 18, 44, -1, '-', 'علی: سلام'],
  ['۲۰۲۱/۵/۳۰، ۶:۴۴ ب.ظ - علی: سلام', [2021, 5, 30], 18, 44, -1, '-', 'علی: سلام'],
  ['۲۰۲۱/۵/۳۱، ۹:۰۵ ق.ظ - علی: سلام', [2021, 5, 31], 9, 5, -1, '-', 'علی: سلام'],
  ['١٢\u200f/٣\u200f/٢٠٢٤، ١٠:٠٥ م - أحمد: مرحبا', [12, 3, 2024], 22, 5, -1, '-', 'أحمد: مرحبا'],
  ['١٣\u200f/٣\u200f/٢٠٢٤، ٩:٣٠ ص - أحمد: مرحبا', [13, 3, 2024], 9, 30, -1, '-', 'أحمد: مرحبا'],
  ['\ufeff14/03/2024, 10:02 - Petr: third', [14, 3, 2024], 10, 2, -1, '-', 'Petr: third'],
  ['12/03/2024, 10:00 – Boris: en dash', [12, 3, 2024], 10, 0, -1, '-', 'Boris: en dash'],
];

test('header variants: numbers, 24-hour clock, seconds, frame and where the text starts', () => {
  for (const [line, nums, hour, minute, second, frame, body] of CASES) {
    const header = h(line);
    assert.deepEqual([header.n0, header.n1, header.n2], nums, line);
    assert.equal(hour24(header), hour, line);
    assert.equal(header.minute, minute, line);
    assert.equal(header.second, second, line);
    assert.equal(header.frame, frame, line);
    assert.equal(line.slice(header.bodyStart), body, line);
  }
});

test('lines that are not headers', () => {
  for (const line of [
    'Hello there',
    '',
    '2016-04-29 10:30:00',
    'Call me at 12/03/2024',
    '12/03/2024 without a time',
    '[12/03/2024, 10:00:00 Boris: no closing bracket',
    '12/03/2024, 10:00] Boris: closing bracket without opening',
  ]) {
    assert.equal(parseHeaderLine(line), null, line);
  }
});

test('an impossible 12-hour clock is reported as such, not rolled over', () => {
  assert.equal(hour24(h('3/6/18, 13:55 PM - a: m')), -1);
  assert.equal(hour24(h('3/6/18, 25:10 - a: m')), -1);
});

test('shape keys separate frame, separator and 4-digit year position', () => {
  const a = shapeKey(h('6/30/23, 10:02 AM - Tom: x'));
  const b = shapeKey(h('30/6/2023, 22:00 - Tom: x'));
  const c = shapeKey(h('[30/6/2023, 22:00:00] Tom: x'));
  assert.notEqual(a, b);
  assert.notEqual(b, c);
  assert.equal(shapeName(a), '-/-1');
  assert.equal(shapeName(b), '-/2');
  assert.equal(shapeName(c), '[]/2');
});

function decide(lines: string[], option: 'dmy' | 'mdy' | 'ymd' | null = null) {
  const first = h(lines[0]!);
  const stats = new ShapeStats(shapeKey(first), first, 1, lines[0]!);
  lines.forEach((l, i) => stats.add(h(l), i + 1));
  return stats.decide(option);
}

test('date order: a number above 12 proves the day position', () => {
  assert.deepEqual(
    [decide(['3/9/24, 9:14 PM - a: x', '3/13/24, 9:14 PM - a: x']).order, decide(['3/9/24, 9:14 PM - a: x', '3/13/24, 9:14 PM - a: x']).source],
    ['mdy', 'proven'],
  );
  assert.equal(decide(['09.03.24, 21:14 - a: x', '13.03.24, 21:14 - a: x']).order, 'dmy');
});

test('date order: year first is ymd, even with no day above 12 (2024/12/10 is 10 December)', () => {
  const d = decide(['[2024/12/10, 21:25:15] a: x', '[2024/12/11, 08:00:00] a: x', '[2025/01/02, 09:30:00] a: x']);
  assert.equal(d.order, 'ymd');
  assert.equal(d.source, 'proven');
  assert.deepEqual(dateUnder(h('[2024/12/10, 21:25:15] a: x'), d.order), [2024, 12, 10]);
});

test('date order: chronology decides an unproven file, and says so', () => {
  const lines = ['10/2/24, 18:00 - a: x', '11/2/24, 19:30 - a: x', '12/2/24, 07:45 - a: x', '1/3/24, 10:00 - a: x', '2/3/24, 11:11 - a: x'];
  const d = decide(lines);
  assert.equal(d.order, 'dmy');
  assert.equal(d.source, 'heuristic');
  assert.match(d.reason, /back 1 times/);
  // The same dates written month-first run forward only when read mdy.
  const us = ['2/10/24, 18:00 - a: x', '2/11/24, 19:30 - a: x', '2/12/24, 07:45 - a: x', '3/1/24, 10:00 - a: x', '3/2/24, 11:11 - a: x'];
  assert.equal(decide(us).order, 'mdy');
});

test('date order: the component that changes more often is the day when chronology cannot tell', () => {
  // Under both readings the dates go forward; the first number changes on every line.
  const d = decide(['1/2/24, 10:00 - a: x', '2/2/24, 10:00 - a: x', '3/2/24, 10:00 - a: x', '4/2/24, 10:00 - a: x']);
  assert.equal(d.order, 'dmy');
  assert.match(d.reason, /changes more often/);
  const m = decide(['2/1/24, 10:00 - a: x', '2/2/24, 10:00 - a: x', '2/3/24, 10:00 - a: x', '2/4/24, 10:00 - a: x']);
  assert.equal(m.order, 'mdy');
});

test('date order: --date-order wins when it fits the shape, and is reported when it cannot', () => {
  const ambiguous = ['10/2/24, 18:00 - a: x', '11/2/24, 19:30 - a: x'];
  assert.deepEqual([decide(ambiguous, 'mdy').order, decide(ambiguous, 'mdy').source], ['mdy', 'option']);
  assert.equal(decide(ambiguous, 'ymd').order, 'ymd');
  const yearLast = decide(['13/2/2024, 18:00 - a: x'], 'ymd');
  assert.equal(yearLast.optionIgnored, true);
  assert.equal(yearLast.order, 'dmy');
});

test('date order: a proof resting on a few lines the rest of the file contradicts is doubted', () => {
  // Month-first dates, 1-5 March; one message quotes a day-first date that looks like a header.
  const lines = ['3/1/24, 8:02 AM - a: x', '3/2/24, 8:02 AM - a: x', '3/3/24, 9:15 AM - a: x', '25/3/24, 10:00 AM - b: y', '3/3/24, 9:20 AM - a: x', '3/4/24, 6:55 PM - a: x', '3/5/24, 7:30 AM - a: x'];
  const d = decide(lines);
  assert.equal(d.order, 'dmy');
  assert.equal(d.source, 'proven');
  assert.equal(d.doubt?.line, 4);
  assert.match(d.doubt!.message, /rests on 1 line with a day above 12 .* pass --date-order mdy/);
  // A real day-first chat through the 13th: the day changes more often, no doubt.
  const real = ['1/3/24, 10:00 - a: x', '2/3/24, 10:00 - a: x', '5/3/24, 10:00 - a: x', '9/3/24, 10:00 - a: x', '13/3/24, 10:00 - a: x'];
  assert.equal(decide(real).order, 'dmy');
  assert.equal(decide(real).doubt, null);
});

test('date order: --date-order that makes dates impossible is kept but doubted', () => {
  const proven = ['30/3/24, 10:00 - a: x', '31/3/24, 10:00 - a: x', '1/4/24, 10:00 - a: x'];
  const d = decide(proven, 'mdy');
  assert.deepEqual([d.order, d.source], ['mdy', 'option']);
  assert.equal(d.doubt?.line, 1);
  assert.match(d.doubt!.message, /--date-order mdy makes 2 dates impossible \(the first at line 1\) that dmy reads without one/);
  assert.equal(decide(proven, 'dmy').doubt, null);
});

test('author detection is not fooled by ": " inside system text', () => {
  const at = (line: string): string | null => {
    const header = h(line);
    const end = authorEnd(line, header.bodyStart, line.length);
    return end < 0 ? null : line.slice(header.bodyStart, end);
  };
  assert.equal(at('12/03/2024, 10:01 - Boris Petrov changed the subject from "Family" to "Family: plans"'), null);
  assert.equal(at('12/03/2024, 10:01 - Boris created group “Plans: Friday”'), null);
  assert.equal(at('12/03/2024, 10:01 - Boris hat den Betreff zu „Plan: Freitag“ geändert'), null);
  assert.equal(at('03.02.2024, 08:01 - Папа изменил(-а) тему с "Семья" на "Семья: важное"'), null);
  assert.equal(at('12/03/2024, 10:01 - Alex "Sasha" P: hi: there'), 'Alex "Sasha" P');
  assert.equal(at('12/03/2024, 10:01 - ‪+7 912 345-67-89‬: Ты знаешь'), '‪+7 912 345-67-89‬');
  assert.equal(at('12/03/2024, 10:01 - Messages and calls are end-to-end encrypted.'), null);
});
