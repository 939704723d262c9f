// Event batching for readers. A reader yields one event per message; resuming an async generator
// for each one costs more than building the message, so the kit offers two thin iterators:
// - BatchedEvents: the work runs in an async generator of small arrays (whatsapp/chat-reader.ts);
// - PumpedEvents: the reader pumps its own queue and awaits only for slow steps (telegram-json.ts).
// Either way: same sequence, same errors (after the events before them), same return() and throw().
import type { ReaderEvent } from '../../model.js';

/** Hands out, one per next(), the events an async generator produces in small arrays. */
export class BatchedEvents implements AsyncGenerator<ReaderEvent, void, undefined> {
  private batch: readonly ReaderEvent[] = [];
  private at = 0;
  private finished = false;
  /** The pull in progress, so overlapping next() calls are served in order. */
  private pulling: Promise<IteratorResult<ReaderEvent, void>> | null = null;

  constructor(private readonly inner: AsyncGenerator<readonly ReaderEvent[], void, undefined>) {}

  next(): Promise<IteratorResult<ReaderEvent, void>> {
    if (this.pulling !== null) return this.pulling.then(() => this.next());
    if (this.at < this.batch.length) return Promise.resolve({ value: this.batch[this.at++]!, done: false });
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    const pull = this.pull();
    this.pulling = pull;
    const clear = (): void => {
      if (this.pulling === pull) this.pulling = null;
    };
    pull.then(clear, clear);
    return pull;
  }

  private async pull(): Promise<IteratorResult<ReaderEvent, void>> {
    for (;;) {
      let step: IteratorResult<readonly ReaderEvent[], void>;
      try {
        step = await this.inner.next();
      } catch (error) {
        this.finished = true;
        throw error;
      }
      if (step.done === true) {
        this.finished = true;
        return { value: undefined, done: true };
      }
      if (step.value.length > 0) {
        this.batch = step.value;
        this.at = 1;
        return { value: step.value[0]!, done: false };
      }
    }
  }

  async return(value?: void | PromiseLike<void>): Promise<IteratorResult<ReaderEvent, void>> {
    if (this.pulling !== null) await this.pulling.catch(() => undefined);
    this.batch = [];
    this.at = 0;
    this.finished = true;
    await this.inner.return(undefined);
    return { value: (await value) as void, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ReaderEvent, void>> {
    if (this.pulling !== null) await this.pulling.catch(() => undefined);
    this.batch = [];
    this.at = 0;
    this.finished = true;
    await this.inner.throw(error);
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

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
