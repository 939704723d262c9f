// Ingest benchmark (run by hand: `npm run build && node dist/bench/ingest.js [messages] [runs]`).
// Generates a Telegram account export and a WhatsApp .txt, then measures, each in a fresh process
// (for a true peak RSS), threatlens's readers beside their peers on the same files in the same run:
//   Telegram: readFileSync + JSON.parse of the whole file   vs  telegram-json reader (and full ingest)
//   WhatsApp: whatsapp-chat-parser parseString              vs  whatsapp-txt reader (and full ingest)
// The peer and the reader run alternately (peer, reader, peer, reader…), so load from other work on
// the machine falls on both alike; the ratio shown is the median of the per-round ratios. Each run
// also reports its CPU time (user + system, all threads), which other processes disturb less than
// wall time. The reader's time includes what ingest does before reading: hashing the file
// (openInput) and loading the reader modules.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { generateTelegram, generateWhatsApp } from './generate.js';

const here = fileURLToPath(import.meta.url);
const outDir = fileURLToPath(new URL('../../bench/out/', import.meta.url));

type Task = 'tg-jsonparse' | 'tg-reader' | 'tg-ingest' | 'wa-peer' | 'wa-reader' | 'wa-ingest';

interface Measure {
  ms: number;
  /** CPU time of the process while measuring (user + system, all threads). */
  cpuMs: number;
  rssMb: number;
  messages: number;
  /** Of `ms`, the time openInput took (hashing the whole file, as ingest does before reading). */
  hashMs?: number;
}

/** Reads a file as ingest does (openInput, then the reader); the messages and the hashing time. */
async function countReader(readerName: 'telegram-json' | 'whatsapp-txt', file: string): Promise<{ messages: number; hashMs: number }> {
  const { openInput } = await import('../src/ingest/input.js');
  const { READERS } = await import('../src/readers/registry.js');
  const reader = READERS.find((r) => r.name === readerName)!;
  const hashStart = process.hrtime.bigint();
  const input = await openInput(file);
  const hashMs = Number(process.hrtime.bigint() - hashStart) / 1e6;
  let n = 0;
  for await (const event of reader.read(input, { tz: 'Europe/Moscow', dateOrder: null })) if (event.type === 'message') n++;
  return { messages: n, hashMs };
}

async function fullIngest(file: string): Promise<number> {
  const { openCase } = await import('../src/store/case.js');
  const { ingest } = await import('../src/ingest/pipeline.js');
  const handle = openCase(null, { create: true });
  const report = await ingest(handle, [file], { victim: 'bench', tz: 'Europe/Moscow', dateOrder: null, region: 'RU' });
  handle.close();
  return report.files.reduce((sum, f) => sum + f.messages, 0);
}

