// Clustering speed at scale (run by hand: `npm run build && node dist/bench/cluster-scale.js [options]`).
// Options: --only 100k|1m, --no-media (no photos), --text frames|words (see TextMode),
// --timeout SECONDS (per process, default 1200).
// Builds AttributionInput objects in memory (no files, no ingest) for
//   (a) 100k messages from 5k senders and (b) 1M messages from 50k senders,
// with a realistic mix: mostly unique family chatter from word lists (bench/campaign.ts), a few
// actors with threat templates, callback numbers and bursts, greetings, a viral chain text, a
// public hotline and personal numbers in text, forwarded copies, photos (1 %, some re-encoded
// copies of others), victims' own replies; times over 2022 with an evening peak.
// Each measurement runs in a fresh process (for a true peak RSS): runClustering on (a) three times
// (median shown) and on (b) once, with the time of each phase of the run (each signal, sources,
// pairs and rounds, clusters) to show where the time goes.
// Targets: (b) under 60 s here, and candidate generation (the text signal's MinHash/LSH and sentence
// lookup) sub-quadratic: its time(b)/time(a) <= 12 for 10x the data. The whole run's ratio is shown too.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { rng } from './generate.js';
import { TEXTS } from './campaign.js';
import { runClustering } from '../src/attribution/cluster.js';
import type { AttributionInput, AttributionMessage, Identity } from '../src/attribution/types.js';
import { DEFAULT_PARAMS } from '../src/attribution/params.js';

const here = fileURLToPath(import.meta.url);

export interface ScaleCase {
  label: string;
  messages: number;
  senders: number;
}

export const CASES: ScaleCase[] = [
  { label: '100k', messages: 100_000, senders: 5_000 },
  { label: '1m', messages: 1_000_000, senders: 50_000 },
];

const RELATIVE_LABELS = ['Мама', 'Папа', 'Брат', 'Сестра', 'Бабушка', 'Дедушка', 'Тётя Зина', 'Дядя Руслан', 'Соседка', 'Работа'];
const FIRST = ['Анна', 'Борис', 'Ислам', 'Мадина', 'Руслан', 'Хава', 'Тимур', 'Амина', 'Ахмед', 'Лейла', 'Мурад', 'Заур', 'Олег', 'Малика', 'Адам', 'Саид'];
const LAST = ['Петрова', 'Иванов', 'Хасанов', 'Умарова', 'Магомедов', 'Исаева', 'Баев', 'Закаева', 'Мусаев', 'Гаджиева', 'Идрисов', 'Дадаев'];
const HOTLINE = '+78002000122';
const YEAR = Date.UTC(2022, 0, 1);
const DAY = 86_400_000;

function hex(next: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(next() * 16).toString(16);
  return s;
}

function mobile(next: () => number): string {
  return `+79${String(Math.floor(next() * 1e9)).padStart(9, '0')}`;
}

function written(next: () => number, e164: string): string {
  const d = e164.slice(2);
  const forms = [`+7 ${d.slice(0, 3)} ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8)}`, `8 (${d.slice(0, 3)}) ${d.slice(3, 6)} ${d.slice(6, 8)} ${d.slice(8)}`, `8${d}`];
  return forms[Math.floor(next() * forms.length)]!;
}

/**
 * How family chatter is made: 'frames' is bench/campaign.ts's chatter (sentence frames with word-list
 * slots: shared scaffolding, as in formulaic family talk); 'words' strings 5–14 words drawn from the
 * same vocabulary without frames (little shared text, so few near-duplicate candidates).
 */
export type TextMode = 'frames' | 'words';

let vocabulary: string[] | null = null;

