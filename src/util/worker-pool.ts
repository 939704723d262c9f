// A worker_threads pool: a few jobs in flight per worker so file reads overlap the work, results
// back by job id so callers keep their order. A worker that dies fails only its own jobs (as the
// result `failure` makes of the reason) and is replaced; workers that keep dying before answering
// anything cannot start, and the pool stops respawning them. Idle workers do not keep the process
// alive, so a pool may live as long as the process without being closed.
//
// A worker answers each `{ id, job }` message with `{ id, result }`.

import { Worker, type ResourceLimits } from 'node:worker_threads';

interface Pending<Job, Result> {
  id: number;
  job: Job;
  resolve: (result: Result) => void;
}

interface Slot<Job, Result> {
  worker: Worker;
  inFlight: Map<number, Pending<Job, Result>>;
}

export interface WorkerPoolOptions<Result> {
  /** The worker's module. */
  url: URL;
  size: number;
  jobsPerWorker: number;
  /** The result of a job whose worker died or could not start. */
  failure: (reason: string) => Result;
  /** Heap limits of each worker (a worker over them dies, and its jobs fail). */
  resourceLimits?: ResourceLimits;
}

export class WorkerPool<Job, Result> {
  readonly size: number;
  private readonly options: WorkerPoolOptions<Result>;
  private readonly slots: Slot<Job, Result>[] = [];
  private readonly queue: Pending<Job, Result>[] = [];
  private nextId = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  /** Worker deaths since the last answer. */
  private crashes = 0;

  constructor(options: WorkerPoolOptions<Result>) {
    this.options = options;
    this.size = Math.max(1, Math.floor(options.size));
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  run(job: Job): Promise<Result> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, job, resolve });
      this.dispatch();
    });
  }

  /** Waits for queued jobs, then stops the workers. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.idle()) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }

  private spawn(): Slot<Job, Result> {
    const worker = new Worker(this.options.url, this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {});
    const slot: Slot<Job, Result> = { worker, inFlight: new Map() };
    slot.worker.on('message', (message: { id: number; result: Result }) => {
      const pending = slot.inFlight.get(message.id);
      if (!pending) return;
      slot.inFlight.delete(message.id);
      if (slot.inFlight.size === 0) slot.worker.unref();
      this.crashes = 0;
      pending.resolve(message.result);
      this.dispatch();
    });
    const fail = (reason: string): void => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      for (const pending of slot.inFlight.values()) pending.resolve(this.options.failure(reason));
      slot.inFlight.clear();
      if (++this.crashes > 2 * this.size) this.slots.splice(index, 1);
      else this.slots[index] = this.spawn();
      this.dispatch();
    };
    slot.worker.on('error', (e) => fail(e.message));
    slot.worker.on('exit', (code) => {
      if (!this.closed || slot.inFlight.size > 0) fail(`exited with code ${code}`);
    });
    // Unreferenced until it has work. After the listeners: adding a 'message' listener references
    // the worker's port again.
    slot.worker.unref();
    return slot;
  }

  private idle(): boolean {
    return this.queue.length === 0 && this.slots.every((s) => s.inFlight.size === 0);
  }

  private dispatch(): void {
    if (this.slots.length === 0) for (const pending of this.queue.splice(0)) pending.resolve(this.options.failure('no worker could start'));
    // Each job to the least loaded worker with room, so a few jobs spread over every worker.
    while (this.queue.length > 0) {
      let slot: Slot<Job, Result> | null = null;
      for (const s of this.slots) if (s.inFlight.size < this.options.jobsPerWorker && (slot === null || s.inFlight.size < slot.inFlight.size)) slot = s;
      if (slot === null) break;
      const pending = this.queue.shift()!;
      if (slot.inFlight.size === 0) slot.worker.ref();
      slot.inFlight.set(pending.id, pending);
      slot.worker.postMessage({ id: pending.id, job: pending.job });
    }
    if (this.idle()) for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
