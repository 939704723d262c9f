// The two-pass reading of a WhatsApp chat text, shared by the .txt and .zip readers.
// Pass 1 reads header lines only: it decides the date order of each shape group, which header
// frames are real, the participants and the owner. Pass 2 streams again and yields messages.
// Both passes hold constant memory: per-shape counters and the set of author names.
// UTF-8 text is scanned as bytes (see LineSplitter): headers are read by character code, and only
// authors (once each) and the text messages keep are decoded.
import { createHash } from 'node:crypto';
import type { ChatRef, MediaRef, ParsedMessage, ReaderEvent, SenderRef, TimeInfo, Warning } from '../../model.js';
import { shortHash } from '../../util/hash.js';
import { cleanName } from '../../util/text.js';
import { isKnownZone, wallClockAsUtcMs } from '../../util/time.js';
import type { ZoneConverter } from '../../util/time.js';
import type { WallClock } from '../../util/time.js';
import { InputError, UsageError } from '../../util/errors.js';
import type { ReadOptions } from '../reader.js';
import { classifyBody, classifySystemLine, isAttributedNotice, isOwnDeletion, mayBeOwnDeletion } from './body.js';
import type { Body, MediaMention } from './body.js';
import { chatNameFromFileName } from './chat-name.js';
import { fullYear, isValidDate, ShapeStats } from './date-order.js';
import type { OrderDecision, Perm } from './date-order.js';
import { hour24, newHeader, parseHeaderBytes, parseHeaderRegex, shapeKey } from './header.js';
import type { Frame, Header } from './header.js';
import { detectEncoding, LineSplitter } from './lines.js';
import type { EncodingInfo } from './lines.js';
import { AuthorReader, loadPhoneNumbers, looksLikePhone, phoneOfName, SenderDirectory } from './sender.js';
import { BatchedEvents } from './batched.js';
import { FastZoneConverter } from './fast-zone.js';

/** The chat text to read, wherever it lives (a .txt file, or an entry of a .zip). */
export interface ChatTextSource {
  reader: 'whatsapp-txt' | 'whatsapp-zip';
  /** The evidence file as the user gave it, and its SHA-256. */
  file: string;
  sha256: string;
  /** The archive entry holding the chat text (zip only). */
  entry: string | null;
  /** Opens the chat text afresh; called once per pass. */
  open(): Promise<AsyncIterable<Buffer>>;
  /** File names that may carry the chat name (`WhatsApp Chat with X.txt`), best first. */
  nameSources: string[];
  /** Chat name when no file name carries one. */
  fallbackName: string;
  /** Finds the file an attachment names. */
  resolveMedia(mention: MediaMention): Promise<MediaRef>;
  /** What resolveMedia would give, when known without waiting (else undefined). */
  resolveMediaNow?(mention: MediaMention): MediaRef | undefined;
  /** Warnings about the container, yielded after the chat event. */
  warnings?: Warning[];
}

/** A frame is a real header style of the file when this share of headers (or the most) use it. */
const FRAME_SHARE = 0.05;
/** Text kept in a warning about lines before the first message. */
const PREAMBLE_CHARS = 2000;

interface ShapeInfo {
  stats: ShapeStats;
  frame: Frame;
  authors: Set<string>;
  ownDeleters: Set<string>;
}

interface Scan {
  encoding: EncodingInfo;
  shapes: Map<number, ShapeInfo>;
  chatSha256: string;
  bytes: number;
}

interface Plan {
  orders: Map<number, OrderDecision>;
  ownerKey: string | null;
  ownerName: string | null;
  chat: ChatRef;
  events: ReaderEvent[];
}

function warning(src: ChatTextSource, code: string, message: string, line?: number, offset?: number): ReaderEvent {
  const w: Warning = { file: src.file, code, message };
  if (line !== undefined) w.line = line;
  if (offset !== undefined) w.offset = offset;
  return { type: 'warning', warning: w };
}

/** Where a position is, for messages: `line 12` or `_chat.txt line 12`. */
function where(src: ChatTextSource, line: number): string {
  return src.entry === null ? `line ${line}` : `${src.entry} line ${line}`;
}

