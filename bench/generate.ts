// Deterministic generators of large exports for benchmarks: a Telegram Desktop account export and
// a WhatsApp Android .txt, with realistic Russian/English text. Same seed, same bytes.
import { createWriteStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PHRASES = [
  'Мы знаем, где живёт твоя мать.',
  'Ты нигде не в безопасности.',
  'Как дела у бабушки? Передай ей привет от нас.',
  'Мама, я завтра позвоню после работы.',
  'You are not safe anywhere, remember that.',
  'Did you see the news about the protest in the capital?',
  'Перезвони по номеру +7 928 123-45-67, иначе пожалеешь.',
  'Купи хлеб и молоко по дороге домой.',
  'We have your brother. Stop writing or he will pay.',
  'Сегодня в городе опять отключили свет.',
  'Happy birthday! Wishing you health and peace.',
  'Удали свой канал, пока не поздно.',
];

async function writeAll(path: string, produce: (write: (s: string) => Promise<void>) => Promise<void>): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  let buffer = '';
  const write = async (s: string): Promise<void> => {
    buffer += s;
    if (buffer.length > 1 << 20) {
      const chunk = buffer;
      buffer = '';
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
  };
  await produce(write);
  out.write(buffer);
  await new Promise<void>((resolve) => out.end(resolve));
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** How often messages hold a phone number: `few` as in real chats (1 in 12), `dense` about one each (a stress corpus). */
export type NumberDensity = 'few' | 'dense';

/**
 * A Russian mobile number from a pool of 20,000 distinct ones, written the ways people write them
 * (international, trunk 8, bracketed, bare), in a sentence: the stress corpus's one number per message.
 */
function numberSentence(random: () => number): string {
  const n = 9_000_000_000 + Math.floor(random() * 20_000) * 49_999;
  const d = String(n);
  const shapes = [
    `+7 ${d.slice(0, 3)} ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8)}`,
    `8 (${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8)}`,
    `+7${d}`,
    `8${d.slice(0, 3)}${d.slice(3)}`,
    `8-${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8)}`,
  ];
  const lead = ['Звони', 'Его номер', 'Call', 'Новый номер:', 'Пиши на'][Math.floor(random() * 5)]!;
  return `${lead} ${shapes[Math.floor(random() * shapes.length)]!}.`;
}

/** One message's text: a phrase, and in the dense corpus a number sentence after it. */
function messageText(random: () => number, numbers: NumberDensity): string {
  const text = PHRASES[Math.floor(random() * PHRASES.length)]!;
  return numbers === 'dense' ? `${text} ${numberSentence(random)}` : text;
}

/** A whole-account Telegram Desktop export with `messages` spread over `chats` chats. */
export async function generateTelegram(path: string, messages: number, chats = 20, seed = 1, numbers: NumberDensity = 'few'): Promise<void> {
  const random = rng(seed);
  await writeAll(path, async (write) => {
    await write(
      '{\n "about": "Here is the data you requested.",\n "personal_information": {\n  "user_id": 5000000001,\n  "first_name": "Анна",\n  "last_name": "Петрова",\n  "phone_number": "+7 916 555 01 23",\n  "username": "@anna_p",\n  "bio": ""\n },\n "chats": {\n  "about": "This page lists all chats from this export.",\n  "list": [\n',
    );
    let id = 0;
    let time = Date.UTC(2021, 0, 1) / 1000;
    for (let c = 0; c < chats; c++) {
      const count = Math.floor(messages / chats) + (c < messages % chats ? 1 : 0);
      await write(`   {\n    "name": "Чат ${c}",\n    "type": "personal_chat",\n    "id": ${5100000000 + c},\n    "messages": [\n`);
      for (let i = 0; i < count; i++) {
        id++;
        time += Math.floor(random() * 120);
        const d = new Date((time + 3 * 3600) * 1000);
        const local = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
        const text = messageText(random, numbers);
        const fromId = random() < 0.5 ? 5000000001 : 5100000000 + c;
        const json = JSON.stringify(text);
        await write(
          `     {\n      "id": ${id},\n      "type": "message",\n      "date": "${local}",\n      "date_unixtime": "${time}",\n      "from": "${fromId === 5000000001 ? 'Анна Петрова' : `Контакт ${c}`}",\n      "from_id": "user${fromId}",\n      "text": ${json},\n      "text_entities": [\n       {\n        "type": "plain",\n        "text": ${json}\n       }\n      ]\n     }${i + 1 < count ? ',' : ''}\n`,
        );
      }
      await write(`    ]\n   }${c + 1 < chats ? ',' : ''}\n`);
    }
    await write('  ]\n }\n}\n');
  });
}

/**
 * A single-chat Telegram Desktop export (`result.json` of one chat, as "Export chat history"
 * writes it) with `messages` between the owner and one contact.
 */
export async function generateTelegramChat(path: string, messages: number, numbers: NumberDensity = 'few', seed = 3): Promise<void> {
  const random = rng(seed);
  await writeAll(path, async (write) => {
    await write('{\n "name": "Борис Иванов",\n "type": "personal_chat",\n "id": 5100000002,\n "messages": [\n');
    let time = Date.UTC(2021, 0, 1) / 1000;
    for (let id = 1; id <= messages; id++) {
      time += 20 + Math.floor(random() * 200);
      const d = new Date((time + 3 * 3600) * 1000);
      const local = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
      const json = JSON.stringify(messageText(random, numbers));
      const mine = random() < 0.5;
      await write(
        `  {\n   "id": ${id},\n   "type": "message",\n   "date": "${local}",\n   "date_unixtime": "${time}",\n   "from": "${mine ? 'Анна Петрова' : 'Борис Иванов'}",\n   "from_id": "user${mine ? 5000000001 : 5100000002}",\n   "text": ${json},\n   "text_entities": [\n    {\n     "type": "plain",\n     "text": ${json}\n    }\n   ]\n  }${id < messages ? ',' : ''}\n`,
      );
    }
    await write(' ]\n}\n');
  });
}

/** A WhatsApp Android export (en-GB, 24 h) with multi-line messages and attachments. */
export async function generateWhatsApp(path: string, messages: number, seed = 2, numbers: NumberDensity = 'few'): Promise<void> {
  const random = rng(seed);
  const authors = ['Мама', '+7 928 123-45-67', 'Boris', '~ Ivan'];
  await writeAll(path, async (write) => {
    let time = Date.UTC(2021, 0, 1) / 1000;
    await write(
      '01/01/2021, 00:00 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n',
    );
    for (let i = 0; i < messages; i++) {
      time += 30 + Math.floor(random() * 300);
      const d = new Date(time * 1000);
      const stamp = `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
      const author = authors[Math.floor(random() * authors.length)]!;
      const roll = random();
      let body = messageText(random, numbers);
      if (roll < 0.05) body = `IMG-2021${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-WA${String(i % 10000).padStart(4, '0')}.jpg (file attached)\n${body}`;
      else if (roll < 0.1) body = `${body}\n${PHRASES[Math.floor(random() * PHRASES.length)]!}`;
      else if (roll < 0.12) body = '<Media omitted>';
      await write(`${stamp} - ${author}: ${body}\n`);
    }
  });
}
