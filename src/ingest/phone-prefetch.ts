// Phone numbers read while an export is still being read. When the default region is known
// beforehand (--region, threatlens.json) and the export is long, its texts go, in batches of 2,000
// as they are written, to a thread of their own; the phone stage then takes the numbers found there
// instead of reading every text again on the main thread. The numbers are the ones the phone stage
// would find itself (the same extraction, run elsewhere), and a row the thread did not read (the
// thread failed, or the export was short) is read by the phone stage as before.
import { availableParallelism } from 'node:os';
import { WorkerPool } from '../util/worker-pool.js';
import { expandMatch, type CompactBatch } from '../phone/extract-batch.js';
import type { NumberPart } from '../phone/fact.js';
import type { ExtractAnswer, ExtractJob } from '../phone/extract-worker.js';
import type { PhoneMatch } from '../phone/index.js';

const BATCH = 2000;
/** Texts held before the thread is started: shorter exports are read by the phone stage alone. */
export const PREFETCH_AFTER = 4000;
/** Batches sent and not answered yet before the reader waits for the thread (bounds the texts held). */
const MAX_IN_FLIGHT = 4;

const YOUNG_MB = 8;

/**
 * An export file at least this big starts the thread before it is read (1 MiB: about 10,000
 * WhatsApp messages or 4,000 of a Telegram export, past PREFETCH_AFTER texts in either).
 */
export const WARM_UP_BYTES = 1 << 20;

let pool: WorkerPool<ExtractJob, ExtractAnswer> | null = null;
let streams = 0;

function extractionThread(): WorkerPool<ExtractJob, ExtractAnswer> {
  // One thread: the main thread is busy reading and writing meanwhile. Fact ids are numbered per
  // thread, so a stream must stay on one.
  pool ??= new WorkerPool<ExtractJob, ExtractAnswer>({
    url: new URL('../phone/extract-worker.js', import.meta.url),
    size: 1,
    jobsPerWorker: MAX_IN_FLIGHT,
    failure: (reason) => ({ error: `phone extraction thread failed: ${reason}` }),
    // A small young generation: the thread's garbage is short-lived, and its peak memory adds to
    // the process's. Past the old-generation limit the thread dies and the phone stage reads the rest.
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: 256 },
  });
  return pool;
}

interface Batch {
  rowids: Int32Array;
  answer: Promise<ExtractAnswer>;
  /** The thread's answer has come (it may not be settled yet). */
  arrived: boolean;
  result?: CompactBatch;
  /** The next row and the next match of this batch to look at. */
  row: number;
  match: number;
}

/** The numbers of one message text: as extractPhonesCapped gives them. */
export interface TextNumbers {
  matches: PhoneMatch[];
  skipped: number;
}

export class PhonePrefetch {
  private readonly stream = ++streams;
  private rowids: number[] = [];
  private texts: string[] = [];
  private started = false;
  /** Every batch sent, in order; null once read past. */
  private readonly batches: (Batch | null)[] = [];
  private readonly facts: NumberPart[] = [];
  private at = 0;
  private broken = false;

  constructor(
    private readonly region: string,
    private readonly limit: number,
    /** Texts held before the thread is started (PREFETCH_AFTER unless said otherwise). */
    private readonly startAfter: number = PREFETCH_AFTER,
  ) {}

  /**
   * Starts the thread now when an export of `bytes` will need it: it loads the phone library while
   * the main thread hashes the file and reads its first messages, instead of when they are handed to it.
   */
  static warmUpFor(bytes: number): void {
    if (bytes >= WARM_UP_BYTES) extractionThread();
  }

  /** Only where it helps: a machine with a second core. */
  static wanted(): boolean {
    return availableParallelism() > 1;
  }

