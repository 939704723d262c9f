// One thread of the file-hashing pool (hash.ts): reads each file read-only through one reused
// buffer and answers its SHA-256 and size, or why it could not.

import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { FileDigest } from './hash.js';

const buffer = Buffer.allocUnsafe(1 << 20);

function digest(path: string): FileDigest {
  try {
    const fd = openSync(path, 'r');
    try {
      const hash = createHash('sha256');
      let size = 0;
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, null);
        if (n === 0) break;
        hash.update(buffer.subarray(0, n));
        size += n;
      }
      return { sha256: hash.digest('hex'), size };
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

parentPort!.on('message', (message: { id: number; job: string }) => {
  parentPort!.postMessage({ id: message.id, result: digest(message.job) });
});
