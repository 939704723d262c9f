// Decides the date order of one shape group of headers from all of its lines, in one streaming
// pass with constant memory: a number above 12 proves the day; a 4-digit first number means the
// year comes first; otherwise the order under which the dates run forward (fewest steps back in
// time), then the position that changes more often (days change more often than months).
import { daysInMonth } from '../../util/time.js';
import type { DateOrder } from '../reader.js';
import type { Header } from './header.js';
import { yearPosition } from './header.js';

/** Written order of day, month and year. Year-in-the-middle orders exist in odd exports. */
export type Perm = 'dmy' | 'mdy' | 'ymd' | 'ydm' | 'myd' | 'dym';

export type OrderSource = 'proven' | 'heuristic' | 'option';

export interface OrderDecision {
  order: Perm;
  source: OrderSource;
  /** Why, in a few words (for warnings and facts). */
  reason: string;
  /** The user's --date-order could not apply to this shape (a 4-digit year stands elsewhere). */
  optionIgnored: boolean;
  /**
   * Why the decision deserves a second look, in a sentence, or null: --date-order makes dates
   * impossible that another order reads, or a proof rests on a few lines that the rest of the file
   * contradicts (a message quoting a date can look like a header).
   */
  doubt: { line: number; message: string } | null;
}

interface Candidate {
  order: Perm;
  /** Written positions of day, month and year. */
  d: number;
  m: number;
  y: number;
  invalid: number;
  backwards: number;
  prev: number;
  /** The last date added was invalid under this order. */
  lastInvalid: boolean;
  /** Line of the first date invalid under this order (0: none). */
  firstInvalidLine: number;
}

function candidate(order: Perm): Candidate {
  return { order, d: order.indexOf('d'), m: order.indexOf('m'), y: order.indexOf('y'), invalid: 0, backwards: 0, prev: -1, lastInvalid: false, firstInvalidLine: 0 };
}

const PERMS_BY_YEAR_POSITION: Record<string, Perm[]> = {
  '-1': ['dmy', 'mdy', 'ymd'],
  '0': ['ymd', 'ydm'],
  '1': ['myd', 'dym'],
  '2': ['dmy', 'mdy'],
};

/** A proof by days above 12 on at most this share of a shape's lines is checked against the rest. */
const PROOF_MINORITY = 0.02;

/** Year from a written year number: two digits are 20xx (WhatsApp exists since 2009). */
export function fullYear(value: number, digits: number): number {
  return digits <= 2 ? 2000 + value : digits === 4 ? value : -1;
}

/** The calendar date a header gives under an order: [year, month, day]. */
export function dateUnder(h: Header, order: Perm): [number, number, number] {
  const vals = [h.n0, h.n1, h.n2];
  const lens = [h.len0, h.len1, h.len2];
  const y = order.indexOf('y');
  return [fullYear(vals[y]!, lens[y]!), vals[order.indexOf('m')]!, vals[order.indexOf('d')]!];
}

/** isValidWallClock for a date at midnight, without building a WallClock. */
export function isValidDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) && year >= 1970 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

/** Evidence about one shape group, gathered line by line. */
export class ShapeStats {
  readonly key: number;
  readonly yearPos: -1 | 0 | 1 | 2;
  readonly sep: string;
  count = 0;
  firstLine: number;
  example: string;
  twelveHour = false;
  private readonly max = [0, 0, 0];
  private readonly changes = [0, 0, 0];
  private readonly last = [0, 0, 0];
  private readonly vals = [0, 0, 0];
  private readonly lens = [0, 0, 0];
  private readonly candidates: Candidate[];

  constructor(key: number, first: Header, line: number, example: string) {
    this.key = key;
    this.yearPos = yearPosition(first);
    this.sep = first.sep;
    this.firstLine = line;
    this.example = example;
    this.candidates = PERMS_BY_YEAR_POSITION[String(this.yearPos)]!.map(candidate);
  }

  /** Adds the header found at `line` (1-based). */
  add(h: Header, line: number): void {
    this.count++;
    if (h.half !== 0) this.twelveHour = true;
    const { vals, lens, last } = this;
    // Most headers repeat the date of the one before: nothing changes but the invalid counts
    // (the same date is as valid or invalid as before, and never a step back in time).
    if (
      this.count > 1 &&
      h.n0 === last[0] &&
      h.n1 === last[1] &&
      h.n2 === last[2] &&
      h.len0 === lens[0] &&
      h.len1 === lens[1] &&
      h.len2 === lens[2]
    ) {
      for (const c of this.candidates) if (c.lastInvalid) c.invalid++;
      return;
    }
    vals[0] = h.n0;
    vals[1] = h.n1;
    vals[2] = h.n2;
    lens[0] = h.len0;
    lens[1] = h.len1;
    lens[2] = h.len2;
    for (let i = 0; i < 3; i++) {
      if (vals[i]! > this.max[i]!) this.max[i] = vals[i]!;
      if (this.count > 1 && vals[i] !== last[i]) this.changes[i]!++;
      last[i] = vals[i]!;
    }
    for (const c of this.candidates) {
      const year = fullYear(vals[c.y]!, lens[c.y]!);
      const month = vals[c.m]!;
      const day = vals[c.d]!;
      if (!isValidDate(year, month, day)) {
        c.invalid++;
        c.lastInvalid = true;
        if (c.firstInvalidLine === 0) c.firstInvalidLine = line;
        continue;
      }
      c.lastInvalid = false;
      const key = year * 372 + month * 31 + day;
      if (key < c.prev) c.backwards++;
      c.prev = key;
    }
  }