function wordSoup(next: () => number): string {
  if (vocabulary === null) {
    const words = new Set<string>();
    const r = rng(7);
    for (let i = 0; i < 3000; i++) for (const w of TEXTS.chatter(r).toLowerCase().match(/[\p{L}-]+/gu) ?? []) if (w.length > 2) words.add(w);
    vocabulary = [...words].sort();
  }
  const n = 5 + Math.floor(next() * 10);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(vocabulary[Math.floor(next() * vocabulary.length)]!);
  const s = out.join(' ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}${next() < 0.5 ? '.' : next() < 0.5 ? '!' : '?'}`;
}

/** A deterministic in-memory case with `messages` messages from `senders` suspect senders. */
export function buildInput(c: ScaleCase, withMedia: boolean, textMode: TextMode = 'frames', seed = 42): AttributionInput {
  const next = rng(seed);
  const chatter = textMode === 'frames' ? (): string => TEXTS.chatter(next) : (): string => wordSoup(next);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const victims = Math.max(2, Math.round(c.senders / 10));
  const identities: Identity[] = [];
  const senderVictim: number[] = [];
  const senderKind: ('relative' | 'actor' | 'harasser')[] = [];
  const actorOf: number[] = [];
  // Senders: 97 % relatives and friends (one victim each), 2 % actor accounts (actors of 3
  // accounts, 1–3 victims each), 1 % lone harassers.
  const nActorAccounts = Math.max(3, Math.round(c.senders * 0.02));
  const nActors = Math.ceil(nActorAccounts / 3);
  const actorTemplates: string[][] = [];
  const actorCallback: string[] = [];
  for (let a = 0; a < nActors; a++) {
    // Each actor's templates: two of the bank, made distinct per actor with an actor-specific clause.
    const t1 = pick(TEXTS.templates);
    const t2 = pick(TEXTS.templates);
    const clause = `${pick(['Срок', 'Время', 'Выбор', 'Шанс'])} ${pick(['до пятницы', 'до конца недели', 'до праздника', 'до утра'])}, ${hex(next, 4)}.`;
    actorTemplates.push([`${t1} ${clause}`, `${t2} ${clause}`]);
    actorCallback.push(mobile(next));
  }
  const seen = new Set<string>();
  for (let s = 0; s < c.senders; s++) {
    const kind = s < nActorAccounts ? 'actor' : s < nActorAccounts + Math.round(c.senders * 0.01) ? 'harasser' : 'relative';
    const platform = next() < 0.35 ? 'telegram' : 'whatsapp';
    let key: string;
    let names: string[];
    let phones: string[] = [];
    if (platform === 'telegram') {
      key = `telegram:user${5_000_000_000 + s}`;
      names = [kind === 'relative' ? pick(RELATIVE_LABELS) : `${pick(FIRST)} ${pick(LAST)}`];
    } else if (kind === 'relative' && next() < 0.8) {
      key = `name:${hex(next, 12)}:${pick(RELATIVE_LABELS)}`;
      names = [key.slice(key.lastIndexOf(':') + 1)];
    } else {
      const p = kind === 'actor' && s % 3 === 0 ? actorCallback[Math.floor(s / 3)]! : mobile(next);
      key = `phone:${p}`;
      names = [written(next, p)];
      phones = [p];
    }
    if (seen.has(key)) key = `${key}-${s}`;
    seen.add(key);
    identities.push({ key, platform, names, phones, messages: 0, victims: [], firstSeen: null, lastSeen: null, selfOf: [] });
    senderVictim.push(Math.floor(next() * victims));
    senderKind.push(kind);
    actorOf.push(kind === 'actor' ? Math.floor(s / 3) : -1);
  }
  // Victims' own identities (their replies are not suspects).
  const selfStart = identities.length;
  for (let v = 0; v < victims; v++) {
    identities.push({ key: `telegram:user${4_000_000_000 + v}`, platform: 'telegram', names: [`${pick(FIRST)} ${pick(LAST)}`], phones: [], messages: 0, victims: [`v${v}`], firstSeen: null, lastSeen: null, selfOf: [`v${v}`] });
  }

  // Photos: a pool of pictures, some re-encoded (pHash a few bits off), a few shared by many.
  const photoPool = Math.max(10, Math.round(c.messages * 0.01));
  const photos: { sha: string; phash: string }[] = [];
  for (let i = 0; i < photoPool; i++) {
    if (i > 0 && next() < 0.05) {
      const base = photos[Math.floor(next() * i)]!;
      const flip = Math.floor(next() * 16);
      const ph = base.phash.slice(0, flip) + ((parseInt(base.phash[flip]!, 16) ^ 1).toString(16)) + base.phash.slice(flip + 1);
      photos.push({ sha: hex(next, 64), phash: ph });
    } else photos.push({ sha: hex(next, 64), phash: hex(next, 16) });
  }
  const personalNumbers = Array.from({ length: Math.max(10, Math.round(c.senders / 4)) }, () => mobile(next));

  // Message volume per sender: skewed (a few chatty relatives), every sender at least one message.
  const weights = identities.slice(0, selfStart).map((_, s) => (senderKind[s] === 'relative' ? 1 / (1 + (s % 50)) + 0.02 : 0.05));
  const total = weights.reduce((x, y) => x + y, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of weights) cumulative.push((acc += w / total));
  const drawSender = (): number => {
    const x = next();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const messages: AttributionMessage[] = [];
  const bursts: number[] = Array.from({ length: nActors * 4 }, () => YEAR + Math.floor(next() * 365) * DAY + (16 + Math.floor(next() * 4)) * 3_600_000 + Math.floor(next() * 3_600_000));
  const time = (): number => {
    const day = Math.floor(next() * 365);
    const evening = next() < 0.7;
    const hour = evening ? 16 + next() * 5 : 5 + next() * 11;
    return YEAR + day * DAY + Math.floor(hour * 3_600_000);
  };
  for (let i = 0; i < c.messages; i++) {
    // The first messages give every sender one; after that, 20 % are the victims' own replies.
    const self = i >= selfStart && next() < 0.2;
    let sender: number;
    let victim: number;
    if (self) {
      victim = Math.floor(next() * victims);
      sender = selfStart + victim;
    } else {
      sender = i < selfStart ? i : drawSender();
      victim = senderVictim[sender]!;
    }
    const kind = self ? 'self' : senderKind[sender]!;
    let text: string;
    let at = time();
    let forwarded = false;
    const phones: string[] = [];
    const media: AttributionMessage['media'] = [];
    if (kind === 'actor') {
      const a = actorOf[sender]!;
      const roll = next();
      victim = (senderVictim[sender]! + Math.floor(next() * 3)) % victims;
      if (roll < 0.6) text = TEXTS.obfuscate(next, pick(actorTemplates[a]!).replace('{name}', pick(FIRST)));
      else if (roll < 0.8) {
        text = `${pick(actorTemplates[a]!).replace('{name}', pick(FIRST))} ${pick(TEXTS.callbackPhrases).replace('{phone}', written(next, actorCallback[a]!))}`;
        phones.push(actorCallback[a]!);
      } else text = pick(['Ответь.', 'Жду.', 'Ну?', 'Думай.']);
      if (next() < 0.3) at = bursts[a * 4 + Math.floor(next() * 4)]! + Math.floor(next() * 40_000);
    } else if (kind === 'harasser') {
      text = pick(TEXTS.generic);
    } else {
      const roll = next();
      if (roll < 0.02) text = pick(TEXTS.greetings);
      else if (roll < 0.025) {
        text = pick(TEXTS.viral);
        forwarded = next() < 0.4;
      } else if (roll < 0.027) {
        text = pick(TEXTS.hotline);
        phones.push(HOTLINE);
      } else if (roll < 0.032) {
        const p = pick(personalNumbers);
        text = `${chatter()} ${pick(['Номер дяди', 'Запиши', 'Новый номер', 'Позвони'])}: ${written(next, p)}`;
        phones.push(p);
      } else text = chatter();
      if (withMedia && next() < 0.01) {
        const photo = pick(photos);
        media.push({ sha256: photo.sha, kind: 'photo', video: false, phash: photo.phash, frames: null, serial: null, camera: next() < 0.3 ? pick(['samsung SM-G991B', 'Apple iPhone 12', 'Xiaomi Redmi Note 8']) : null });
      }
    }
    messages.push({
      id: `m${i}`,
      sender: identities[sender]!.key,
      victim: `v${victim}`,
      at,
      kind: media.length > 0 ? 'media' : 'text',
      text,
      forwarded,
      phones,
      media,
      links: [],
    });
    const id = identities[sender]!;
    id.messages++;
    if (!id.victims.includes(`v${victim}`)) id.victims.push(`v${victim}`);
  }
  return { identities, messages, accountLinks: [] };
}

interface Measure {
  ms: number;
  rssMb: number;
  stats: Record<string, number>;
  /** Milliseconds per phase of the same run (runClustering's `timings`). */
  phases: Record<string, number>;
  buildMs: number;
}

function worker(label: string, withMedia: boolean, textMode: TextMode): void {
  const c = CASES.find((x) => x.label === label)!;
  const b0 = performance.now();
  const input = buildInput(c, withMedia, textMode);
  const buildMs = performance.now() - b0;
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  const result = runClustering(input, DEFAULT_PARAMS, { timings: phases });
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, stats: result.stats, phases, buildMs } satisfies Measure));
}

