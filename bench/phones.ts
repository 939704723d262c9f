// Phone extraction benchmark (run by hand: `npx tsc -p . && node dist/bench/phones.js [MB] [runs] [seed]`).
//
// Builds a deterministic Russian/English chat corpus (default ~2 MB of UTF-8) where ~7% of messages
// carry phone numbers in varied formats and ~15% carry distractors (dates, times, prices, INN, cards,
// order numbers, IPs, year ranges, SNILS, passports), then times, on the same texts, against the
// peer libphonenumber-js findPhoneNumbersInText(text, { defaultCountry: 'RU' }) (max metadata):
//   1. extractPhones(text, { region: 'RU' }) message by message: every message, and only those
//      with 5+ digits (threatlens skips the others outright, the finder scans them);
//   2. inside ingest: the phone stage (runPhoneStage) over the corpus ingested as one WhatsApp
//      export, with --region RU and with the region inferred (the tally the pipeline feeds while
//      writing the messages included), against the finder on the message texts read from the
//      case. This is the target (≤ 1.5x).
// Medians of interleaved runs after a warm-up; the fact cache is emptied before each threatlens
// run (one ingest reads each number cold). Also scores both against the planted numbers.
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { extractPhones, RegionTally } from '../src/phone/index.js';
import type { ParsedMessage } from '../src/model.js';
import { clearFactCache } from '../src/phone/fact.js';
import { openCase } from '../src/store/case.js';
import { ingest } from '../src/ingest/pipeline.js';
import { runPhoneStage, tallyForRegion, type GivenRegion } from '../src/ingest/phone-stage.js';
import type { RowRange } from '../src/store/overlap.js';
import { rng } from './generate.js';


const RU = [
  'Мы знаем, где живёт твоя мать.',
  'Ты нигде не в безопасности, запомни это.',
  'Как дела у бабушки? Передай ей привет от нас.',
  'Мама, я завтра позвоню после работы.',
  'Купи хлеб и молоко по дороге домой.',
  'Сегодня в городе опять отключили свет.',
  'Удали свой канал, пока не поздно.',
  'Мы видели твоего брата у подъезда в 5 утра.',
  'Не отвечай на незнакомые номера, пожалуйста.',
  'Твой отец опять спрашивал про тебя в администрации.',
  'Приезжай на выходных, сделаем пельмени.',
  'Последнее предупреждение. Дальше будет хуже.',
  'У нас всё хорошо, не переживай за нас.',
  'Соседка говорит, что к нам приходили двое в штатском.',
];
const EN = [
  'You are not safe anywhere, remember that.',
  'Did you see the news about the protest in the capital?',
  'We have your brother. Stop writing or he will pay.',
  'Happy birthday! Wishing you health and peace.',
  'Delete your posts or your family will regret it.',
  'The meeting moved to Thursday, 3 people confirmed.',
  'Send me the document when you can.',
];

interface Planted {
  text: string;
  e164: string;
}

