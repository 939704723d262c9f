// File hashing, on this thread and on worker threads: the same digest as hashing the bytes read here, a clear error for a file
// that cannot be read, files left unchanged, and a process that still ends once its hashing is done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256File, sha256FileInWorker } from '../src/util/hash.js';
import { fixturePath } from './helpers.js';

const HASH_MODULE = fileURLToPath(new URL('../src/util/hash.js', import.meta.url));

test('sha256File and sha256FileInWorker give the digest and size of the bytes on disk, for many files at once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'threatlens-hash-'));
  try {
    // Empty, one byte, exactly the worker's 1 MiB buffer, and past it.
    const sizes = [0, 1, 1 << 20, (1 << 20) + 17, 3_000_001];
    const paths = sizes.map((size, i) => {
      const path = join(dir, `f${i}.bin`);
      const bytes = Buffer.alloc(size);
      for (let k = 0; k < size; k++) bytes[k] = (k * 31 + i) & 0xff;
      writeFileSync(path, bytes);
      return path;
    });
    paths.push(fixturePath('images', 'canon-80d.jpg'), fixturePath('telegram', 'account', 'result.json'));
    const before = paths.map((p) => statSync(p).mtimeMs);
    // Three rounds: the first files are hashed on this thread, the pool takes the rest (INLINE_FILES is 16).
    const rounds = [...paths, ...paths, ...paths];
    for (const hash of [sha256File, sha256FileInWorker]) {
      const digests = await Promise.all(rounds.map((p) => hash(p)));
      digests.forEach((d, i) => {
        const bytes = readFileSync(rounds[i]!);
        assert.equal(d.sha256, createHash('sha256').update(bytes).digest('hex'), `${hash.name}: ${rounds[i]}`);
        assert.equal(d.size, bytes.length);
      });
    }
    assert.deepEqual(paths.map((p) => statSync(p).mtimeMs), before, 'files unchanged');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sha256File reads files hashed one after another into the same buffer', async () => {
  // A stream allocated a buffer per piece: the thousands of chats of a folder left 50 MB of them for
  // the garbage collector at a time, memory the C heap they came from kept to the end of the run.
  const dir = mkdtempSync(join(tmpdir(), 'threatlens-hash-'));
  const slow = Buffer.allocUnsafeSlow;
  const unsafe = Buffer.allocUnsafe;
  try {
    const paths = Array.from({ length: 30 }, (_, i) => {
      const path = join(dir, `chat-${i}.txt`);
      writeFileSync(path, `12.03.2024, 14:05 - Борис: ты нигде не в безопасности ${i}\n`.repeat(1000 + i * 50));
      return path;
    });
    await sha256File(paths[0]!); // the buffer kept from here on
    const allocated: number[] = [];
    Buffer.allocUnsafeSlow = (size: number) => (allocated.push(size), slow(size));
    Buffer.allocUnsafe = (size: number) => (allocated.push(size), unsafe(size));
    const digests = [];
    for (const path of paths) digests.push(await sha256File(path));
    Buffer.allocUnsafeSlow = slow;
    Buffer.allocUnsafe = unsafe;
    digests.forEach((d, i) => assert.equal(d.sha256, createHash('sha256').update(readFileSync(paths[i]!)).digest('hex')));
    const total = allocated.reduce((a, b) => a + b, 0);
    assert.ok(total < 64 * 1024, `allocated ${total} bytes to hash ${paths.length} files of ${statSync(paths[0]!).size}+ bytes`);
  } finally {
    Buffer.allocUnsafeSlow = slow;
    Buffer.allocUnsafe = unsafe;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('both reject with the reason when the file cannot be read', async () => {
  for (const hash of [sha256File, sha256FileInWorker]) {
    await assert.rejects(hash('/nonexistent/threatlens/photo.jpg'), /ENOENT.*photo\.jpg/);
    await assert.rejects(hash(fixturePath('images')), /EISDIR/);
  }
});

test('a process that hashed a file ends by itself: idle hashing workers do not keep it alive', () => {
  const script = `import(${JSON.stringify(HASH_MODULE)}).then(async ({ sha256FileInWorker }) => {
  // More files than are hashed on this thread, so the pool starts.
  const all = await Promise.all(Array.from({ length: 20 }, () => sha256FileInWorker(${JSON.stringify(fixturePath('images', 'canon-80d.jpg'))})));
  console.log(all[19].size);
});`;
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(Number(out.trim()), statSync(fixturePath('images', 'canon-80d.jpg')).size);
});
