// Event batching for readers. A reader yields one event per message; resuming an async generator
// for each one costs more than building the message, so the kit hands events out through one thin
// iterator (PumpedEvents) over an EventPump, which a reader gives in one of two ways:
// - it pumps its own queue and awaits only for slow steps (telegram-json.ts's TelegramRead);
// - its work runs in an async generator of small arrays (whatsapp/chat-reader.ts): pumpOfBatches.
// Either way: same sequence, same errors (after the events before them), same return() and throw().
import type { ReaderEvent } from '../../model.js';

const DONE: IteratorResult<ReaderEvent, undefined> = { value: undefined, done: true };

/**
 * What a reader that pumps its own work exposes (telegram-json's TelegramRead): a slow first step,
 * then pump() runs until an event is queued (undefined), the input is done ('end'), or it must
 * wait (the promise to await before pumping again); take() hands out the queued events.
 */
export interface EventPump {
  start(): Promise<void>;
  pump(): Promise<void> | 'end' | undefined;
  take(): ReaderEvent | undefined;
  close(): Promise<void>;
}

/**
 * The stream of an EventPump as an AsyncGenerator: an event already queued, or one the pump makes
 * without waiting, is handed out without resuming a generator, so the per-message cost is a
 * resolved promise. Overlapping next() calls wait for the slow step in progress, as generators do.
 */
export class PumpedEvents implements AsyncGenerator<ReaderEvent, undefined, unknown> {
  private readonly read: EventPump;
  private started = false;
  private closed = false;
  /** The slow step in progress: a next() called before it settles waits for it (as generators do). */
  private busy: Promise<unknown> | null = null;

  constructor(read: EventPump) {
    this.read = read;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ReaderEvent, undefined>> {
    if (this.busy !== null) return this.busy.then(() => this.next(), () => this.next());
    const ready = this.read.take();
    if (ready !== undefined) return Promise.resolve({ value: ready, done: false });
    if (this.closed) return Promise.resolve(DONE);
    if (!this.started) {
      this.started = true;
      return this.slow(this.read.start());
    }
    let wait: Promise<void> | 'end' | undefined;
    try {
      wait = this.read.pump();
    } catch (error) {
      return this.fail(error);
    }
    if (wait === undefined) return Promise.resolve({ value: this.read.take()!, done: false });
    if (wait === 'end') return this.return();
    return this.slow(wait);
  }

  private slow(wait: Promise<void>): Promise<IteratorResult<ReaderEvent, undefined>> {
    const step = this.slowStep(wait);
    this.busy = step;
    const clear = (): void => {
      if (this.busy === step) this.busy = null;
    };
    step.then(clear, clear);
    return step;
  }

  private async slowStep(wait: Promise<void>): Promise<IteratorResult<ReaderEvent, undefined>> {
    try {
      await wait;
      for (;;) {
        const step = this.read.pump();
        if (step === undefined) return { value: this.read.take()!, done: false };
        if (step === 'end') return await this.return();
        await step;
      }
    } catch (error) {
      return this.fail(error);
    }
  }

  private async fail(error: unknown): Promise<never> {
    this.closed = true;
    await this.read.close().catch(() => undefined);
    throw error;
  }

  async return(): Promise<IteratorResult<ReaderEvent, undefined>> {
    this.closed = true;
    await this.read.close();
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<ReaderEvent, undefined>> {
    return this.fail(error);
  }
}

/**
 * An async generator of small arrays of events as an EventPump: each array is taken one event at a
 * time, and the generator resumed only when it is used up. Closing returns the generator (its
 * `finally` runs) and drops what it had queued.
 */
export function pumpOfBatches(batches: AsyncGenerator<readonly ReaderEvent[], void, undefined>): EventPump {
  let batch: readonly ReaderEvent[] = [];
  let at = 0;
  let done = false;
  return {
    start: () => Promise.resolve(),
    pump() {
      if (at < batch.length) return undefined;
      if (done) return 'end';
      return batches.next().then((step) => {
        if (step.done === true) done = true;
        else {
          batch = step.value;
          at = 0;
        }
      });
    },
    take: () => (at < batch.length ? batch[at++] : undefined),
    async close() {
      batch = [];
      done = true;
      await batches.return(undefined);
    },
  };
}