function digits(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(r() * 10));
  return s;
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const toFullWidth = (s: string): string =>
  s.replace(/[0-9+]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** A phone number in one of the ways people write them, with its E.164. */
function phone(r: () => number): Planted {
  const op = pick(r, ['903', '912', '916', '925', '928', '977', '999', '951']);
  const sub = digits(r, 7);
  const [a, b, c] = [sub.slice(0, 3), sub.slice(3, 5), sub.slice(5, 7)];
  const ru = `+7${op}${sub}`;
  const roll = Math.floor(r() * 20);
  switch (roll) {
    case 0: return { text: `+7 ${op} ${a}-${b}-${c}`, e164: ru };
    case 1: return { text: `8 (${op}) ${a} ${b} ${c}`, e164: ru };
    case 2: return { text: `8${op}${sub}`, e164: ru };
    case 3: return { text: `+7(${op})${sub}`, e164: ru };
    case 4: return { text: `8-${op}-${a}-${b}-${c}`, e164: ru };
    case 5: return { text: `${op}${sub}`, e164: ru };
    case 6: return { text: toFullWidth(`+7 ${op} ${a} ${b} ${c}`), e164: ru };
    case 7: return { text: `8\u00A0${op}\u00A0${a}\u00A0${b}\u00A0${c}`, e164: ru };
    case 8: return { text: `007${op}${sub}`, e164: ru };
    case 9: return { text: `тел8${op}${sub}`, e164: ru };
    case 10: return { text: `\u202A+7 ${op} ${a}-${b}-${c}\u202C`, e164: ru };
    case 11: return { text: `8 (${op}) ${a}-${b}-${c} доб. ${digits(r, 3)}`, e164: ru };
    case 12: {
      const kz = pick(r, ['701', '705', '707', '747', '777']);
      return { text: `8 ${kz} ${a} ${b} ${c}`, e164: `+7${kz}${sub}` };
    }
    case 13: {
      const kz = pick(r, ['701', '705', '777']);
      return { text: `+7 ${kz} ${a} ${b}${c}`, e164: `+7${kz}${sub}` };
    }
    case 14: {
      const d = digits(r, 8);
      return { text: `+49 151 ${d.slice(0, 4)} ${d.slice(4)}`, e164: `+49151${d}` };
    }
    case 15: {
      const d = `${1 + Math.floor(r() * 9)}${digits(r, 6)}`;
      return { text: `8 10 49 30 ${d}`, e164: `+4930${d}` };
    }
    case 16: return { text: `8 (495) ${a}-${b}-${c}`, e164: `+7495${sub}` };
    case 17: return { text: `8 800 ${a} ${b} ${c}`, e164: `+7800${sub}` };
    case 18: {
      const d = `${1 + Math.floor(r() * 9)}${digits(r, 6)}`;
      return { text: `0049 30 ${d}`, e164: `+4930${d}` };
    }
    default: return { text: `+7 ${op} ${a} ${b} ${c}`, e164: ru };
  }
}

/** Digits that are not phone numbers. */
function distractor(r: () => number): string {
  const dd = String(1 + Math.floor(r() * 28)).padStart(2, '0');
  const mm = String(1 + Math.floor(r() * 12)).padStart(2, '0');
  const yyyy = String(2015 + Math.floor(r() * 10));
  switch (Math.floor(r() * 12)) {
    case 0: return `встреча ${dd}.${mm}.${yyyy} в ${10 + Math.floor(r() * 12)}:${digits(r, 1)}0`;
    case 1: return `sent ${yyyy}-${mm}-${dd} ${digits(r, 1)}${digits(r, 1)}:${digits(r, 1)}5`;
    case 2: return `перевёл ${1 + Math.floor(r() * 9)} ${digits(r, 3)} ${digits(r, 3)} руб`;
    case 3: return `price $${1 + Math.floor(r() * 9)},${digits(r, 3)},${digits(r, 3)}`;
    case 4: return `ИНН ${7 + Math.floor(r() * 2)}7${digits(r, 8)}`;
    case 5: return `карта 4276 ${digits(r, 4)} ${digits(r, 4)} ${digits(r, 4)}`;
    case 6: return `заказ №${digits(r, 14)}`;
    case 7: return `сервер 192.168.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`;
    case 8: return `жил там ${1990 + Math.floor(r() * 20)}-${2010 + Math.floor(r() * 14)}`;
    case 9: return `СНИЛС ${digits(r, 3)}-${digits(r, 3)}-${digits(r, 3)} ${digits(r, 2)}`;
    case 10: return `паспорт ${digits(r, 4)} ${digits(r, 6)}`;
    default: return `цена € ${1 + Math.floor(r() * 9)}.${digits(r, 3)}`;
  }
}

export interface Message {
  text: string;
  expected: string[];
}

export function corpus(targetBytes: number, seed: number): Message[] {
  const r = rng(seed);
  const out: Message[] = [];
  let bytes = 0;
  while (bytes < targetBytes) {
    const lang = r() < 0.75 ? RU : EN;
    const parts: string[] = [];
    const expected: string[] = [];
    const sentences = 1 + Math.floor(r() * 3);
    for (let i = 0; i < sentences; i++) parts.push(pick(r, lang));
    const roll = r();
    if (roll < 0.07) {
      const p = phone(r);
      expected.push(p.e164);
      parts.splice(Math.floor(r() * (parts.length + 1)), 0, pick(r, ['Звони', 'Номер:', 'Call', 'пиши на', '']) + ' ' + p.text);
      if (r() < 0.15) {
        const q = phone(r);
        expected.push(q.e164);
        parts.push(`или ${q.text}`);
      }
    } else if (roll < 0.22) {
      parts.splice(Math.floor(r() * (parts.length + 1)), 0, distractor(r));
    }
    const text = parts.join(' ').trim();
    out.push({ text, expected });
    bytes += Buffer.byteLength(text, 'utf8') + 1;
  }
  return out;
}

/** Milliseconds `fn` takes (awaited when it returns a promise). */
async function time(fn: () => unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function score(messages: Message[], found: string[][]): { tp: number; fp: number; fn: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  messages.forEach((m, i) => {
    const want = [...m.expected];
    for (const e of found[i]!) {
      const k = want.indexOf(e);
      if (k >= 0) {
        tp++;
        want.splice(k, 1);
      } else fp++;
    }
    fn += want.length;
  });
  return { tp, fp, fn };
}

/**
 * Times `ours` and `peer` alternately (neither always runs on a warmer heap), after one warm-up
 * run each, and prints medians, best runs and their ratios. Before every run of ours the fact
 * cache is emptied: one ingest reads each number cold once, and later runs must not profit from
 * numbers cached by earlier ones.
 */
/** Untimed work around each run of ours (opening and undoing a transaction). */
interface Around {
  before: () => void;
  after: () => void;
}

async function compare(label: string, bytes: number, runs: number, ours: () => unknown, peer: () => unknown, around: Around | null = null): Promise<number> {
  /** One timed run of ours with a cold fact cache; `around` runs outside the clock. */
  const oursCold = async (): Promise<number> => {
    clearFactCache();
    around?.before();
    try {
      return await time(ours);
    } finally {
      around?.after();
    }
  };
  await oursCold();
  await peer();
  const o: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      p.push(await time(peer));
      o.push(await oursCold());
    } else {
      o.push(await oursCold());
      p.push(await time(peer));
    }
  }
  const mbps = (ms: number): string => (bytes / 1048576 / (ms / 1000)).toFixed(1);
  const ratio = median(o) / median(p);
  console.log(`${label}`);
  console.log(`  threatlens  median ${median(o).toFixed(1).padStart(7)} ms (${mbps(median(o))} MB/s)  runs: ${o.map((t) => t.toFixed(0)).join(' ')}`);
  console.log(`  finder      median ${median(p).toFixed(1).padStart(7)} ms (${mbps(median(p))} MB/s)  runs: ${p.map((t) => t.toFixed(0)).join(' ')}`);
  console.log(`  ratio ${ratio.toFixed(2)}x by median, ${(Math.min(...o) / Math.min(...p)).toFixed(2)}x by best run (target ≤ 1.5x)`);
  return ratio;
}