/**
 * Reads the header at the start of the current line into `h` (`bodyStart` in view positions):
 * from the bytes of UTF-8 text (the fast path, else the regex on the decoded line), or with the
 * regex on UTF-16 text.
 */
function readHeader(sp: LineSplitter, h: Header): boolean {
  return sp.latin1 ? parseHeaderBytes(sp.bytes, sp.start, sp.end, h) : parseHeaderRegex(sp.view, sp.start, sp.end, h);
}

/** True when an LRM (U+200E) starts at i of the view. */
function lrmAt(sp: LineSplitter, i: number): boolean {
  if (!sp.latin1) return sp.view.charCodeAt(i) === 0x200e;
  const b = sp.bytes;
  return b[i] === 0xe2 && b[i + 1] === 0x80 && b[i + 2] === 0x8e;
}

/** Units of a BOM (U+FEFF) at i of the view, else 0. */
function bomAt(sp: LineSplitter, i: number): number {
  if (!sp.latin1) return sp.view.charCodeAt(i) === 0xfeff ? 1 : 0;
  const b = sp.bytes;
  return b[i] === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf ? 3 : 0;
}

async function scan(src: ChatTextSource, options: ReadOptions, authors: AuthorReader): Promise<Scan> {
  const shapes = new Map<number, ShapeInfo>();
  // The chat text's own hash matters only inside an archive; a .txt is the evidence file itself.
  const hash = src.entry === null ? null : createHash('sha256');
  const h = newHeader();
  let splitter: LineSplitter | null = null;
  let encoding: EncodingInfo | null = null;
  let bytes = 0;
  let lastKey = -1;
  let last: ShapeInfo | null = null;
  let phoneLoad: Promise<void> | null = null;
  const lines = (sp: LineSplitter): void => {
    const latin1 = sp.latin1;
    while (sp.next()) {
      if (!readHeader(sp, h)) continue;
      const key = shapeKey(h);
      let info = key === lastKey ? last : shapes.get(key);
      if (info === undefined || info === null) {
        const example = sp.decode(sp.start, sp.end).slice(0, 40);
        info = { stats: new ShapeStats(key, h, sp.line, example), frame: h.frame, authors: new Set(), ownDeleters: new Set() };
        shapes.set(key, info);
      }
      lastKey = key;
      last = info;
      info.stats.add(h, sp.line);
      const end = sp.end;
      const at = authors.end(sp, h.bodyStart, end);
      if (at < 0) continue;
      const bodyAt = at + 2;
      if (bodyAt < end && lrmAt(sp, bodyAt) && isAttributedNotice(sp.decode(bodyAt, end))) continue;
      const raw = authors.author;
      // An author already added to this shape's set is marked on its recent-author entry.
      const entry = authors.entry;
      if (entry === null || entry.mark !== info) {
        const known = info.authors.size;
        info.authors.add(raw);
        if (entry !== null) entry.mark = info;
        // A name that is a phone number needs the phone-number library: start loading it now.
        if (phoneLoad === null && info.authors.size !== known && looksLikePhone(cleanName(raw).normalize('NFC'))) {
          phoneLoad = loadPhoneNumbers();
          phoneLoad.catch(() => undefined);
        }
      }
      if (bodyAt < end && (latin1 ? mayBeOwnDeletion(sp.bytes, bodyAt, end) : end - bodyAt < 48) && isOwnDeletion(sp.decode(bodyAt, end))) {
        info.ownDeleters.add(raw);
      }
    }
  };
  for await (const chunk of await src.open()) {
    if (splitter === null) {
      encoding = detectEncoding(chunk, src.file);
      splitter = new LineSplitter(src.file, encoding.encoding, encoding.bomLength, true);
    }
    hash?.update(chunk);
    bytes += chunk.length;
    splitter.load(chunk);
    lines(splitter);
    options.progress?.(Math.floor(bytes / 2));
  }
  if (splitter !== null) {
    splitter.finish();
    lines(splitter);
  }
  if (shapes.size === 0) {
    throw new InputError(
      src.file,
      bytes === 0 ? 'the chat text is empty' : 'no WhatsApp message header found',
      src.entry === null ? { line: 1 } : { entry: src.entry, line: 1 },
      'expected lines like "12/03/2024, 10:00 - Name: text" (Android) or "[12.03.24, 10:00:00] Name: text" (iOS); is this a WhatsApp "Export chat" file?',
    );
  }
  if (phoneLoad !== null) await phoneLoad;
  return { encoding: encoding!, shapes, chatSha256: hash === null ? src.sha256 : hash.digest('hex'), bytes };
}

