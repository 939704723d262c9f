// Writers for the benign-population generator: exports in the exact shapes the apps write.
// - Telegram Desktop single-chat JSON (`ChatExport_<date>/result.json`, tdesktop 4.2+: `date` as the
//   exporter's wall clock, `date_unixtime`, `from`/`from_id`, `text` as a string or an array with
//   entity objects, `text_entities`, `forwarded_from`, "File not included" photo placeholders;
//   one-space indentation as tdesktop writes it);
// - WhatsApp Android `.txt` (Russian locale: `dd.mm.yyyy, HH:MM - Name: text`, LF, the encryption
//   notice without author, unsaved numbers wrapped in U+202A/U+202C, `<Без медиафайлов>`);
// - WhatsApp iOS `.zip` holding `_chat.txt` (`[dd.mm.yy, HH:MM:SS] Name: text`, CRLF, the notice
//   under the chat's name after U+200E, unsaved numbers in U+202A/U+202C with U+2011 hyphens,
//   `‎изображение отсутствует`).
import { crc32, deflateRawSync } from 'node:zlib';

/** One message of a chat. `at` is a Unix time in seconds (UTC). */
export interface Msg {
  at: number;
  /** Written by the victim (the export's owner). */
  self: boolean;
  text: string;
  /** Telegram only: the channel a forwarded post comes from. */
  forwardedFrom?: string;
  /** A photo whose file is not in the export. */
  photo?: boolean;
}

export interface TelegramChat {
  peerId: number;
  peerName: string;
  selfId: number;
  selfName: string;
  messages: Msg[];
}

export interface WhatsAppChat {
  os: 'android' | 'ios';
  /** The chat's name: the saved label, or the number as the phone formats it. */
  chatName: string;
  /** The peer's saved label, or null when the number is unsaved (then `peerPhone` is shown). */
  peerLabel: string | null;
  /** Digits of the peer's number after +7 (10 digits), for unsaved senders. */
  peerPhone: string | null;
  selfName: string;
  messages: Msg[];
}

/** Moscow has been UTC+3 all year since 2014: the exporters' wall clock. */
export const LOCAL_OFFSET = 3 * 3600;

const p2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function wall(at: number): Wall {
  const t = new Date((at + LOCAL_OFFSET) * 1000);
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), s: t.getUTCSeconds() };
}

/** `2024-03-01` of a Unix time, on the exporter's wall clock. */
export function localDate(at: number): string {
  const w = wall(at);
  return `${w.y}-${p2(w.mo)}-${p2(w.d)}`;
}

// ——— Telegram ———

type Entity = { type: string; text: string };

const ENTITY = /(https?:\/\/[^\s]+)|(@[A-Za-z][A-Za-z0-9_]{4,31})|(\+\d[\d\s()-]{9,16}\d)/g;

/** The text as tdesktop splits it into entities (links, mentions, phone numbers it recognises). */
function entities(text: string): Entity[] {
  const out: Entity[] = [];
  let last = 0;
  for (const m of text.matchAll(ENTITY)) {
    let value = m[0];
    let end = m.index + value.length;
    if (m[1] !== undefined) {
      const trimmed = value.replace(/[.,;:!?)]+$/, '');
      end -= value.length - trimmed.length;
      value = trimmed;
    }
    if (m.index > last) out.push({ type: 'plain', text: text.slice(last, m.index) });
    out.push({ type: m[1] !== undefined ? 'link' : m[2] !== undefined ? 'mention' : 'phone', text: value });
    last = end;
  }
  if (last < text.length) out.push({ type: 'plain', text: text.slice(last) });
  return out;
}

