import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneConverter, isValidWallClock, isKnownZone, isoUtc, parseFixedOffset, formatWallClock, formatLength } from '../src/util/time.js';

const w = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) => ({ year, month, day, hour, minute, second });

test('wall clocks convert with the given zone, not the machine zone', () => {
  const moscow = new ZoneConverter('Europe/Moscow');
  assert.equal(isoUtc(moscow.toUtc(w(2021, 12, 22, 13, 15)).ms), '2021-12-22T10:15:00Z');
  const berlin = new ZoneConverter('Europe/Berlin');
  assert.equal(isoUtc(berlin.toUtc(w(2021, 7, 1, 12, 0)).ms), '2021-07-01T10:00:00Z'); // CEST
  assert.equal(isoUtc(berlin.toUtc(w(2021, 1, 1, 12, 0)).ms), '2021-01-01T11:00:00Z'); // CET
  const ny = new ZoneConverter('America/New_York');
  assert.equal(isoUtc(ny.toUtc(w(2023, 3, 1, 9, 30)).ms), '2023-03-01T14:30:00Z');
});

test('DST gaps and overlaps are flagged', () => {
  const berlin = new ZoneConverter('Europe/Berlin');
  const gap = berlin.toUtc(w(2021, 3, 28, 2, 30)); // does not exist
  assert.equal(gap.gap, true);
  assert.equal(isoUtc(gap.ms), '2021-03-28T01:30:00Z');
  const overlap = berlin.toUtc(w(2021, 10, 31, 2, 30)); // happens twice
  assert.equal(overlap.ambiguous, true);
  assert.equal(isoUtc(overlap.ms), '2021-10-31T00:30:00Z');
  const plain = berlin.toUtc(w(2021, 10, 31, 4, 0));
  assert.deepEqual([plain.gap, plain.ambiguous], [false, false]);
});

test('fixed offsets', () => {
  assert.equal(parseFixedOffset('+03:00'), 180);
  assert.equal(parseFixedOffset('-0530'), -330);
  assert.equal(parseFixedOffset('UTC+5'), 300);
  assert.equal(parseFixedOffset('Europe/Moscow'), null);
  assert.equal(isoUtc(new ZoneConverter('+05:00').toUtc(w(2020, 1, 1, 5)).ms), '2020-01-01T00:00:00Z');
});

test('dates are validated, never rolled over', () => {
  assert.equal(isValidWallClock(w(2023, 2, 29)), false);
  assert.equal(isValidWallClock(w(2024, 2, 29)), true);
  assert.equal(isValidWallClock(w(2023, 6, 31)), false);
  assert.equal(isValidWallClock(w(2023, 13, 1)), false);
  assert.equal(isValidWallClock(w(2023, 1, 1, 24)), false);
  assert.equal(formatWallClock(w(2023, 1, 2, 3, 4, 5)), '2023-01-02T03:04:05');
});

test('zone names are checked', () => {
  assert.equal(isKnownZone('Asia/Almaty'), true);
  assert.equal(isKnownZone('Mars/Olympus'), false);
  assert.equal(isKnownZone('+03:00'), true);
});

test('a recording length reads as a player shows it', () => {
  assert.equal(formatLength(3000), '0:03');
  assert.equal(formatLength(2_970), '0:03', 'rounded to the second');
  assert.equal(formatLength(725_000), '12:05');
  assert.equal(formatLength(3_725_000), '1:02:05');
});