/** The corpus as a WhatsApp Android export (one message a minute), in a new temporary folder. */
function writeAsWhatsApp(messages: Message[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'threatlens-bench-phones-'));
  const file = join(dir, 'victim', 'WhatsApp Chat with Незнакомец.txt');
  mkdirSync(join(dir, 'victim'));
  const lines = messages.map((m, i) => {
    const at = new Date(Date.UTC(2022, 0, 1) + i * 60_000).toISOString();
    const stamp = `${at.slice(8, 10)}/${at.slice(5, 7)}/${at.slice(0, 4)}, ${at.slice(11, 16)}`;
    return `${stamp} - ${i % 3 === 0 ? 'Anna' : 'Незнакомец'}: ${m.text}\n`;
  });
  writeFileSync(file, lines.join(''));
  return dir;
}

async function main(): Promise<void> {
  const mb = Number(process.argv[2] ?? 2);
  const runs = Number(process.argv[3] ?? 7);
  const seed = Number(process.argv[4] ?? 42);
  const messages = corpus(mb * 1024 * 1024, seed);
  const bytes = messages.reduce((s, m) => s + Buffer.byteLength(m.text, 'utf8') + 1, 0);
  const withPhones = messages.filter((m) => m.expected.length > 0).length;
  const planted = messages.reduce((s, m) => s + m.expected.length, 0);
  console.log(
    `corpus: ${messages.length} messages, ${(bytes / 1048576).toFixed(2)} MB UTF-8, ` +
      `${withPhones} with phones (${((100 * withPhones) / messages.length).toFixed(1)}%), ${planted} numbers planted, seed ${seed}`,
  );

  // 1. Extraction alone, message by message, the same texts on both sides.
  const oursFound = messages.map((m) => extractPhones(m.text, { region: 'RU' }).map((p) => p.e164));
  const peerFound = messages.map((m) => findPhoneNumbersInText(m.text, { defaultCountry: 'RU' }).map((p) => p.number.number));
  await compare(
    'extractPhones(text, {region: RU}) vs findPhoneNumbersInText(text, {defaultCountry: RU}), every message:',
    bytes,
    runs,
    () => messages.forEach((m) => void extractPhones(m.text, { region: 'RU' })),
    () => messages.forEach((m) => void findPhoneNumbersInText(m.text, { defaultCountry: 'RU' })),
  );
  // Where both sides do real work (threatlens skips messages with fewer than 5 digits outright).
  const digitful = messages.filter((m) => (m.text.match(/\d/g)?.length ?? 0) >= 5);
  const digitfulBytes = digitful.reduce((s, m) => s + Buffer.byteLength(m.text, 'utf8') + 1, 0);
  await compare(
    `the same, only the ${digitful.length} messages with 5+ digits:`,
    digitfulBytes,
    runs,
    () => digitful.forEach((m) => void extractPhones(m.text, { region: 'RU' })),
    () => digitful.forEach((m) => void findPhoneNumbersInText(m.text, { defaultCountry: 'RU' })),
  );
  const so = score(messages, oursFound);
  const sp = score(messages, peerFound);
  console.log(`quality vs planted numbers: threatlens tp ${so.tp} fp ${so.fp} fn ${so.fn}; finder tp ${sp.tp} fp ${sp.fp} fn ${sp.fn}`);
  if (process.env.SHOW) {
    messages.forEach((m, i) => {
      const a = [...oursFound[i]!].sort().join(' ');
      const b = [...peerFound[i]!].sort().join(' ');
      const want = [...m.expected].sort().join(' ');
      if (a !== want || b !== want) console.log(JSON.stringify(m.text), '| want', want, '| ours', a, '| peer', b);
    });
  }

  // 2. Inside ingest: the phone stage over the corpus ingested as a WhatsApp export (reading the
  // messages back from the case, inferring the region when none is given, extracting, normalizing
  // senders, writing every sighting), against the finder alone on the same message texts.
  const dir = writeAsWhatsApp(messages);
  const handle = openCase(null, { create: true });
  try {
    await ingest(handle, [dir], { victim: null, tz: 'UTC', dateOrder: 'dmy', region: 'RU' });
    const exportId = handle.db.prepare('SELECT id FROM exports').pluck().get() as number;
    const rows = handle.db.prepare('SELECT min(rowid) AS first, max(rowid) AS last, 0 AS indexedThrough FROM messages WHERE export_id = ?').get(exportId) as RowRange;
    const texts = handle.db.prepare('SELECT text FROM messages WHERE export_id = ? ORDER BY rowid').pluck().all(exportId) as string[];
    // What the pipeline hands the region tally while it writes the messages (built here untimed,
    // as the reader builds them anyway); feeding the tally is timed with the stage.
    const parsed = texts.map((text, i) => ({ text, sender: { key: '', name: '', raw: i % 3 === 0 ? 'Anna' : 'Незнакомец', phone: null }, markedPhones: [], contact: null })) as unknown as ParsedMessage[];
    const stage = (given: GivenRegion | null) => async (): Promise<void> => {
      const tally = new RegionTally();
      if (given === null) for (const m of parsed) tallyForRegion(tally, m);
      await runPhoneStage(handle, exportId, rows, dir, given, tally, []);
    };
    // Each run starts from the case as the reader leaves it, without the numbers the ingest above
    // wrote, and is undone afterwards; neither is timed.
    const fresh: Around = {
      before: () => {
        handle.db.exec('BEGIN');
        handle.db.exec('DELETE FROM message_phones; DELETE FROM phones');
      },
      after: () => handle.db.exec('ROLLBACK'),
    };
    const finder = (): void => texts.forEach((t) => void findPhoneNumbersInText(t, { defaultCountry: 'RU' }));
    console.log(`inside ingest: the phone stage over the ${texts.length} messages of one WhatsApp export, vs the finder on the same texts:`);
    await compare('  phone stage with --region RU:', bytes, runs, stage({ region: 'RU', from: '--region' }), finder, fresh);
    await compare('  phone stage, region inferred from the export:', bytes, runs, stage(null), finder, fresh);
  } finally {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
