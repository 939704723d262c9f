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
import { zoneConverter , type ZoneConverter } from '../../util/time.js';
import type { WallClock } from '../../util/time.js';
import { InputError } from '../../util/errors.js';
import type { ReadOptions } from '../reader.js';
import { classifyBody, classifySystemLine, firstLineNotice, isFormatMark, isOwnDeletion, mayBeOwnDeletion } from './body.js';
import type { Body, MediaMention } from './body.js';
import { chatNameFromFileName } from './chat-name.js';
import { fullYear, isValidDate, ShapeStats } from './date-order.js';
import type { OrderDecision, Perm } from './date-order.js';
import { hour24, markedHour24, newHeader, parseHeaderBytes, parseHeaderRegex, shapeKey } from './header.js';
import type { Frame, Header } from './header.js';
import { detectEncoding, LineSplitter } from './lines.js';
import type { EncodingInfo } from './lines.js';
import { AuthorReader, loadPhoneNumbers, looksLikePhone, phoneOfName, SenderDirectory } from './sender.js';
import { pumpOfBatches, PumpedEvents } from '../kit/events.js';
import { checkReadZone, IsoSecondsFormatter, wallClockBasis } from '../kit/clock.js';

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
  /** Finds the file an attachment names (several when an archive cannot tell which one it is). */
  resolveMedia(mention: MediaMention): Promise<MediaRef | MediaRef[]>;
  /** What resolveMedia would give, when known without waiting (else undefined). */
  resolveMediaNow?(mention: MediaMention): MediaRef | MediaRef[] | undefined;
  /** Warnings about the container, yielded after the chat event. */
  warnings?: Warning[];
  /**
   * For an archive holding several chat texts: a tag the chat and its messages carry in their ids
   * (`whatsapp:<sha12>:<tag>`, `wa:<sha12>:<tag>:L<line>`), so two chat texts of one file never
   * share one. Absent for the one chat text of an ordinary export.
   */
  chatTag?: string;
  /** The second and later chat texts of one archive: the first one's `export` event stands for the file. */
  omitExport?: boolean;
}

/** A frame is a real header style of the file when this share of headers (or the most) use it. */
const FRAME_SHARE = 0.05;
/** The start of a header (format marks, an optional bracket, a number and a date separator): see the cut-short warning. */
const CUT_HEADER = /^[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]*\[?\d{1,4}[./\-]/;
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
  /** Authors (raw) of at least one line without a leading format mark: the chat's participants. */
  plainAuthors: Set<string>;
  /** Authors (raw) of lines that are notices. */
  noticeAuthors: Set<string>;
  /** The author of the file's first line when that line is a notice (the encryption notice). */
  firstNoticeAuthor: string | null;
}

