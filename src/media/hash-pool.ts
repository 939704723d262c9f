// The perceptual-hash pool: one worker per core (src/util/worker-pool.ts), each with a couple of jobs
// in flight so file reads overlap decoding. A worker that dies fails only its own jobs, as per-file
// errors.

import { availableParallelism } from 'node:os';
import { WorkerPool } from '../util/worker-pool.js';
import type { HashJob, HashResult } from './phash.js';

const failure = (reason: string): HashResult => ({ hashes: {}, thumbnailHashes: null, width: null, height: null, errors: [`hash worker failed: ${reason}`], decoderMessages: [] });

export class HashPool {
  private readonly pool: WorkerPool<HashJob, HashResult>;

  private constructor(size: number) {
    this.pool = new WorkerPool({ url: new URL('./hash-worker.js', import.meta.url), size, jobsPerWorker: 2, failure });
  }

  get size(): number {
    return this.pool.size;
  }

  /**
   * Starts `size` workers (default: every core). sharp is loaded here first: on glibc Linux the main
   * thread must hold sharp's shared libraries, or they are unloaded when a worker exits.
   */
  static async start(size = availableParallelism()): Promise<HashPool> {
    await import('sharp');
    return new HashPool(size);
  }

  hash(job: HashJob): Promise<HashResult> {
    return this.pool.run(job);
  }

  /** Waits for queued jobs, then stops the workers. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
