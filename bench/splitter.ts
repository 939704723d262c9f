// The WhatsApp line splitter fed a long line in tiny chunks, as archive streams may deliver it (run by
// hand: `npm run build && node dist/bench/splitter.js`). It prints the time per line length for
// 1-byte and 64-byte chunks: linear means the time per megabyte stays flat as the line grows (joining
// the pending part of a line on every chunk made it grow with the line's length).
import { LineSplitter } from '../src/readers/whatsapp/lines.js';

function run(lineBytes: number, chunk: number): number {
  const line = Buffer.from(`${'ж'.repeat(lineBytes / 2)}\n`);
  const sp = new LineSplitter('bench', 'utf8', 0, true);
  const start = process.hrtime.bigint();
  let lines = 0;
  for (let at = 0; at < line.length; at += chunk) {
    sp.load(line.subarray(at, Math.min(line.length, at + chunk)));
    while (sp.next()) lines++;
  }
  sp.finish();
  while (sp.next()) lines++;
  if (lines !== 1) throw new Error(`expected one line, got ${lines}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

console.log(`node ${process.version}; one line of N bytes, fed in chunks`);
for (const chunk of [1, 64]) {
  for (const bytes of [1 << 16, 1 << 18, 1 << 20]) {
    const ms = run(bytes, chunk);
    console.log(`  ${String(chunk).padStart(2)}-byte chunks, ${(bytes / 1024).toFixed(0).padStart(5)} KiB line: ${ms.toFixed(1).padStart(8)} ms, ${((ms / bytes) * (1 << 20)).toFixed(0).padStart(6)} ms per MiB`);
  }
}
