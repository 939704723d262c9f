// Clocks and time bases every reader shares. A reader turns what the export writes into TimeInfo:
// an instant (`instant`), a wall clock converted with the investigator's --tz (`zone`), a wall
// clock read as UTC and flagged (`assumed-utc`), or one converted with an offset the export leaks
// (`inferred-offset`). Zone arithmetic itself is util/time.ts (media/ and cli/ use it too).
import type { TimeInfo } from '../../model.js';
import { checkZone } from '../../settings.js';
import { isoUtc } from '../../util/time.js';
import type { ReadOptions } from '../reader.js';

/** Checks the --tz a reader was handed before it reads anything (one message per mistake: settings.ts). */
export function checkReadZone(options: Pick<ReadOptions, 'tz'>): void {
  if (options.tz !== null) checkZone(options.tz);
}

/** The basis of a wall clock without a zone of its own: the --tz given, else read as UTC (flagged). */
export function wallClockBasis(tz: string | null): Extract<TimeInfo['basis'], 'zone' | 'assumed-utc'> {
  return tz === null ? 'assumed-utc' : 'zone';
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/**
 * isoUtc (util/time.ts) for whole seconds, with the date part cached per day: messages come in
 * date order, and building a Date per message costs more than the rest of its time.
 */
export class IsoSecondsFormatter {
  private day = Number.NaN;
  private prefix = '';

  format(ms: number): string {
    if (ms % 1000 !== 0) return isoUtc(ms);
    const sec = ms / 1000;
    const day = Math.floor(sec / 86_400);
    if (day !== this.day) {
      const iso = isoUtc(day * 86_400_000);
      if (iso.length !== 20) return isoUtc(ms); // years beyond 9999 and the like
      this.day = day;
      this.prefix = iso.slice(0, 11);
    }
    let rest = sec - day * 86_400;
    const h = Math.floor(rest / 3600);
    rest -= h * 3600;
    const m = Math.floor(rest / 60);
    return `${this.prefix}${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[rest - m * 60]}Z`;
  }
}
