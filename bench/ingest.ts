// Ingest benchmark (run by hand: `npm run build && node dist/bench/ingest.js [messages] [runs]`).
// Generates a Telegram account export and a WhatsApp .txt, then measures, each in a fresh process
// (for a true peak RSS), threatlens's readers beside their peers on the same files in the same run:
//   Telegram: readFileSync + JSON.parse of the whole file   vs  telegram-json reader (and full ingest)
//   WhatsApp: whatsapp-chat-parser parseString              vs  whatsapp-txt reader (and full ingest)
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
  rssMb: number;
  messages: number;
}

async function countReader(readerName: 'telegram-json' | 'whatsapp-txt', file: string): Promise<number> {
  const { openInput } = await import('../src/ingest/input.js');
  const { READERS } = await import('../src/ingest/registry.js');
  const reader = READERS.find((r) => r.name === readerName)!;
  const input = await openInput(file);
  let n = 0;
  for await (const event of reader.read(input, { tz: 'Europe/Moscow', dateOrder: null })) if (event.type === 'message') n++;
  return n;
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
  let messages = 0;
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
      messages = await countReader('telegram-json', file);
      break;
    case 'wa-reader':
      messages = await countReader('whatsapp-txt', file);
      break;
    case 'tg-ingest':
    case 'wa-ingest':
      messages = await fullIngest(file);
      break;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms, rssMb, messages } satisfies Measure));
}

function measure(task: Task, file: string, runs: number): Measure {
  const results: Measure[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--max-old-space-size=8192', here, 'worker', task, file], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    results.push(JSON.parse(out) as Measure);
  }
  results.sort((a, b) => a.ms - b.ms);
  return results[Math.floor(results.length / 2)]!;
}

function row(label: string, m: Measure, bytes: number): string {
  const mbps = bytes / 1e6 / (m.ms / 1000);
  return `  ${label.padEnd(34)} ${m.ms.toFixed(0).padStart(7)} ms ${mbps.toFixed(1).padStart(7)} MB/s ${Math.round(m.messages / (m.ms / 1000)).toLocaleString('en').padStart(10)} msg/s  peak RSS ${m.rssMb.toFixed(0).padStart(5)} MB  (${m.messages} messages)`;
}

async function orchestrate(messages: number, runs: number): Promise<void> {
  const tg = join(outDir, `telegram-${messages}`, 'result.json');
  const wa = join(outDir, `whatsapp-${messages}.txt`);
  if (!existsSync(tg)) await generateTelegram(tg, messages);
  if (!existsSync(wa)) await generateWhatsApp(wa, messages);
  const tgBytes = statSync(tg).size;
  const waBytes = statSync(wa).size;
  console.log(`node ${process.version}, ${runs} runs each, median shown`);
  console.log(`\nTelegram account export: ${(tgBytes / 1e6).toFixed(1)} MB, ${messages} messages`);
  const parse = measure('tg-jsonparse', tg, runs);
  const reader = measure('tg-reader', tg, runs);
  const tgIngest = measure('tg-ingest', tg, runs);
  console.log(row('peer: readFileSync + JSON.parse', parse, tgBytes));
  console.log(row('threatlens telegram-json reader', reader, tgBytes));
  console.log(row('threatlens full ingest (in-memory)', tgIngest, tgBytes));
  console.log(`  reader time / JSON.parse time: ${(reader.ms / parse.ms).toFixed(2)} (target <= 1.00); reader peak RSS ${reader.rssMb.toFixed(0)} MB (target < 200)`);

  console.log(`\nWhatsApp Android .txt: ${(waBytes / 1e6).toFixed(1)} MB, ${messages} messages`);
  const peer = measure('wa-peer', wa, runs);
  const waReader = measure('wa-reader', wa, runs);
  const waIngest = measure('wa-ingest', wa, runs);
  console.log(row('peer: whatsapp-chat-parser 4.0.2', peer, waBytes));
  console.log(row('threatlens whatsapp-txt reader', waReader, waBytes));
  console.log(row('threatlens full ingest (in-memory)', waIngest, waBytes));
  console.log(`  reader speed / whatsapp-chat-parser speed: ${(peer.ms / waReader.ms).toFixed(2)}x (target >= 2x)`);
}

if (process.argv[2] === 'worker') {
  await worker(process.argv[3] as Task, process.argv[4]!);
} else {
  await orchestrate(Number(process.argv[2] ?? 500_000), Number(process.argv[3] ?? 3));
}
