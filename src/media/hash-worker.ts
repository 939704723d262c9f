// One thread of the hash pool: receives HashJobs, answers HashResults. libvips gets one thread per
// worker, so N workers keep N cores busy without oversubscribing them (sharp's cache is turned off
// where phash.ts loads it, on every thread).

import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { hashImage, type HashJob } from './phash.js';
import { keepConsoleOffStdout } from '../util/console-guard.js';

// A worker's stdout is the process's stdout: nothing a library prints here may reach it.
keepConsoleOffStdout();

sharp.concurrency(1);

parentPort!.on('message', (message: { id: number; job: HashJob }) => {
  void hashImage(message.job).then((result) => parentPort!.postMessage({ id: message.id, result }));
});