  /** A message written: its text will be read on the extraction thread once the export is long enough. */
  add(rowid: number, text: string): void {
    this.rowids.push(rowid);
    this.texts.push(text);
    if (!this.started && this.texts.length < this.startAfter) return;
    this.started = true;
    while (this.texts.length >= BATCH) this.send(BATCH);
  }

  /** True when the thread is behind: the reader should wait (catchUp) before reading on. */
  get behind(): boolean {
    let waiting = 0;
    for (let i = this.batches.length - 1; i >= this.at && this.batches[i]!.result === undefined; i--) waiting++;
    return waiting > MAX_IN_FLIGHT;
  }

  /**
   * The last row of the answered batches, every batch before them answered too (0: none yet): the
   * rows up to it can be taken without waiting.
   */
  get answeredThrough(): number {
    let last = 0;
    for (let i = this.at; i < this.batches.length; i++) {
      const batch = this.batches[i]!;
      if (!batch.arrived) break;
      last = batch.rowids[batch.rowids.length - 1]!;
    }
    return last;
  }

  /** Waits for the oldest batch not answered yet. */
  async catchUp(): Promise<void> {
    const pending = this.batches.find((b) => b !== null && b.result === undefined);
    if (pending !== undefined && pending !== null) await this.settle(pending);
  }

  /** The export is read: the texts held go to the thread too (when it was started). */
  finish(): void {
    if (this.started && this.texts.length > 0) this.send(this.texts.length);
    this.rowids = [];
    this.texts = [];
  }

  /** The numbers of the row `rowid` (rows asked in increasing order), or null when the thread did not read it. */
  async take(rowid: number, text: string): Promise<TextNumbers | null> {
    for (;;) {
      if (this.broken) return null;
      const batch = this.batches[this.at];
      if (batch === undefined || batch === null) return null;
      const result = await this.settle(batch);
      if (result === null) return null;
      if (rowid > batch.rowids[batch.rowids.length - 1]!) {
        this.batches[this.at++] = null; // answered and passed: freed
        continue;
      }
      while (batch.row < batch.rowids.length && batch.rowids[batch.row]! < rowid) batch.row++;
      if (batch.rowids[batch.row] !== rowid) return null;
      const t = batch.row;
      const m = result.matches;
      while (batch.match * 4 < m.length && m[batch.match * 4]! < t) batch.match++;
      const matches: PhoneMatch[] = [];
      for (let k = batch.match; k * 4 < m.length && m[k * 4] === t; k++) {
        const ext = result.exts.find(([index]) => index === k)?.[1] ?? null;
        matches.push(expandMatch(result, k, this.facts, text, this.region, ext));
      }
      const skipped = result.capped.find(([index]) => index === t)?.[1] ?? 0;
      return { matches, skipped };
    }
  }

  private send(count: number): void {
    const texts = this.texts.splice(0, count);
    const rowids = Int32Array.from(this.rowids.splice(0, count));
    const answer = extractionThread().run({ stream: this.stream, region: this.region, limit: this.limit, texts });
    const batch: Batch = { rowids, answer, arrived: false, row: 0, match: 0 };
    void answer.then(() => {
      batch.arrived = true;
    });
    this.batches.push(batch);
  }

  /**
   * A batch's answer, its new facts added to the table. Batches are settled in order (take and
   * catchUp walk them from the oldest), so the fact ids of every batch are known when it is read.
   */
  private async settle(batch: Batch): Promise<CompactBatch | null> {
    if (batch.result !== undefined) return batch.result;
    const answer = await batch.answer;
    if (batch.result !== undefined) return batch.result;
    if ('error' in answer) {
      this.broken = true;
      return null;
    }
    // Earlier batches first: their facts come before this one's.
    for (const earlier of this.batches) {
      if (earlier === batch) break;
      if (earlier !== null && earlier.result === undefined) await this.settle(earlier);
    }
    if (batch.result !== undefined) return batch.result;
    this.facts.push(...answer.batch.newFacts);
    batch.result = answer.batch;
    return batch.result;
  }
}