/** Decides everything pass 2 needs: accepted shapes and their orders, participants, owner. */
function plan(src: ChatTextSource, options: ReadOptions, found: Scan, senders: SenderDirectory): Plan & { facts: Record<string, string> } {
  const events: ReaderEvent[] = [];
  const frameCounts = new Map<Frame, number>();
  for (const info of found.shapes.values()) frameCounts.set(info.frame, (frameCounts.get(info.frame) ?? 0) + info.stats.count);
  const dominant = Math.max(...frameCounts.values());
  const accepted = new Set<Frame>();
  for (const [frame, n] of frameCounts) if (n === dominant || n >= Math.max(2, dominant * FRAME_SHARE)) accepted.add(frame);

  const orders = new Map<number, OrderDecision>();
  const used: ShapeInfo[] = [];
  for (const [key, info] of found.shapes) {
    if (!accepted.has(info.frame)) continue;
    used.push(info);
    const decision = info.stats.decide(options.dateOrder);
    orders.set(key, decision);
    const ex = JSON.stringify(info.stats.example);
    if (decision.optionIgnored) {
      events.push(
        warning(
          src,
          'date-order-option-ignored',
          `--date-order ${options.dateOrder} cannot apply to headers like ${ex} (the 4-digit year stands elsewhere); read as ${decision.order} because ${decision.reason}`,
          info.stats.firstLine,
        ),
      );
    }
    if (decision.doubt !== null) {
      events.push(warning(src, 'date-order-doubtful', `headers like ${ex}: ${decision.doubt.message}`, decision.doubt.line));
    }
    if (decision.source === 'heuristic') {
      events.push(
        warning(
          src,
          'date-order-ambiguous',
          `the date order of headers like ${ex} (${info.stats.count} lines from ${where(src, info.stats.firstLine)}) is not proven: no day above 12. Read as ${decision.order} (${decision.reason}). Pass --date-order dmy|mdy|ymd if that is wrong.`,
          info.stats.firstLine,
        ),
      );
    }
  }
  used.sort((a, b) => b.stats.count - a.stats.count);

  // Participants and owner.
  const participants = new Map<string, SenderRef>();
  const ownDeleters = new Map<string, SenderRef>();
  for (const info of used) {
    for (const raw of info.authors) {
      const ref = senders.resolve(raw);
      participants.set(ref.key, ref);
    }
    for (const raw of info.ownDeleters) {
      const ref = senders.resolve(raw);
      ownDeleters.set(ref.key, ref);
    }
  }
  let chatName: string | null = null;
  for (const name of src.nameSources) {
    chatName = chatNameFromFileName(name);
    if (chatName !== null) break;
  }
  let owner: SenderRef | null = null;
  let ownerSource = 'unknown';
  if (chatName !== null && participants.size === 2) {
    const wantName = cleanName(chatName).normalize('NFC');
    const wantPhone = phoneOfName(wantName);
    const refs = [...participants.values()];
    const other = refs.findIndex((r) => r.name === wantName || (wantPhone !== null && r.phone === wantPhone));
    if (other >= 0) {
      owner = refs[1 - other]!;
      ownerSource = 'file-name';
    }
  }
  if (owner === null && ownDeleters.size === 1) {
    owner = [...ownDeleters.values()][0]!;
    ownerSource = 'you-deleted';
  }

  const main = used[0]!;
  const mainOrder = orders.get(main.stats.key)!;
  const sources = new Set([...orders.values()].map((d) => d.source));
  const facts: Record<string, string> = {
    dateOrder: mainOrder.order,
    dateOrderSource: sources.has('heuristic') ? 'heuristic' : sources.has('option') ? 'option' : 'proven',
    clock: used.some((i) => i.stats.twelveHour) ? '12h' : '24h',
    variant: main.frame === '[]' ? 'ios' : 'android',
    encoding: found.encoding.encoding === 'utf8' ? 'utf-8' : 'utf-16le',
    ownerSource,
    participants: String(participants.size),
  };
  if (used.length > 1) {
    facts.dateOrders = used.map((i) => `${i.stats.example.trim()}…=${orders.get(i.stats.key)!.order}`).join('; ');
  }
  if (src.entry !== null) facts.chatEntry = src.entry;
  return {
    orders,
    ownerKey: owner?.key ?? null,
    ownerName: owner?.name ?? null,
    chat: { id: `whatsapp:${shortHash(src.sha256)}`, name: chatName ?? src.fallbackName },
    events,
    facts,
  };
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
/** `HH:MM:` for each minute of a day, and `SSZ` for each second. */
const MINUTES = Array.from({ length: 1440 }, (_, i) => `${TWO_DIGITS[Math.floor(i / 60)]}:${TWO_DIGITS[i % 60]}:`);
const SECONDS_Z = TWO_DIGITS.map((s) => `${s}Z`);
const DAY_MS = 86_400_000;
/** Events handed on at a time (see BatchedEvents): few enough to keep memory flat. */
const BATCH = 256;

/** UTC ISO strings with the date part cached (messages come in time order). */
class UtcFormatter {
  private day = NaN;
  private prefix = '';

  format(ms: number): string {
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    }
    const secs = Math.floor((ms - day * DAY_MS) / 1000);
    return `${this.prefix}${MINUTES[Math.floor(secs / 60)]}${SECONDS_Z[secs % 60]}`;
  }
}

