// Hands out, one per next(), the events an async generator produces in small arrays. A reader
// yields one event per message; resuming an async generator for each one costs more than
// building the message, so the work runs in batches and the events leave through this thin
// iterator. Same sequence, same errors (after the events before them), same return() and throw().
import type { ReaderEvent } from '../../model.js';

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
