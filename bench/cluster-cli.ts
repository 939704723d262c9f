// `threatlens cluster` as a user runs it, at scale (by hand: `npm run build && node dist/bench/cluster-cli.js
// [--only 100k|1m]`): the population of bench/cluster-scale.ts (100k messages from 5k senders, 1M
// from 50k; relatives, actors with templates and callback numbers, harassers, viral texts, a
// hotline, victims' replies; no photos) written as the victims' exports — per victim a Telegram
// account export (result.json, a personal chat per Telegram sender) and a WhatsApp .txt per
// WhatsApp chat — then `threatlens ingest` of the folder and `threatlens cluster --case` each run
// as a process into a case on disk, with wall time, CPU (every thread) and peak RSS. The exports
// are written once to bench/out/cluster-cli-LABEL/ and reused; `--keep` leaves the case in
// bench/out/cluster-cli-LABEL-case/ (to try other commands on it), and `--reuse` times `cluster` on
// that kept case again without ingesting.
// Targets (issue 14): cluster of 1M messages / 50k senders under 60 s; time at 1M <= 12x time at 100k.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildInput, CASES, type ScaleCase } from './cluster-scale.js';
import type { AttributionMessage, Identity } from '../src/attribution/types.js';

const outDir = fileURLToPath(new URL('../../bench/out/', import.meta.url));
const repo = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = fileURLToPath(new URL('./probe.js', import.meta.url));
const BIN = join(repo, 'bin', 'threatlens.js');
/** Exports are written in Moscow time (and read with --tz Europe/Moscow). */
const OFFSET_MS = 3 * 3_600_000;

const pad = (n: number): string => String(n).padStart(2, '0');
/** Every generated message has a time. */
const at = (m: AttributionMessage): number => m.at ?? 0;

function local(ms: number): Date {
  return new Date(ms + OFFSET_MS);
}

/** A buffered file writer (the exports run to hundreds of MB). */
async function writeFile(path: string, produce: (write: (s: string) => void) => void): Promise<void> {
  const out = createWriteStream(path);
  let buffer = '';
  let pending: Promise<void> = Promise.resolve();
  produce((s) => {
    buffer += s;
    if (buffer.length > 1 << 20) {
      const chunk = buffer;
      buffer = '';
      if (!out.write(chunk)) pending = new Promise((r) => out.once('drain', () => r()));
    }
  });
  await pending;
  out.write(buffer);
  await new Promise<void>((resolve) => out.end(resolve));
}

const telegramId = (key: string): number | null => (key.startsWith('telegram:user') ? Number(key.slice('telegram:user'.length)) : null);

/** How a WhatsApp sender is shown in a .txt: a saved contact's name, else the number as written. */
function shownOnWhatsApp(identity: Identity): string {
  return identity.names[0]!;
}

/**
 * Writes the victims' exports of `messages`: for victim vN, `vN/telegram/result.json` (an account
 * export owned by vN's own account, one personal chat per Telegram sender, the victim's own replies
 * in the chat of the sender it last heard from) and `vN/WhatsApp Chat with NAME.txt` per WhatsApp sender.
 */
async function writeExports(dir: string, identities: Identity[], messages: AttributionMessage[]): Promise<void> {
  const byKey = new Map(identities.map((i) => [i.key, i]));
  // victim -> chat partner key -> messages (time order)
  const chats = new Map<string, Map<string, AttributionMessage[]>>();
  const lastHeard = new Map<string, string>();
  const sorted = [...messages].sort((a, b) => at(a) - at(b) || (a.id < b.id ? -1 : 1));
  for (const m of sorted) {
    const identity = byKey.get(m.sender)!;
    const self = identity.selfOf.length > 0 || m.sender === `telegram:user${4_000_000_000 + Number(m.victim.slice(1))}`;
    let partner = m.sender;
    if (self) {
      const heard = lastHeard.get(m.victim);
      if (heard === undefined) continue; // nobody wrote to this victim yet: nowhere to reply
      partner = heard;
    } else lastHeard.set(m.victim, m.sender);
    let victimChats = chats.get(m.victim);
    if (victimChats === undefined) chats.set(m.victim, (victimChats = new Map()));
    let chat = victimChats.get(partner);
    if (chat === undefined) victimChats.set(partner, (chat = []));
    chat.push(m);
  }
  let msgId = 0;
  for (const [victim, victimChats] of [...chats].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const owner = 4_000_000_000 + Number(victim.slice(1));
    const vdir = join(dir, victim);
    mkdirSync(join(vdir, 'telegram'), { recursive: true });
    const telegramChats = [...victimChats].filter(([partner]) => telegramId(partner) !== null);
    await writeFile(join(vdir, 'telegram', 'result.json'), (write) => {
      write(
        `{\n "about": "Here is the data you requested.",\n "personal_information": {\n  "user_id": ${owner},\n  "first_name": "Жертва",\n  "last_name": "${victim}",\n  "phone_number": "+7 916 ${String(1_000_000 + Number(victim.slice(1))).slice(-7, -4)} ${String(1_000_000 + Number(victim.slice(1))).slice(-4)}",\n  "username": "",\n  "bio": ""\n },\n "chats": {\n  "about": "This page lists all chats from this export.",\n  "list": [\n`,
      );
      telegramChats.forEach(([partner, list], c) => {
        const id = telegramId(partner)!;
        const name = byKey.get(partner)!.names[0]!;
        write(`   {\n    "name": ${JSON.stringify(name)},\n    "type": "personal_chat",\n    "id": ${id},\n    "messages": [\n`);
        list.forEach((m, i) => {
          const mine = m.sender !== partner;
          const d = local(at(m));
          const stamp = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
          const text = JSON.stringify(m.text);
          write(
            `     {\n      "id": ${++msgId},\n      "type": "message",\n      "date": "${stamp}",\n      "date_unixtime": "${Math.floor(at(m) / 1000)}",\n` +
              `      "from": ${JSON.stringify(mine ? `Жертва ${victim}` : name)},\n      "from_id": "user${mine ? owner : id}",\n` +
              (m.forwarded ? `      "forwarded_from": "Новости",\n` : '') +
              `      "text": ${text},\n      "text_entities": [\n       {\n        "type": "plain",\n        "text": ${text}\n       }\n      ]\n     }${i + 1 < list.length ? ',' : ''}\n`,
          );
        });
        write(`    ]\n   }${c + 1 < telegramChats.length ? ',' : ''}\n`);
      });
      write('  ]\n }\n}\n');
    });
    const names = new Map<string, number>();
    for (const [partner, list] of victimChats) {
      if (telegramId(partner) !== null) continue;
      const shown = shownOnWhatsApp(byKey.get(partner)!);
      const n = (names.get(shown) ?? 0) + 1;
      names.set(shown, n);
      const file = join(vdir, `WhatsApp Chat with ${shown}${n > 1 ? ` (${n})` : ''}.txt`);
      await writeFile(file, (write) => {
        write(
          `${stampWa(at(list[0]!) - 60_000)} - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n`,
        );
        for (const m of list) {
          write(`${stampWa(at(m))} - ${m.sender === partner ? shown : 'Я'}: ${m.text}\n`);
        }
      });
    }
  }
}