  decide(option: DateOrder | null): OrderDecision {
    const cands = this.candidates.filter((c) => c.order !== 'ymd' || this.yearPos !== -1 || option === 'ymd');
    let optionIgnored = false;
    if (option !== null) {
      const chosen = cands.find((c) => c.order === option);
      if (chosen !== undefined) {
        const valid = cands.find((c) => c.invalid === 0);
        const n = chosen.invalid;
        const doubt =
          n > 0 && valid !== undefined
            ? {
                line: chosen.firstInvalidLine,
                message: `--date-order ${option} makes ${n} date${n === 1 ? '' : 's'} impossible (the first at line ${chosen.firstInvalidLine}) that ${valid.order} reads without one; ${n === 1 ? 'that message gets' : 'those messages get'} no time`,
              }
            : null;
        return { order: option, source: 'option', reason: 'given with --date-order', optionIgnored, doubt };
      }
      optionIgnored = true;
    }
    if (this.yearPos === 0) {
      // Year-first dates are year-month-day in every locale that writes them; a middle number
      // above 12 would be the only evidence otherwise.
      const ydm = this.max[1]! > 12 && this.max[2]! <= 12;
      return {
        order: ydm ? 'ydm' : 'ymd',
        source: 'proven',
        reason: ydm ? 'the middle number exceeds 12' : 'a 4-digit year comes first',
        optionIgnored,
        doubt: null,
      };
    }
    const [p, q] = [0, 1, 2].filter((i) => i !== (this.yearPos === -1 ? 2 : this.yearPos)) as [number, number];
    const dayAt = (pos: number): Candidate => cands.find((c) => c.d === pos)!;
    const overP = this.max[p]! > 12;
    const overQ = this.max[q]! > 12;
    if (overP !== overQ) {
      const day = overP ? p : q;
      const month = overP ? q : p;
      const c = dayAt(day);
      // The other order fails exactly on the lines that prove this one. When those are few and,
      // read this way, the month would change more often than the day (real chats run the other
      // way), a message quoting a date may be posing as a header: say so.
      const rejected = dayAt(month);
      const doubt =
        rejected.invalid <= Math.max(1, this.count * PROOF_MINORITY) && this.changes[day]! < this.changes[month]!
          ? {
              line: rejected.firstInvalidLine,
              message:
                `the order ${c.order} rests on ${rejected.invalid} line${rejected.invalid === 1 ? '' : 's'} with a day above 12 (the first at line ${rejected.firstInvalidLine}), ` +
                `yet read so the month would change more often than the day (${this.changes[month]} against ${this.changes[day]} times); ` +
                `check line ${rejected.firstInvalidLine} (a message may quote a date) and pass --date-order ${rejected.order} if the rest of the file is right`,
            }
          : null;
      return { order: c.order, source: 'proven', reason: `a day above 12 in position ${day + 1}`, optionIgnored, doubt };
    }
    // Not proven: rank by invalid dates, then steps back in time, then how often the position changes.
    const pair = [dayAt(p), dayAt(q)];
    const changeOf = (c: Candidate): number => this.changes[c.d]!;
    pair.sort((a, b) => a.invalid - b.invalid || a.backwards - b.backwards || changeOf(b) - changeOf(a));
    const [best, other] = pair as [Candidate, Candidate];
    let reason: string;
    if (best.invalid !== other.invalid) reason = 'the other order gives impossible dates';
    else if (best.backwards !== other.backwards) reason = `dates run forward in time (${other.order} would go back ${other.backwards} times)`;
    else if (changeOf(best) !== changeOf(other)) reason = 'the day is the number that changes more often';
    else {
      // No evidence at all: month-first only for the US-style slash dates with a 12-hour clock.
      const mdyFirst = this.sep === '/' && this.twelveHour;
      const preferred = pair.find((c) => c.order === (mdyFirst ? 'mdy' : 'dmy')) ?? best;
      return { order: preferred.order, source: 'heuristic', reason: 'no evidence; the usual order for this shape', optionIgnored, doubt: null };
    }
    return { order: best.order, source: 'heuristic', reason, optionIgnored, doubt: null };
  }
}
