// End-to-end benchmark of what a user runs (by hand: `npm run build && node dist/bench/cli.js
// [--messages N] [--corpus stress|realistic|both] [--runs R]`): `threatlens ingest` as a process of
// its own, into a new case on disk, beside its peers' parse-only time on the same file in the same
// run, alternating (peer, threatlens, peer, threatlens…) so that load from elsewhere falls on both.
//   Telegram single-chat export   threatlens ingest  vs  readFileSync + JSON.parse
//   WhatsApp Android .txt         threatlens ingest  vs  whatsapp-chat-parser parseString
// Corpora: `realistic` (a number in one message of twelve) and `stress` (about one number per
// message, 20,000 distinct numbers in five spellings). Every process reports its CPU time (all
// threads) and peak RSS through bench/probe (loaded with --import; threatlens knows nothing of it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTelegramChat, generateWhatsApp, type NumberDensity } from './generate.js';

const outDir = fileURLToPath(new URL('../../bench/out/', import.meta.url));
const repo = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = fileURLToPath(new URL('./probe.js', import.meta.url));
const PEERS = fileURLToPath(new URL('./peers.js', import.meta.url));
const BIN = join(repo, 'bin', 'threatlens.js');

interface Run {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  messages: number;
}

/** Runs `node --import probe ARGS` and measures it; `count` reads the messages from its stdout. */
function measure(args: string[], count: (stdout: string) => number): Run {
  const probeFile = join(tmpdir(), `threatlens-probe-${process.pid}.json`);
  rmSync(probeFile, { force: true });
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', PROBE, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, THREATLENS_BENCH_PROBE: probeFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`);
  const probe = JSON.parse(readFileSync(probeFile, 'utf8')) as { cpuMs: number; rssMb: number };
  rmSync(probeFile, { force: true });
  return { wallMs, ...probe, messages: count(r.stdout) };
}

function ingest(file: string): Run {
  const caseDir = mkdtempSync(join(tmpdir(), 'threatlens-bench-case-'));
  try {
    return measure([BIN, 'ingest', '--case', join(caseDir, 'case'), file, '--tz', 'Europe/Moscow', '--region', 'RU', '--format', 'json'], (out) =>
      (JSON.parse(out) as { items: { messages: number }[] }).items.reduce((n, f) => n + f.messages, 0),
    );
  } finally {
    rmSync(caseDir, { recursive: true, force: true });
  }
}

const peer = (kind: 'json' | 'wcp', file: string): Run => measure([PEERS, kind, file], (out) => Number(out.trim()));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function line(label: string, runs: Run[], bytes: number): string {
  const wall = median(runs.map((r) => r.wallMs));
  const cpu = median(runs.map((r) => r.cpuMs));
  const rss = Math.max(...runs.map((r) => r.rssMb));
  const rate = Math.round(runs[0]!.messages / (wall / 1000));
  return (
    `  ${label.padEnd(40)} ${(wall / 1000).toFixed(2).padStart(7)} s  cpu ${(cpu / 1000).toFixed(2).padStart(6)} s  ` +
    `peak RSS ${rss.toFixed(0).padStart(4)} MB  ${(bytes / 1e6 / (wall / 1000)).toFixed(1).padStart(5)} MB/s  ${rate.toLocaleString('en').padStart(8)} msg/s  ` +
    `(runs ${runs.map((r) => (r.wallMs / 1000).toFixed(2)).join('/')} s)`
  );
}

/** Median over rounds of threatlens time / peer time, wall and CPU. */
function ratio(tool: Run[], base: Run[]): string {
  const wall = median(tool.map((t, i) => t.wallMs / base[i]!.wallMs));
  const cpu = median(tool.map((t, i) => t.cpuMs / base[i]!.cpuMs));
  return `${wall.toFixed(1)}x wall, ${cpu.toFixed(1)}x cpu`;
}

function sameCounts(what: string, groups: Run[][], expected: number): void {
  const counts = new Set(groups.flat().map((r) => r.messages));
  if (counts.size !== 1 || !counts.has(expected)) console.log(`  WARNING: ${what}: messages read ${[...counts].join(', ')}, expected ${expected}`);
}

async function corpus(numbers: NumberDensity, messages: number, runs: number): Promise<void> {
  const dir = join(outDir, `cli-${numbers}-${messages}`);
  const tg = join(dir, 'ChatExport', 'result.json');
  const wa = join(dir, 'WhatsApp Chat with Борис.txt');
  if (!existsSync(tg)) await generateTelegramChat(tg, messages, numbers);
  if (!existsSync(wa)) await generateWhatsApp(wa, messages, 2, numbers);
  const label = numbers === 'dense' ? 'stress corpus (about one phone number per message)' : 'realistic corpus (a number in 1 message of 12)';
  console.log(`\n${label}, ${messages.toLocaleString('en')} messages`);

  const tgPeer: Run[] = [];
  const tgTool: Run[] = [];
  for (let i = 0; i < runs; i++) {
    tgPeer.push(peer('json', tg));
    tgTool.push(ingest(tg));
  }
  const tgBytes = statSync(tg).size;
  console.log(` Telegram single-chat export, ${(tgBytes / 1e6).toFixed(1)} MB`);
  console.log(line('peer: readFileSync + JSON.parse', tgPeer, tgBytes));
  console.log(line('threatlens ingest (case on disk)', tgTool, tgBytes));
  console.log(`  threatlens / JSON.parse: ${ratio(tgTool, tgPeer)} (target <= 5x)`);
  sameCounts('Telegram', [tgPeer, tgTool], messages);

  const waPeer: Run[] = [];
  const waTool: Run[] = [];
  for (let i = 0; i < runs; i++) {
    waPeer.push(peer('wcp', wa));
    waTool.push(ingest(wa));
  }
  const waBytes = statSync(wa).size;
  console.log(` WhatsApp Android .txt, ${(waBytes / 1e6).toFixed(1)} MB`);
  console.log(line('peer: whatsapp-chat-parser parseString', waPeer, waBytes));
  console.log(line('threatlens ingest (case on disk)', waTool, waBytes));
  console.log(`  threatlens / whatsapp-chat-parser: ${ratio(waTool, waPeer)} (target <= 5x)`);
  // whatsapp-chat-parser also counts the encryption notice as a message; threatlens keeps it as a system message too.
  sameCounts('WhatsApp', [waTool], messages + 1);
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

const messages = Number(option('messages', '100000'));
const runs = Number(option('runs', '3'));
const which = option('corpus', 'both');
console.log(`threatlens end to end, node ${process.version}, ${new Date().toISOString().slice(0, 10)}: ${runs} rounds, peer and threatlens alternating, median shown`);
for (const numbers of ['dense', 'few'] as const) {
  if (which === 'both' || (which === 'stress') === (numbers === 'dense')) await corpus(numbers, messages, runs);
}