function stampWa(ms: number): string {
  const d = local(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

interface Run {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  stdout: string;
}

function measure(args: string[]): Run {
  const probeFile = join(tmpdir(), `threatlens-probe-${process.pid}.json`);
  rmSync(probeFile, { force: true });
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', PROBE, BIN, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, THREATLENS_BENCH_PROBE: probeFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`threatlens ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  const probe = JSON.parse(readFileSync(probeFile, 'utf8')) as { cpuMs: number; rssMb: number };
  rmSync(probeFile, { force: true });
  return { wallMs, ...probe, stdout: r.stdout };
}

function line(label: string, run: Run): string {
  return `  ${label.padEnd(34)} ${(run.wallMs / 1000).toFixed(1).padStart(6)} s  cpu ${(run.cpuMs / 1000).toFixed(1).padStart(6)} s  peak RSS ${run.rssMb.toFixed(0).padStart(5)} MB`;
}

async function exportsFor(c: ScaleCase): Promise<string> {
  const dir = join(outDir, `cluster-cli-${c.label}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const input = buildInput(c, false);
  const building = `${dir}.part`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  await writeExports(building, input.identities, input.messages);
  writeFileSync(join(building, '.complete'), '');
  renameSync(building, dir);
  return dir;
}

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
console.log(`threatlens cluster as a process, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
const clusterMs = new Map<string, number>();
for (const c of CASES) {
  if (only !== null && c.label !== only) continue;
  const dir = await exportsFor(c);
  const reuse = process.argv.includes('--reuse') && existsSync(join(outDir, `cluster-cli-${c.label}-case`, 'case'));
  const keep = reuse || process.argv.includes('--keep');
  const caseParent = keep ? join(outDir, `cluster-cli-${c.label}-case`) : mkdtempSync(join(tmpdir(), 'threatlens-cluster-cli-'));
  if (keep && !reuse) rmSync(caseParent, { recursive: true, force: true });
  const caseDir = join(caseParent, 'case');
  try {
    const ingest = reuse ? null : measure(['ingest', '--case', caseDir, dir, '--tz', 'Europe/Moscow', '--region', 'RU', '--format', 'json']);
    const exports = measure(['senders', '--case', caseDir, '--format', 'json']);
    const messages = (JSON.parse(exports.stdout) as { items: { messages: number }[] }).items.reduce((n, s) => n + s.messages, 0);
    const cluster = measure(['cluster', '--case', caseDir, '--format', 'json']);
    const result = JSON.parse(cluster.stdout) as { items?: unknown[] };
    console.log(`\n${c.label}: ${messages.toLocaleString('en')} messages with a sender (${c.senders.toLocaleString('en')} senders generated)`);
    if (ingest !== null) {
      const read = (JSON.parse(ingest.stdout) as { items: { status: string }[] }).items.filter((f) => f.status === 'ingested');
      console.log(line(`threatlens ingest (${read.length.toLocaleString('en')} exports)`, ingest));
    } else console.log('  (the case kept by an earlier --keep run, not ingested again)');
    console.log(line('threatlens senders --case', exports));
    console.log(line('threatlens cluster --case', cluster));
    console.log(`  clusters reported: ${Array.isArray(result.items) ? result.items.length : 'n/a'}`);
    clusterMs.set(c.label, cluster.wallMs);
  } finally {
    if (!keep) rmSync(caseParent, { recursive: true, force: true });
  }
}
const a = clusterMs.get('100k');
const b = clusterMs.get('1m');
if (b !== undefined) console.log(`\ncluster of 1M in ${(b / 1000).toFixed(1)} s (target < 60 s) -> ${b < 60_000 ? 'MET' : 'NOT MET'}`);
if (a !== undefined && b !== undefined) console.log(`cluster time(1M)/time(100k) = ${(b / a).toFixed(1)} (target <= 12) -> ${b / a <= 12 ? 'MET' : 'NOT MET'}`);