/**
 * Wall clock to UTC in one zone, with the offset of the last local day cached when the zone has
 * the same offset at both ends of that day and neither end is in a DST change (zones change
 * offset at most once a day, so the whole day then has that offset). A day that fails the test
 * is remembered too, so its clocks go straight to the zone.
 */
class WallClockConverter {
  private day = NaN;
  private offsetMs = 0;
  private unevenDay = NaN;
  constructor(readonly zone: ZoneConverter) {}

  /** The instant of `local` (a wall clock read as UTC) when its day is cached, else NaN. */
  cached(local: number): number {
    return Math.floor(local / DAY_MS) === this.day ? local - this.offsetMs : NaN;
  }

  /** `local`: the wall clock read as UTC (wallClockAsUtcMs). */
  toUtc(w: WallClock, local: number): { ms: number; gap: boolean; ambiguous: boolean } {
    const day = Math.floor(local / DAY_MS);
    if (day === this.day) return { ms: local - this.offsetMs, gap: false, ambiguous: false };
    if (day !== this.unevenDay) {
      const first = { year: w.year, month: w.month, day: w.day, hour: 0, minute: 0, second: 0 };
      const last = { ...first, hour: 23, minute: 59, second: 59 };
      const r0 = this.zone.toUtc(first);
      const r1 = this.zone.toUtc(last);
      const offset = wallClockAsUtcMs(first) - r0.ms;
      if (!r0.gap && !r0.ambiguous && !r1.gap && !r1.ambiguous && wallClockAsUtcMs(last) - r1.ms === offset) {
        this.day = day;
        this.offsetMs = offset;
        return { ms: local - offset, gap: false, ambiguous: false };
      }
      this.unevenDay = day;
    }
    return this.zone.toUtc(w);
  }
}

/** The date order of a shape, as positions of year, month and day in the header. */
interface ShapeOrder {
  order: Perm;
  y: number;
  m: number;
  d: number;
}

function nth(h: Header, i: number): number {
  return i === 0 ? h.n0 : i === 1 ? h.n1 : h.n2;
}

