// A worker_threads pool for perceptual hashing: one worker per core, each with a couple of jobs in
// flight so file reads overlap decoding. Results come back by job id, so callers keep their order.
// A worker that dies fails only its own jobs (as per-file errors) and is replaced.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HashJob, HashResult } from './phash.js';

const WORKER_URL = new URL('./hash-worker.js', import.meta.url);
const JOBS_PER_WORKER = 2;

const failure = (reason: string): HashResult => ({ hashes: {}, thumbnailHashes: null, width: null, height: null, errors: [`hash worker failed: ${reason}`] });

interface Pending {
  id: number;
  job: HashJob;
  resolve: (result: HashResult) => void;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Pending>;
}

export class HashPool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  /** Worker deaths since the last answer; past a bound the pool stops respawning (a worker that cannot start). */
  private crashes = 0;

  private constructor(size: number) {
    this.size = size;
  }

  /**
   * Starts `size` workers (default: every core). sharp is loaded here first: on glibc Linux the main
   * thread must hold sharp's shared libraries, or they are unloaded when a worker exits.
   */
  static async start(size = availableParallelism()): Promise<HashPool> {
    await import('sharp');
    const pool = new HashPool(Math.max(1, Math.floor(size)));
    for (let i = 0; i < pool.size; i++) pool.slots.push(pool.spawn());
    return pool;
  }

  hash(job: HashJob): Promise<HashResult> {
    if (this.closed) return Promise.reject(new Error('hash pool is closed'));
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

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_URL), inFlight: new Map() };
    slot.worker.on('message', (message: { id: number; result: HashResult }) => {
      const pending = slot.inFlight.get(message.id);
      if (!pending) return;
      slot.inFlight.delete(message.id);
      this.crashes = 0;
      pending.resolve(message.result);
      this.dispatch();
    });
    const fail = (reason: string): void => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      for (const pending of slot.inFlight.values()) pending.resolve(failure(reason));
      slot.inFlight.clear();
      // Workers that die before answering anything cannot start: stop respawning them.
      if (++this.crashes > 2 * this.size) this.slots.splice(index, 1);
      else this.slots[index] = this.spawn();
      this.dispatch();
    };
    slot.worker.on('error', (e) => fail(e.message));
    slot.worker.on('exit', (code) => {
      if (!this.closed || slot.inFlight.size > 0) fail(`exited with code ${code}`);
    });
    return slot;
  }

  private idle(): boolean {
    return this.queue.length === 0 && this.slots.every((s) => s.inFlight.size === 0);
  }

  private dispatch(): void {
    if (this.slots.length === 0) for (const pending of this.queue.splice(0)) pending.resolve(failure('no worker could start'));
    for (const slot of this.slots) {
      while (slot.inFlight.size < JOBS_PER_WORKER && this.queue.length > 0) {
        const pending = this.queue.shift()!;
        slot.inFlight.set(pending.id, pending);
        slot.worker.postMessage({ id: pending.id, job: pending.job });
      }
    }
    if (this.idle()) for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