async function worker(task: Task, file: string): Promise<void> {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let messages = 0;
  let hashMs: number | undefined;
  switch (task) {
    case 'tg-jsonparse': {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { chats: { list: { messages: unknown[] }[] } };
      messages = doc.chats.list.reduce((sum, c) => sum + c.messages.length, 0);
      break;
    }
    case 'wa-peer': {
      const { parseString } = await import('whatsapp-chat-parser');
      messages = parseString(readFileSync(file, 'utf8')).length;
      break;
    }
    case 'tg-reader':
      ({ messages, hashMs } = await countReader('telegram-json', file));
      break;
    case 'wa-reader':
      ({ messages, hashMs } = await countReader('whatsapp-txt', file));
      break;
    case 'tg-ingest':
    case 'wa-ingest':
      messages = await fullIngest(file);
      break;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const measure: Measure = { ms, cpuMs, rssMb, messages };
  if (hashMs !== undefined) measure.hashMs = hashMs;
  process.stdout.write(JSON.stringify(measure));
}

function runOnce(task: Task, file: string): Measure {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', here, 'worker', task, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out) as Measure;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The run of median wall time (its RSS and count go with it). */
function medianRun(results: Measure[]): Measure {
  const sorted = [...results].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Runs the tasks in turn, `runs` rounds; the results per task, in round order. */
function measureAlternately(tasks: Task[], file: string, runs: number): Map<Task, Measure[]> {
  const results = new Map<Task, Measure[]>(tasks.map((t) => [t, []]));
  for (let i = 0; i < runs; i++) for (const task of tasks) results.get(task)!.push(runOnce(task, file));
  return results;
}

/** Median over rounds of peer time / reader time (wall and CPU): above 1, the reader is faster. */
function pairedSpeedup(peer: Measure[], reader: Measure[]): { wall: number; cpu: number } {
  return {
    wall: median(peer.map((p, i) => p.ms / reader[i]!.ms)),
    cpu: median(peer.map((p, i) => p.cpuMs / reader[i]!.cpuMs)),
  };
}

function row(label: string, runs: Measure[], bytes: number): string {
  const m = medianRun(runs);
  const cpu = median(runs.map((r) => r.cpuMs));
  const mbps = bytes / 1e6 / (m.ms / 1000);
  const all = runs.map((r) => r.ms.toFixed(0)).join('/');
  return `  ${label.padEnd(34)} ${m.ms.toFixed(0).padStart(7)} ms (cpu ${cpu.toFixed(0).padStart(5)} ms) ${mbps.toFixed(1).padStart(6)} MB/s ${Math.round(m.messages / (m.ms / 1000)).toLocaleString('en').padStart(9)} msg/s  peak RSS ${m.rssMb.toFixed(0).padStart(4)} MB  (${m.messages} messages; runs ${all} ms)`;
}

async function orchestrate(messages: number, runs: number): Promise<void> {
  const tg = join(outDir, `telegram-${messages}`, 'result.json');
  const wa = join(outDir, `whatsapp-${messages}.txt`);
  if (!existsSync(tg)) await generateTelegram(tg, messages);
  if (!existsSync(wa)) await generateWhatsApp(wa, messages);
  const tgBytes = statSync(tg).size;
  const waBytes = statSync(wa).size;
  console.log(`node ${process.version}, ${runs} rounds, peer and reader alternating; median run shown`);

  console.log(`\nTelegram account export: ${(tgBytes / 1e6).toFixed(1)} MB, ${messages} messages`);
  const t = measureAlternately(['tg-jsonparse', 'tg-reader'], tg, runs);
  const tgIngest = measureAlternately(['tg-ingest'], tg, runs).get('tg-ingest')!;
  const parse = t.get('tg-jsonparse')!;
  const reader = t.get('tg-reader')!;
  console.log(row('peer: readFileSync + JSON.parse', parse, tgBytes));
  console.log(row('threatlens telegram-json reader', reader, tgBytes));
  console.log(row('threatlens full ingest (in-memory)', tgIngest, tgBytes));
  const tgSpeed = pairedSpeedup(parse, reader);
  console.log(
    `  reader time / JSON.parse time: ${(1 / tgSpeed.wall).toFixed(2)} wall, ${(1 / tgSpeed.cpu).toFixed(2)} cpu (target <= 1.00); reader peak RSS ${Math.max(...reader.map((r) => r.rssMb)).toFixed(0)} MB max (target < 200)`,
  );
  console.log(`  ${hashShare(parse, reader)}`);
  checkCounts('Telegram', [parse, reader, tgIngest]);

  console.log(`\nWhatsApp Android .txt: ${(waBytes / 1e6).toFixed(1)} MB, ${messages} messages`);
  const w = measureAlternately(['wa-peer', 'wa-reader'], wa, runs);
  const waIngest = measureAlternately(['wa-ingest'], wa, runs).get('wa-ingest')!;
  const peer = w.get('wa-peer')!;
  const waReader = w.get('wa-reader')!;
  console.log(row('peer: whatsapp-chat-parser 4.0.2', peer, waBytes));
  console.log(row('threatlens whatsapp-txt reader', waReader, waBytes));
  console.log(row('threatlens full ingest (in-memory)', waIngest, waBytes));
  const waSpeed = pairedSpeedup(peer, waReader);
  console.log(`  reader speed / whatsapp-chat-parser speed: ${waSpeed.wall.toFixed(2)}x wall, ${waSpeed.cpu.toFixed(2)}x cpu (target >= 2x)`);
  console.log(`  ${hashShare(peer, waReader)}`);
  checkCounts('WhatsApp', [peer, waReader, waIngest]);
}

/**
 * The reader's time includes hashing the whole file (openInput, as ingest does before reading);
 * the peer does not hash. Both views, so neither hides the other.
 */
function hashShare(peer: Measure[], reader: Measure[]): string {
  const hash = median(reader.map((r) => r.hashMs ?? 0));
  const parseOnly = median(peer.map((p, i) => (reader[i]!.ms - (reader[i]!.hashMs ?? 0)) / p.ms));
  return `of the reader's time, hashing the file (openInput) took ${hash.toFixed(0)} ms; reader without it / peer: ${parseOnly.toFixed(2)}`;
}

/** A comparison is only fair when every side read the same number of messages. */
function checkCounts(what: string, groups: Measure[][]): void {
  const counts = new Set(groups.flat().map((m) => m.messages));
  if (counts.size > 1) console.log(`  WARNING: ${what} message counts differ between runs: ${[...counts].join(', ')}`);
}

if (process.argv[2] === 'worker') {
  await worker(process.argv[3] as Task, process.argv[4]!);
} else {
  await orchestrate(Number(process.argv[2] ?? 500_000), Number(process.argv[3] ?? 3));
}