function measure(label: string, withMedia: boolean, textMode: TextMode, timeoutMs: number): Measure {
  const out = execFileSync(process.execPath, ['--max-old-space-size=16384', here, 'worker', label, withMedia ? 'media' : 'no-media', textMode], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  return JSON.parse(out) as Measure;
}

function orchestrate(argv: string[]): void {
  const withMedia = !argv.includes('--no-media');
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;
  const textMode: TextMode = argv.includes('--text') && argv[argv.indexOf('--text') + 1] === 'words' ? 'words' : 'frames';
  const timeoutMs = argv.includes('--timeout') ? Number(argv[argv.indexOf('--timeout') + 1]) * 1000 : 20 * 60_000;
  console.log(
    `node ${process.version}; runClustering(DEFAULT_PARAMS) on in-memory inputs; chatter ${textMode}; photos ${withMedia ? "on (1 % of relatives' messages)" : 'off'}; ` +
      `each run killed after ${timeoutMs / 1000} s`,
  );
  const times = new Map<string, number>();
  const candidateTimes = new Map<string, number>();
  for (const c of CASES) {
    if (only && c.label !== only) continue;
    const runs = c.label === '100k' ? 3 : 1;
    const results: Measure[] = [];
    for (let i = 0; i < runs; i++) {
      try {
        results.push(measure(c.label, withMedia, textMode, timeoutMs));
      } catch (error) {
        const e = error as { signal?: string; message: string };
        const stderr = String((error as { stderr?: unknown }).stderr ?? '');
        const thrown = /^\w*Error: .*$/m.exec(stderr)?.[0] ?? e.message.split('\n')[0];
        const why = e.signal === 'SIGKILL' ? `did not finish within ${timeoutMs / 1000} s (killed)` : `failed: ${thrown}`;
        console.log(`\n(${c.label}) ${c.messages.toLocaleString('en')} messages / ${c.senders.toLocaleString('en')} senders: runClustering ${why}`);
        times.set(c.label, e.signal === 'SIGKILL' ? Infinity : NaN);
        break;
      }
    }
    if (results.length > 0) {
      const median = (values: number[]): number => values.slice().sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
      const runList = (values: number[]): string => (runs > 1 ? `median of ${runs}: ${values.map((v) => (v / 1000).toFixed(2)).join(', ')}` : '1 run');
      results.sort((x, y) => x.ms - y.ms);
      const m = results[Math.floor(results.length / 2)]!;
      times.set(c.label, m.ms);
      const candidates = results.map((r) => r.phases[CANDIDATES] ?? NaN);
      candidateTimes.set(c.label, median(candidates));
      console.log(`\n(${c.label}) ${c.messages.toLocaleString('en')} messages / ${c.senders.toLocaleString('en')} senders (input built in ${(m.buildMs / 1000).toFixed(1)} s, not counted)`);
      console.log(`  runClustering: ${(m.ms / 1000).toFixed(2)} s (${runList(results.map((r) => r.ms))}), peak RSS ${m.rssMb.toFixed(0)} MB`);
      console.log(`  text candidate generation (MinHash/LSH and sentence lookup): ${(median(candidates) / 1000).toFixed(2)} s (${runList(candidates)})`);
      console.log(`  stats ${JSON.stringify(m.stats)}`);
      console.log(`  phases of that run: ${phaseList(m.phases)}`);
    }
  }
  const a = times.get('100k');
  const b = times.get('1m');
  if (a !== undefined && b !== undefined && (!Number.isFinite(a) || !Number.isFinite(b))) {
    console.log(`\ntime(1M)/time(100k): n/a (a run failed or was killed) -> NOT MET`);
  } else if (a !== undefined && b !== undefined) {
    const ca = candidateTimes.get('100k')!;
    const cb = candidateTimes.get('1m')!;
    console.log(`\n1M in ${(b / 1000).toFixed(1)} s (target < 60 s) -> ${b < 60_000 ? 'MET' : 'NOT MET'}`);
    console.log(`candidate generation time(1M)/time(100k) = ${(cb / ca).toFixed(1)} (target <= 12) -> ${cb / ca <= 12 ? 'MET' : 'NOT MET'}`);
    console.log(`whole clustering time(1M)/time(100k) = ${(b / a).toFixed(1)} (for comparison)`);
  }
}

/** The phase of textEvidence that finds candidate pairs of templates (the issue's sub-quadratic clause). */
const CANDIDATES = 'text: candidates';

/** Phases in run order; the text signal's own phases shown inside it. */
function phaseList(phases: Record<string, number>): string {
  const seconds = (v: number): string => `${(v / 1000).toFixed(2)} s`;
  const inner = Object.entries(phases).filter(([k]) => k.startsWith('text: '));
  return Object.entries(phases)
    .filter(([k]) => !k.startsWith('text: '))
    .map(([k, v]) => (k === 'text' && inner.length > 0 ? `text ${seconds(v)} (${inner.map(([ik, iv]) => `${ik.slice(6)} ${seconds(iv)}`).join(', ')})` : `${k} ${seconds(v)}`))
    .join(', ');
}

if (process.argv[2] === 'worker') {
  worker(process.argv[3]!, process.argv[4] === 'media', process.argv[5] === 'words' ? 'words' : 'frames');
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  orchestrate(process.argv.slice(2));
}