function lenOf(h: Header, i: number): number {
  return i === 0 ? h.len0 : i === 1 ? h.len1 : h.len2;
}

/** Reads a WhatsApp chat text: export, chat, then warnings and messages in file order. */
export function readChatText(src: ChatTextSource, options: ReadOptions): AsyncGenerator<ReaderEvent> {
  return new BatchedEvents(readBatches(src, options));
}

/** readChatText's events, in arrays of up to BATCH. */
async function* readBatches(src: ChatTextSource, options: ReadOptions): AsyncGenerator<ReaderEvent[], void, undefined> {
  if (options.tz !== null && !isKnownZone(options.tz)) {
    throw new UsageError(`unknown time zone: ${options.tz}`, 'use an IANA name such as Europe/Berlin, or an offset such as +03:00');
  }
  const senders = new SenderDirectory(src.sha256);
  const authors = new AuthorReader();
  const found = await scan(src, options, authors);
  const p = plan(src, options, found, senders);

  let out: ReaderEvent[] = [];
  out.push({
    type: 'export',
    info: {
      platform: 'whatsapp',
      reader: src.reader,
      ownerKey: p.ownerKey,
      ownerName: p.ownerName,
      ownerPhoneRaw: null,
      facts: p.facts,
    },
  });
  out.push({ type: 'chat', chat: { ...p.chat, platform: 'whatsapp', type: 'chat' } });
  for (const w of src.warnings ?? []) out.push({ type: 'warning', warning: w });
  for (const e of p.events) out.push(e);

  const zone = options.tz === null ? null : new WallClockConverter(new FastZoneConverter(options.tz));
  const basis: TimeInfo['basis'] = zone === null ? 'assumed-utc' : 'zone';
  const zoneName = options.tz ?? 'UTC';
  const utc = new UtcFormatter();
  const chat = p.chat;
  const entrySha = found.chatSha256;
  const ownerKey = p.ownerKey;
  const orders = new Map<number, ShapeOrder>();
  for (const [key, decision] of p.orders) {
    const order = decision.order;
    orders.set(key, { order, y: order.indexOf('y'), m: order.indexOf('m'), d: order.indexOf('d') });
  }

  // The date of the last header (its numbers and shape order) when valid: year, month, day,
  // `YYYY-MM-DDT` and its midnight read as UTC. Most headers repeat the date before them.
  let dateN0 = -1;
  let dateN1 = -1;
  let dateN2 = -1;
  let dateLen = -1;
  let dateOrder: ShapeOrder | null = null;
  let dayYear = 0;
  let dayMonth = 0;
  let dayDay = 0;
  let dayPrefix = '';
  let dayMs = 0;
  // The last wall clock converted without a warning, and its strings (messages share minutes).
  let lastLocalMs = NaN;
  let lastLocal = '';
  let lastUtc = '';
  let timeWarning: ReaderEvent | null = null;

  const invalidTime = (h: Header, order: Perm, line: number, offset: number): TimeInfo => {
    const pad = (n: number): string => String(n).padStart(2, '0');
    timeWarning = warning(
      src,
      'invalid-date',
      `${where(src, line)}: the header gives no real date and time when read as ${order} (${h.n0}${h.sep}${h.n1}${h.sep}${h.n2} ${h.hour}:${pad(h.minute)}); the message is kept without a time`,
      line,
      offset,
    );
    return { utc: null, local: null, basis, zone: zoneName };
  };

  /** The time of a header under its shape's order; a warning about it goes to `timeWarning`. */
  const timeOf = (h: Header, o: ShapeOrder, line: number, offset: number): TimeInfo => {
    const lens = h.len0 * 100 + h.len1 * 10 + h.len2;
    if (h.n0 !== dateN0 || h.n1 !== dateN1 || h.n2 !== dateN2 || lens !== dateLen || o !== dateOrder) {
      const year = fullYear(nth(h, o.y), lenOf(h, o.y));
      const month = nth(h, o.m);
      const day = nth(h, o.d);
      if (!isValidDate(year, month, day)) return invalidTime(h, o.order, line, offset);
      dateN0 = h.n0;
      dateN1 = h.n1;
      dateN2 = h.n2;
      dateLen = lens;
      dateOrder = o;
      if (year !== dayYear || month !== dayMonth || day !== dayDay) {
        dayYear = year;
        dayMonth = month;
        dayDay = day;
        dayPrefix = `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T`;
        dayMs = Date.UTC(year, month - 1, day);
      }
    }
    const hour = hour24(h);
    const minute = h.minute;
    const second = h.second < 0 ? 0 : h.second;
    if (hour < 0 || minute > 59 || second > 59) return invalidTime(h, o.order, line, offset);
    const localMs = dayMs + hour * 3_600_000 + minute * 60_000 + second * 1000;
    if (localMs === lastLocalMs) return { utc: lastUtc, local: lastLocal, basis, zone: zoneName };
    const local = `${dayPrefix}${MINUTES[hour * 60 + minute]}${TWO_DIGITS[second]}`;
    let ms: number;
    if (zone === null) ms = localMs;
    else {
      ms = zone.cached(localMs);
      if (Number.isNaN(ms)) {
        const r = zone.toUtc({ year: dayYear, month: dayMonth, day: dayDay, hour, minute, second }, localMs);
        ms = r.ms;
        if (r.gap || r.ambiguous) {
          timeWarning = warning(
            src,
            r.gap ? 'dst-gap' : 'dst-ambiguous',
            r.gap
              ? `${where(src, line)}: ${local} does not exist in ${zone.zone.zone} (clocks went forward); read with the offset before the change`
              : `${where(src, line)}: ${local} happened twice in ${zone.zone.zone} (clocks went back); the earlier instant was chosen`,
            line,
            offset,
          );
          lastLocalMs = NaN;
          return { utc: utc.format(ms), local, basis, zone: zoneName };
        }
      }
    }
    const utcText = utc.format(ms);
    lastLocalMs = localMs;
    lastLocal = local;
    lastUtc = utcText;
    return { utc: utcText, local, basis, zone: zoneName };
  };

  // The message being assembled: its header line's time (and the warning about it), position,
  // the text after the header (and author) on its line, the continuation lines, the raw author
  // (null for a classic system line), and warnings about its continuation lines.
  let open = false;
  let curTime: TimeInfo | null = null;
  let curWarning: ReaderEvent | null = null;
  let curLine = 0;
  let curOffset = 0;
  let curLength = 0;
  let curFirst = '';
  let curMore: string[] | null = null;
  let curAuthor: string | null = null;
  let curNotes: ReaderEvent[] | null = null;
  let mention: MediaMention | null = null;

  /** The finished current message (its attachment, if any, goes to `mention`). */
  const finish = (): ReaderEvent & { type: 'message' } => {
    let body: Body;
    let sender: SenderRef | null = null;
    if (curAuthor === null) body = classifySystemLine(curFirst, curMore);
    else {
      body = classifyBody(curFirst, curMore);
      if (body.kind !== 'service') sender = senders.resolve(curAuthor);
    }
    const outgoing = sender === null ? null : ownerKey !== null ? sender.key === ownerKey : body.ownDeletion ? true : null;
    const source: ParsedMessage['source'] =
      src.entry === null
        ? { file: src.file, sha256: src.sha256, line: curLine, offset: curOffset, length: curLength }
        : {
            file: src.file,
            sha256: src.sha256,
            entry: src.entry,
            entrySha256: entrySha,
            line: curLine,
            offset: curOffset,
            length: curLength,
          };
    const message: ParsedMessage = {
      platform: 'whatsapp',
      kind: body.kind,
      chat,
      sender,
      outgoing,
      time: curTime!,
      edited: body.edited,
      editedAt: null,
      text: body.text,
      markedPhones: [],
      media: [],
      forwarded: false,
      forwardedFrom: null,
      replyTo: null,
      action: body.action,
      location: body.location,
      contact: null,
      source,
    };
    mention = body.media;
    return { type: 'message', message };
  };

  // Events are handed on in batches: when reading fails, those before the failure still go
  // out first, as they would one by one.
  let stream: AsyncIterator<Buffer> | null = null;
  try {
    let preamble: { line: number; offset: number; lines: number; text: string } | null = null;
    const h = newHeader();
    const splitter = new LineSplitter(src.file, found.encoding.encoding, found.encoding.bomLength, false);
    stream = (await src.open())[Symbol.asyncIterator]();
    let bytes = 0;
    let done = false;
    let lastKey = -1;
    let lastOrder: ShapeOrder | undefined;
    while (!done) {
      const step = await stream.next();
      if (step.done) {
        splitter.finish();
        done = true;
      } else {
        bytes += step.value.length;
        splitter.load(step.value);
        options.progress?.(Math.floor((found.bytes + bytes) / 2));
      }
      while (splitter.next()) {
        const start = splitter.start;
        const end = splitter.end;
        if (readHeader(splitter, h)) {
          const key = shapeKey(h);
          if (key !== lastKey) {
            lastKey = key;
            lastOrder = orders.get(key);
          }
          const order = lastOrder;
          if (order !== undefined) {
            if (preamble !== null) {
              if (preamble.text.trim() !== '') {
                out.push(
                  warning(
                    src,
                    'text-before-first-message',
                    `${where(src, preamble.line)}: ${preamble.lines} line(s) before the first message header, kept here: ${JSON.stringify(preamble.text)}`,
                    preamble.line,
                    preamble.offset,
                  ),
                );
              }
              preamble = null;
            }
            if (open) {
              const event = finish();
              if (mention !== null) {
                event.message.media = [src.resolveMediaNow?.(mention) ?? (await src.resolveMedia(mention))];
                mention = null;
              }
              if (curWarning !== null) out.push(curWarning);
              out.push(event);
              if (curNotes !== null) for (const note of curNotes) out.push(note);
              if (out.length >= BATCH) {
                const batch = out;
                out = [];
                yield batch;
              }
            }
            curLine = splitter.line;
            curOffset = splitter.offset;
            curLength = splitter.length;
            timeWarning = null;
            curTime = timeOf(h, order, curLine, curOffset);
            curWarning = timeWarning;
            const at = authors.end(splitter, h.bodyStart, end);
            const textAt = at < 0 ? h.bodyStart : at + 2;
            curFirst = textAt < end ? splitter.decode(textAt, end) : '';
            curMore = null;
            curAuthor = at < 0 ? null : authors.author;
            curNotes = null;
            open = true;
            continue;
          }
          const note = warning(
            src,
            'timestamp-in-text',
            `${where(src, splitter.line)} starts with a timestamp in a style the file's headers do not use; kept as text of the message before it`,
            splitter.line,
            splitter.offset,
          );
          if (open) (curNotes ??= []).push(note);
          else out.push(note);
        }
        const bom = bomAt(splitter, start);
        const lineText = start + bom < end ? splitter.decode(start + bom, end) : '';
        if (open) {
          (curMore ??= []).push(lineText);
          curLength += splitter.length;
        } else if (preamble === null) {
          preamble = { line: splitter.line, offset: splitter.offset, lines: 1, text: lineText.slice(0, PREAMBLE_CHARS) };
        } else {
          preamble.lines++;
          if (preamble.text.length < PREAMBLE_CHARS) preamble.text = `${preamble.text}\n${lineText}`.slice(0, PREAMBLE_CHARS);
        }
      }
    }
    if (open) {
      const event = finish();
      if (mention !== null) {
        event.message.media = [src.resolveMediaNow?.(mention) ?? (await src.resolveMedia(mention))];
        mention = null;
      }
      if (curWarning !== null) out.push(curWarning);
      out.push(event);
      if (curNotes !== null) for (const note of curNotes) out.push(note);
    }
  } catch (error) {
    if (out.length > 0) {
      const batch = out;
      out = [];
      yield batch;
    }
    throw error;
  } finally {
    // Reading stopped early (an error, or the caller's return()): let go of the file.
    await stream?.return?.();
  }
  if (out.length > 0) yield out;
}