/** `result.json` of a Telegram Desktop single-chat export, as tdesktop writes it. */
export function telegramJson(chat: TelegramChat, firstId: number): string {
  const messages = chat.messages.map((m, i) => {
    const w = wall(m.at);
    const o: Record<string, unknown> = {
      id: firstId + i,
      type: 'message',
      date: `${w.y}-${p2(w.mo)}-${p2(w.d)}T${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}`,
      date_unixtime: String(m.at),
      from: m.self ? chat.selfName : chat.peerName,
      from_id: `user${m.self ? chat.selfId : chat.peerId}`,
    };
    if (m.forwardedFrom !== undefined) o.forwarded_from = m.forwardedFrom;
    if (m.photo) {
      o.photo = '(File not included. Change data exporting settings to download.)';
      o.width = 1280;
      o.height = 960;
    }
    const ents = m.text === '' ? [] : entities(m.text);
    o.text = ents.every((e) => e.type === 'plain') ? m.text : ents.map((e) => (e.type === 'plain' ? e.text : e));
    o.text_entities = ents;
    return o;
  });
  return JSON.stringify({ name: chat.peerName, type: 'personal_chat', id: chat.peerId, messages }, null, 1);
}

// ——— WhatsApp ———

/** `+7 928 123-45-67` as WhatsApp shows an unsaved Russian number (iOS with non-breaking hyphens). */
export function shownNumber(digits: string, os: 'android' | 'ios'): string {
  const h = os === 'ios' ? '\u2011' : '-';
  return `+7 ${digits.slice(0, 3)} ${digits.slice(3, 6)}${h}${digits.slice(6, 8)}${h}${digits.slice(8, 10)}`;
}

const NOTICE_ANDROID =
  'Сообщения и звонки защищены сквозным шифрованием. Никто за пределами этого чата, даже WhatsApp, не может их прочитать или прослушать. Нажмите, чтобы узнать подробнее.';
const NOTICE_IOS = 'Сообщения и звонки защищены сквозным шифрованием. Никто вне этого чата, даже WhatsApp, не может их прочитать или прослушать.';

/** The `.txt` (Android) or `_chat.txt` (iOS) of a WhatsApp export. */
export function whatsappText(chat: WhatsAppChat): string {
  const ios = chat.os === 'ios';
  const peer = chat.peerLabel ?? `\u202a${shownNumber(chat.peerPhone!, chat.os)}\u202c`;
  const eol = ios ? '\r\n' : '\n';
  const header = (at: number): string => {
    const w = wall(at);
    return ios
      ? `[${p2(w.d)}.${p2(w.mo)}.${p2(w.y % 100)}, ${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}] `
      : `${p2(w.d)}.${p2(w.mo)}.${w.y}, ${p2(w.h)}:${p2(w.mi)} - `;
  };
  const lines: string[] = [];
  const first = chat.messages[0];
  if (first !== undefined) lines.push(ios ? `${header(first.at)}${peer}: \u200e${NOTICE_IOS}` : `${header(first.at)}${NOTICE_ANDROID}`);
  for (const m of chat.messages) {
    const who = m.self ? chat.selfName : peer;
    const body = m.photo ? (ios ? '\u200eизображение отсутствует' : '<Без медиафайлов>') : m.text;
    lines.push(`${header(m.at)}${who}: ${body.replace(/\n/g, eol)}`);
  }
  return lines.join(eol) + eol;
}

/** File name of a WhatsApp export as the phone names it. */
export function whatsappFileName(chat: WhatsAppChat, russianUi: boolean): string {
  const name = chat.peerLabel ?? shownNumber(chat.peerPhone!, 'android').replace(/-/g, ' ');
  if (chat.os === 'ios') return `WhatsApp Chat - ${name}.zip`;
  return russianUi ? `Чат WhatsApp с ${name}.txt` : `WhatsApp Chat with ${name}.txt`;
}

// ——— zip (deflate, one fixed timestamp: same input, same bytes) ———

/** A zip archive of the given entries, deflated, with the DOS time of `at`. */
export function zip(entries: readonly { name: string; data: Buffer }[], at: number): Buffer {
  const w = wall(at);
  const time = (w.h << 11) | (w.mi << 5) | (w.s >> 1);
  const date = ((w.y - 1980) << 9) | (w.mo << 5) | w.d;
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = deflateRawSync(e.data, { level: 6 });
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt16LE(time, 12);
    dir.writeUInt16LE(date, 14);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(packed.length, 20);
    dir.writeUInt32LE(e.data.length, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, name, packed);
    central.push(dir, name);
    offset += 30 + name.length + packed.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}