interface Plan {
  orders: Map<number, OrderDecision>;
  /**
   * Raw names that are the chat's own (the group's name in iOS exports): they head notices only,
   * and either head the export's first line (the encryption notice) or are the chat's name.
   */
  chatHeaders: Set<string>;
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

/**
 * The position a warning's text names: nothing in a .txt (the warning's own line says it), the
 * entry and line inside an archive (`_chat.txt line 12: `), whose line the zip's path cannot show.
 */
function atLine(src: ChatTextSource, line: number): string {
  return src.entry === null ? '' : `${src.entry} line ${line}: `;
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

/** True when an invisible format mark (isFormatMark: LRM, BOM, bidi controls…) starts at i of the view. */
function markAt(sp: LineSplitter, i: number): boolean {
  if (!sp.latin1) return isFormatMark(sp.view.charCodeAt(i));
  const b = sp.bytes;
  const c = b[i]!;
  if (c === 0xe2) {
    const c1 = b[i + 1];
    const c2 = b[i + 2]!;
    if (c1 === 0x80) return c2 === 0x8b || c2 === 0x8e || c2 === 0x8f || (c2 >= 0xaa && c2 <= 0xae);
    return c1 === 0x81 && c2 >= 0xa6 && c2 <= 0xa9;
  }
  if (c === 0xef) return b[i + 1] === 0xbb && b[i + 2] === 0xbf;
  return c === 0xd8 && b[i + 1] === 0x9c;
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
  const plainAuthors = new Set<string>();
  const noticeAuthors = new Set<string>();
  let firstNoticeAuthor: string | null = null;
  let headers = 0;
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
      headers++;
      const end = sp.end;
      const at = authors.end(sp, h.bodyStart, end);
      if (at < 0) continue;
      const bodyAt = at + 2;
      const raw = authors.author;
      // A notice written under a name (iOS) does not make that name a participant; a name that
      // heads an unmarked line is one (notices under the chat's name always carry the mark).
      if (bodyAt < end && markAt(sp, bodyAt)) {
        const notice = firstLineNotice(sp.decode(bodyAt, end));
        if (notice !== null) {
          noticeAuthors.add(raw);
          if (headers === 1 && notice !== 'template') firstNoticeAuthor = raw;
          continue;
        }
      } else if (authors.entry === null || authors.entry.plain !== true) {
        plainAuthors.add(raw);
        if (authors.entry !== null) authors.entry.plain = true;
      }
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
  return { encoding: encoding!, shapes, chatSha256: hash === null ? src.sha256 : hash.digest('hex'), bytes, plainAuthors, noticeAuthors, firstNoticeAuthor };
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
  // The chat's own name heads notices only: the first line's (the encryption notice), or the name
  // the export file gives the chat. A name that also heads a message is a participant.
  const chatHeaders = new Set<string>();
  const wantChat = chatName === null ? null : cleanName(chatName).normalize('NFC');
  for (const raw of found.noticeAuthors) {
    if (found.plainAuthors.has(raw)) continue;
    if (raw === found.firstNoticeAuthor || (wantChat !== null && cleanName(raw).normalize('NFC') === wantChat)) chatHeaders.add(raw);
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
    chatHeaders,
    ownerKey: owner?.key ?? null,
    ownerName: owner?.name ?? null,
    chat: { id: `whatsapp:${shortHash(src.sha256)}${src.chatTag === undefined ? '' : `:${src.chatTag}`}`, name: chatName ?? src.fallbackName },
    events,
    facts,
  };
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
/** `HH:MM:` for each minute of a day. */
const MINUTES = Array.from({ length: 1440 }, (_, i) => `${TWO_DIGITS[Math.floor(i / 60)]}:${TWO_DIGITS[i % 60]}:`);
const DAY_MS = 86_400_000;
/** Events handed on at a time (see pumpOfBatches): few enough to keep memory flat. */
const BATCH = 256;

/** Spacing of the instants at which WallClockConverter checks a zone's offset. */
const PROBE_STEP_MS = 12 * 3_600_000;

/**
 * Wall clock to UTC in one zone, with the offset of the last local day cached when the zone keeps
 * one offset over every instant a conversion of that day would look at (zones change offset at
 * most once a day, so an offset that is the same at instants 12 hours apart all across a span is
 * the offset of the whole span). A day that fails the test is remembered too, so its clocks go
 * straight to the zone.
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
      const offset = this.steadyOffset(day * DAY_MS);
      if (offset !== null) {
        this.day = day;
        this.offsetMs = offset;
        return { ms: local - offset, gap: false, ambiguous: false };
      }
      this.unevenDay = day;
    }
    return this.zone.toUtc(w);
  }

  /**
   * The offset (ms) of every wall clock of the local day that starts at `dayStart` (its midnight
   * read as UTC), or null when the zone's offset changes near that day. ZoneConverter.toUtc looks
   * at the clock read as UTC, that minus the offset, and an hour either side; when the offset is
   * the same at all of those instants it returns the clock minus that offset, neither gap nor
   * overlap. The instants checked lie on a fixed grid, so consecutive days share most of them
   * (and the zone caches its offsets per hour).
   */
  private steadyOffset(dayStart: number): number | null {
    const zone = this.zone;
    const offset = zone.offsetAt(dayStart) * 60_000;
    const from = Math.min(dayStart, dayStart - offset) - 3_600_000;
    const to = Math.max(dayStart + DAY_MS, dayStart + DAY_MS - offset) + 3_600_000;
    for (let t = Math.floor(from / PROBE_STEP_MS) * PROBE_STEP_MS; ; t += PROBE_STEP_MS) {
      if (zone.offsetAt(t) * 60_000 !== offset) return null;
      if (t >= to) return offset;
    }
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

/**
 * The time of each header under its shape's date order: validated, converted from the zone's
 * wall clock to UTC, formatted. A header whose date or time does not exist, or falls in a DST
 * change, leaves a warning in `warning` (null otherwise).
 */
class HeaderClock {
  private readonly zone: WallClockConverter | null;
  private readonly basis: TimeInfo['basis'];
  private readonly zoneName: string;
  private readonly utc = new IsoSecondsFormatter();
  /** The warning about the last header's time, or null. */
  warning: ReaderEvent | null = null;

  // The date of the last header (its numbers and shape order) when valid: year, month, day,
  // `YYYY-MM-DDT` and its midnight read as UTC. Most headers repeat the date before them.
  private dateN0 = -1;
  private dateN1 = -1;
  private dateN2 = -1;
  private dateLen = -1;
  private dateOrder: ShapeOrder | null = null;
  private dayYear = 0;
  private dayMonth = 0;
  private dayDay = 0;
  private dayPrefix = '';
  private dayMs = 0;
  // The last wall clock converted without a warning, and its strings (messages share minutes).
  private lastLocalMs = NaN;
  private lastLocal = '';
  private lastUtc = '';

  constructor(
    private readonly src: ChatTextSource,
    tz: string | null,
  ) {
    this.zone = tz === null ? null : new WallClockConverter(zoneConverter(tz));
    this.basis = wallClockBasis(tz);
    this.zoneName = tz ?? 'UTC';
  }

  private invalid(written: string, order: Perm, line: number, offset: number): TimeInfo {
    this.warning = warning(
      this.src,
      'invalid-date',
      `${atLine(this.src, line)}the header ${JSON.stringify(written)} gives no real date and time when read as ${order}; the message is kept without a time`,
      line,
      offset,
    );
    return { utc: null, local: null, basis: this.basis, zone: this.zoneName };
  }

  /**
   * The time of a header under its shape's order (sets `warning`). `written()` gives the header
   * as the file writes it, for warnings.
   */
  timeOf(h: Header, o: ShapeOrder, line: number, offset: number, written: () => string): TimeInfo {
    this.warning = null;
    const lens = h.len0 * 100 + h.len1 * 10 + h.len2;
    if (h.n0 !== this.dateN0 || h.n1 !== this.dateN1 || h.n2 !== this.dateN2 || lens !== this.dateLen || o !== this.dateOrder) {
      const year = fullYear(nth(h, o.y), lenOf(h, o.y));
      const month = nth(h, o.m);
      const day = nth(h, o.d);
      if (!isValidDate(year, month, day)) return this.invalid(written(), o.order, line, offset);
      this.dateN0 = h.n0;
      this.dateN1 = h.n1;
      this.dateN2 = h.n2;
      this.dateLen = lens;
      this.dateOrder = o;
      if (year !== this.dayYear || month !== this.dayMonth || day !== this.dayDay) {
        this.dayYear = year;
        this.dayMonth = month;
        this.dayDay = day;
        this.dayPrefix = `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T`;
        this.dayMs = Date.UTC(year, month - 1, day);
      }
    }
    let hour = hour24(h);
    const minute = h.minute;
    const second = h.second < 0 ? 0 : h.second;
    let note: ReaderEvent | null = null;
    if (hour < 0 && markedHour24(h) >= 0 && minute <= 59 && second <= 59) {
      hour = markedHour24(h);
      const text = written();
      note = warning(
        this.src,
        'hour-beside-marker',
        `${atLine(this.src, line)}the header ${JSON.stringify(text)} writes the 24-hour clock ${h.hour}:${TWO_DIGITS[minute]} beside a day-half marker; read as ${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}`,
        line,
        offset,
      );
    }
    if (hour < 0 || minute > 59 || second > 59) return this.invalid(written(), o.order, line, offset);
    const localMs = this.dayMs + hour * 3_600_000 + minute * 60_000 + second * 1000;
    // A DST warning below, rarer still, takes its place.
    this.warning = note;
    if (localMs === this.lastLocalMs) return { utc: this.lastUtc, local: this.lastLocal, basis: this.basis, zone: this.zoneName };
    const local = `${this.dayPrefix}${MINUTES[hour * 60 + minute]}${TWO_DIGITS[second]}`;
    const zone = this.zone;
    let ms: number;
    if (zone === null) ms = localMs;
    else {
      ms = zone.cached(localMs);
      if (Number.isNaN(ms)) {
        const r = zone.toUtc({ year: this.dayYear, month: this.dayMonth, day: this.dayDay, hour, minute, second }, localMs);
        ms = r.ms;
        if (r.gap || r.ambiguous) {
          this.warning = warning(
            this.src,
            r.gap ? 'dst-gap' : 'dst-ambiguous',
            r.gap
              ? `${atLine(this.src, line)}${local} does not exist in ${zone.zone.zone} (clocks went forward); read with the offset before the change`
              : `${atLine(this.src, line)}${local} happened twice in ${zone.zone.zone} (clocks went back); the earlier instant was chosen`,
            line,
            offset,
          );
          this.lastLocalMs = NaN;
          return { utc: this.utc.format(ms), local, basis: this.basis, zone: this.zoneName };
        }
      }
    }
    const utcText = this.utc.format(ms);
    this.lastLocalMs = localMs;
    this.lastLocal = local;
    this.lastUtc = utcText;
    return { utc: utcText, local, basis: this.basis, zone: this.zoneName };
  }
}

/** Why MessageAssembler.parse() returned. */
const enum Stop {
  /** The loaded lines are used up: load the next chunk (or finish). */
  LinesUsedUp,
  /** A batch of events is ready in `out`. */
  BatchFull,
  /** A finished message waits for its attachment to be looked up: call settle(). */
  MediaPending,
}

/** A finished message held back until its attachment is looked up, with the events around it. */
interface Held {
  event: ReaderEvent & { type: 'message' };
  mention: MediaMention;
  warning: ReaderEvent | null;
  notes: ReaderEvent[] | null;
}

/**
 * Pass 2: turns the lines of the chat text into message events, in `out`. Synchronous, so that
 * its loop is compiled early (an async generator's own loop would stay unoptimized for the first
 * tens of thousands of lines); the async generator around it reads the file, awaits attachment
 * lookups and hands the batches on.
 */
class MessageAssembler {
  out: ReaderEvent[] = [];
  private readonly h = newHeader();
  private readonly clock: HeaderClock;
  private readonly orders = new Map<number, ShapeOrder>();
  private readonly chat: ChatRef;
  private readonly entrySha: string;
  private readonly ownerKey: string | null;
  private readonly chatHeaders: Set<string>;
  private lastKey = -1;
  private lastOrder: ShapeOrder | undefined = undefined;
  private preamble: { line: number; offset: number; lines: number; text: string } | null = null;
  private held: Held | null = null;

  // The message being assembled: its header line's time (and the warning about it), position,
  // the text after the header (and author) on its line, the continuation lines, the raw author
  // (null for a classic system line), and warnings about its continuation lines.
  private open = false;
  private curTime: TimeInfo | null = null;
  private curWarning: ReaderEvent | null = null;
  private curLine = 0;
  private curOffset = 0;
  private curLength = 0;
  private curFirst = '';
  private curMore: string[] | null = null;
  private curAuthor: string | null = null;
  private curNotes: ReaderEvent[] | null = null;
  /** The current message is the export's first (where iOS writes the encryption notice). */
  private curOpensExport = false;
  private headers = 0;

  constructor(
    private readonly src: ChatTextSource,
    options: ReadOptions,
    p: Plan,
    found: Scan,
    private readonly senders: SenderDirectory,
    private readonly authors: AuthorReader,
  ) {
    this.clock = new HeaderClock(src, options.tz);
    this.chat = p.chat;
    this.entrySha = found.chatSha256;
    this.ownerKey = p.ownerKey;
    this.chatHeaders = p.chatHeaders;
    for (const [key, decision] of p.orders) {
      const order = decision.order;
      this.orders.set(key, { order, y: order.indexOf('y'), m: order.indexOf('m'), d: order.indexOf('d') });
    }
  }

  /** The events gathered so far (and a fresh array for the next ones). */
  take(): ReaderEvent[] {
    const batch = this.out;
    this.out = [];
    return batch;
  }

  /** The current message as an event, and the attachment its text names (or null). */
  private finish(): { event: ReaderEvent & { type: 'message' }; mention: MediaMention | null } {
    const src = this.src;
    let body: Body;
    let sender: SenderRef | null = null;
    if (this.curAuthor === null) body = classifySystemLine(this.curFirst, this.curMore);
    else {
      const author = this.curAuthor;
      // Only a text that starts with a mark can be a notice: the rest need no context.
      body = isFormatMark(this.curFirst.charCodeAt(0))
        ? classifyBody(this.curFirst, this.curMore, { author: cleanName(author), underChatName: this.chatHeaders.has(author), opensExport: this.curOpensExport })
        : classifyBody(this.curFirst, this.curMore);
      if (body.kind !== 'service' || body.byActor) sender = this.senders.resolve(author);
      if (body.doubt !== null) {
        (this.curNotes ??= []).push(warning(src, 'authorship-kept', `${atLine(src, this.curLine)}${body.doubt}`, this.curLine, this.curOffset));
      }
    }
    const ownerKey = this.ownerKey;
    const outgoing = sender === null ? null : ownerKey !== null ? sender.key === ownerKey : body.ownDeletion ? true : null;
    const source: ParsedMessage['source'] =
      src.entry === null
        ? { file: src.file, sha256: src.sha256, line: this.curLine, offset: this.curOffset, length: this.curLength }
        : {
            file: src.file,
            sha256: src.sha256,
            entry: src.entry,
            entrySha256: this.entrySha,
            line: this.curLine,
            offset: this.curOffset,
            length: this.curLength,
          };
    const message: ParsedMessage = {
      platform: 'whatsapp',
      kind: body.kind,
      chat: this.chat,
      sender,
      outgoing,
      time: this.curTime!,
      edited: body.edited,
      editedAt: null,
      text: body.text,
      markedPhones: [],
      links: [],
      media: [],
      forwarded: false,
      forwardedFrom: null,
      replyTo: null,
      action: body.action,
      location: body.location,
      contact: null,
      source,
    };
    return { event: { type: 'message', message }, mention: body.media };
  }

  /**
   * Queues the current message (with the warning about its time before it and notes about its
   * lines after it); false when it is held back instead, its attachment to be looked up.
   */
  private queueCurrent(): boolean {
    const { event, mention } = this.finish();
    if (mention !== null) {
      const ref = this.src.resolveMediaNow?.(mention);
      if (ref === undefined) {
        this.held = { event, mention, warning: this.curWarning, notes: this.curNotes };
        return false;
      }
      event.message.media = Array.isArray(ref) ? ref : [ref];
    }
    const out = this.out;
    if (this.curWarning !== null) out.push(this.curWarning);
    out.push(event);
    if (this.curNotes !== null) for (const note of this.curNotes) out.push(note);
    return true;
  }

  /** Looks up the attachment of the held message, then queues it. */
  async settle(): Promise<void> {
    const held = this.held!;
    this.held = null;
    const refs = await this.src.resolveMedia(held.mention);
    held.event.message.media = Array.isArray(refs) ? refs : [refs];
    const out = this.out;
    if (held.warning !== null) out.push(held.warning);
    out.push(held.event);
    if (held.notes !== null) for (const note of held.notes) out.push(note);
  }

  /**
   * The file's last line has no line break. Exports end with one, so the file was probably cut (a
   * copy interrupted, a size limit) inside its last message, or, when `header` is given, inside the
   * header of a message whose text is lost.
   */
  private cutShort(sp: LineSplitter, header: string | null): ReaderEvent {
    const what =
      header !== null
        ? `the file ends without a line break inside what looks like a message header (${JSON.stringify(header.slice(0, 40))}): the export was probably cut short here, and what followed is missing; the fragment is kept as text of the message before it`
        : 'the file ends without a line break: an export ends with one, so this file was probably cut short inside its last message, whose text may be incomplete, and any messages after it are missing';
    return warning(this.src, 'cut-short', `${atLine(this.src, sp.line)}${what}`, sp.line, sp.offset);
  }

  /** Reads the loaded lines of `sp` until they are used up, a batch is full or a lookup waits. */
  parse(sp: LineSplitter): Stop {
    const h = this.h;
    const src = this.src;
    while (sp.next()) {
      const start = sp.start;
      const end = sp.end;
      if (readHeader(sp, h)) {
        const key = shapeKey(h);
        if (key !== this.lastKey) {
          this.lastKey = key;
          this.lastOrder = this.orders.get(key);
        }
        const order = this.lastOrder;
        if (order !== undefined) {
          const preamble = this.preamble;
          if (preamble !== null) {
            if (preamble.text.trim() !== '') {
              this.out.push(
                warning(
                  src,
                  'text-before-first-message',
                  `${atLine(src, preamble.line)}${preamble.lines} line(s) before the first message header, kept here: ${JSON.stringify(preamble.text)}`,
                  preamble.line,
                  preamble.offset,
                ),
              );
            }
            this.preamble = null;
          }
          const queued = this.open ? this.queueCurrent() : true;
          this.curLine = sp.line;
          this.curOffset = sp.offset;
          this.curLength = sp.length;
          this.curTime = this.clock.timeOf(h, order, this.curLine, this.curOffset, () => sp.decode(start, h.bodyStart).replace(/[-–:\s]+$/, ''));
          this.curWarning = this.clock.warning;
          const authors = this.authors;
          const at = authors.end(sp, h.bodyStart, end);
          const textAt = at < 0 ? h.bodyStart : at + 2;
          this.curFirst = textAt < end ? sp.decode(textAt, end) : '';
          this.curMore = null;
          this.curAuthor = at < 0 ? null : authors.author;
          this.curNotes = null;
          this.curOpensExport = ++this.headers === 1;
          this.open = true;
          if (sp.unterminated) (this.curNotes ??= []).push(this.cutShort(sp, null));
          if (!queued) return Stop.MediaPending;
          if (this.out.length >= BATCH) return Stop.BatchFull;
          continue;
        }
        const note = warning(
          src,
          'timestamp-in-text',
          `${atLine(src, sp.line)}the line starts with a timestamp in a style the file's headers do not use; kept as text of the message before it`,
          sp.line,
          sp.offset,
        );
        if (this.open) (this.curNotes ??= []).push(note);
        else this.out.push(note);
      }
      const bom = bomAt(sp, start);
      const lineText = start + bom < end ? sp.decode(start + bom, end) : '';
      if (sp.unterminated) {
        const note = this.cutShort(sp, CUT_HEADER.test(lineText) ? lineText : null);
        if (this.open) (this.curNotes ??= []).push(note);
        else this.out.push(note);
      }
      if (this.open) {
        (this.curMore ??= []).push(lineText);
        this.curLength += sp.length;
      } else if (this.preamble === null) {
        this.preamble = { line: sp.line, offset: sp.offset, lines: 1, text: lineText.slice(0, PREAMBLE_CHARS) };
      } else {
        const preamble = this.preamble;
        preamble.lines++;
        if (preamble.text.length < PREAMBLE_CHARS) preamble.text = `${preamble.text}\n${lineText}`.slice(0, PREAMBLE_CHARS);
      }
    }
    return Stop.LinesUsedUp;
  }

  /** At the end of the text: queues the last message; false when it waits (call settle()). */
  finishText(): boolean {
    if (!this.open) return true;
    this.open = false;
    return this.queueCurrent();
  }
}

/** Reads a WhatsApp chat text: export, chat, then warnings and messages in file order. */
export function readChatText(src: ChatTextSource, options: ReadOptions): AsyncGenerator<ReaderEvent> {
  return new PumpedEvents(pumpOfBatches(readBatches(src, options)));
}

/** readChatText's events, in arrays of up to BATCH. */
async function* readBatches(src: ChatTextSource, options: ReadOptions): AsyncGenerator<ReaderEvent[], void, undefined> {
  checkReadZone(options);
  const senders = new SenderDirectory(options.senderScope ?? shortHash(src.sha256));
  const authors = new AuthorReader();
  const found = await scan(src, options, authors);
  const p = plan(src, options, found, senders);

  const assembler = new MessageAssembler(src, options, p, found, senders, authors);
  const out = assembler.out;
  if (src.omitExport !== true) out.push({
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

  // Events are handed on in batches: when reading fails, those before the failure still go
  // out first, as they would one by one.
  let stream: AsyncIterator<Buffer> | null = null;
  try {
    const splitter = new LineSplitter(src.file, found.encoding.encoding, found.encoding.bomLength, false);
    stream = (await src.open())[Symbol.asyncIterator]();
    let bytes = 0;
    let done = false;
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
      for (;;) {
        const stop = assembler.parse(splitter);
        if (stop === Stop.LinesUsedUp) break;
        if (stop === Stop.MediaPending) await assembler.settle();
        if (assembler.out.length >= BATCH) yield assembler.take();
      }
    }
    if (!assembler.finishText()) await assembler.settle();
  } catch (error) {
    if (assembler.out.length > 0) yield assembler.take();
    throw error;
  } finally {
    // Reading stopped early (an error, or the caller's return()): let go of the file.
    await stream?.return?.();
  }
  if (assembler.out.length > 0) yield assembler.take();
}
