// Telegram Desktop's HTML export (its default format): `messages.html`, then `messages2.html`,
// `messages3.html`… in one folder, read as one chat in the order the pages link to each other.
// The page markup is html-page.ts's; this module turns its records into messages:
// - a `joined` message is its sender's again: the sender is carried forward (across pages too);
// - times are `dd.MM.yyyy HH:mm:ss` with the exporter's offset (`UTC+03:00`, since tdesktop v3.7.6):
//   converted with that offset (`inferred-offset`); without it, a wall clock (--tz, else UTC, flagged);
//   service lines carry no time in HTML;
// - HTML names no account ids: a sender is known by the name the victim's Telegram showed, so keys
//   are name keys in the victim's scope, like saved contact names (`name:<scope>:<name>`);
// - each further page is evidence of its own: hashed, announced as a part of the export, and cited
//   by the messages read from it. Pages are only ever followed by plain file names in the folder.
import { createReadStream, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { dirname, join, posix } from 'node:path';
import type { ContactCard, LinkRef, Location, MediaRef, MessageKind, ParsedMessage, ReaderEvent, SenderRef, SourceRef, TimeInfo } from '../../model.js';
import { InputError } from '../../util/errors.js';
import { sha256File, shortHash } from '../../util/hash.js';
import { formatOffset, formatWallClock, isValidWallClock, isoUtc, wallClockAsUtcMs, zoneConverter, type WallClock , type ZoneConverter } from '../../util/time.js';
import { checkReadZone, wallClockBasis } from '../kit/clock.js';
import { pumpOfBatches, PumpedEvents } from '../kit/events.js';
import { isPlainFileName } from '../kit/media.js';
import { displayFolder } from '../kit/provenance.js';
import { TreeMedia, type Resolved } from '../kit/tree-media.js';
import type { InputFile, ReadOptions, Reader } from '../reader.js';
import type { HtmlMedia, HtmlRecord } from './html-page.js';
import { TELEGRAM } from './platform.js';

/** Chat ids of HTML exports: `telegram-html:<sha12 of messages.html>` (HTML names no chat id). */
const CHAT_PREFIX = 'telegram-html:';

/** The first bytes of a chat page: tdesktop's page skeleton. */
const PAGE_MARKERS = ['<div class="page_wrap">', 'class="page_body chat_page"', '<div class="history">'];

/**
 * A first page of a chat: tdesktop's chat page whose history does not open with a link to a previous
 * page (`messages2.html` and later do; they are read with the first, never on their own).
 */
function sniff(head: Buffer): boolean {
  const text = head.toString('utf8');
  if (!/^\s*(?:\uFEFF)?\s*<!DOCTYPE html>/i.test(text) || !PAGE_MARKERS.every((m) => text.includes(m))) return false;
  const history = text.indexOf('<div class="history">');
  const pagination = text.indexOf('class="pagination', history);
  const message = text.indexOf('<div class="message', history);
  return pagination < 0 || (message >= 0 && message < pagination);
}

/** `20.01.2022 18:16:05 UTC+03:00` (the offset since v3.7.6; `UTC` alone at offset zero). */
const DATE_TITLE = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?: UTC(?:([+-])(\d{2}):(\d{2}))?)?$/;

interface TitleTime {
  wall: WallClock;
  /** Minutes east of UTC when the title says, else null. */
  offset: number | null;
}

export function parseDateTitle(title: string): TitleTime | null {
  const m = DATE_TITLE.exec(title.trim());
  if (m === null) return null;
  const wall: WallClock = { day: +m[1]!, month: +m[2]!, year: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: +m[6]! };
  if (!isValidWallClock(wall)) return null;
  const hasUtc = / UTC/.test(title);
  const offset = m[7] === undefined ? (hasUtc ? 0 : null) : (m[7] === '-' ? -1 : 1) * (+m[8]! * 60 + +m[9]!);
  if (offset !== null && Math.abs(offset) > 14 * 60) return null;
  return { wall, offset };
}


/** Why the export left a file out, from the description tdesktop writes in its place. */
function missingReason(description: string | null): string {
  if (description === null) return 'omitted';
  if (/^Not included\b/i.test(description)) return 'not-included';
  if (/^Exceeds maximum size\b/i.test(description)) return 'too-large';
  if (/^Unavailable\b/i.test(description)) return 'unavailable';
  return 'omitted';
}

const UNSUPPORTED = /^This message is not supported by this version of /;
/** tdesktop's name for an account without a name (deleted). */
const DELETED_ACCOUNT = 'Deleted Account';

/** What one page is: its path as shown, on disk, its hash and size. */
interface Page {
  abs: string;
  display: string;
  sha256: string;
  size: number;
}

class HtmlChatRead {
  private readonly media: TreeMedia;
  private readonly zone: ZoneConverter | null;
  private readonly scope: string;
  private readonly chatId: string;
  private chatName = '';
  /** The sender of the last message that named one: a `joined` message's. */
  private lastSender: SenderRef | null = null;
  private lastBasis: TimeInfo['basis'];
  private readonly offsets = new Set<string>();
  private bytesBefore = 0;
  private readonly estimatedTotal: number;

  constructor(
    private readonly input: InputFile,
    private readonly options: ReadOptions,
  ) {
    checkReadZone(options);
    this.media = new TreeMedia(input.absPath, input.displayPath);
    this.zone = options.tz === null ? null : zoneConverter(options.tz);
    this.scope = options.senderScope ?? shortHash(input.sha256);
    this.chatId = `${CHAT_PREFIX}${shortHash(input.sha256)}`;
    this.lastBasis = wallClockBasis(options.tz);
    this.estimatedTotal = input.size + followingPageSizes(input.absPath);
  }

  async *batches(): AsyncGenerator<ReaderEvent[], void, undefined> {
    // The HTML parser (htmlparser2) is loaded when a page is read, not by every ingest that sniffs.
    const { HtmlPageParser } = await import('./html-page.js');
    const first: Page = { abs: this.input.absPath, display: this.input.displayPath, sha256: this.input.sha256, size: this.input.size };
    const folder = dirname(this.input.absPath);
    const shownFolder = displayFolder(this.input.displayPath);
    const visited = new Set<string>([posix.basename(this.input.displayPath)]);
    let page: Page | null = first;
    let index = 0;
    while (page !== null) {
      const parser = new HtmlPageParser();
      // What to hand out before the page's messages: the export and chat, a further page's part.
      const pageEvents: ReaderEvent[] = [];
      if (index > 0) pageEvents.push({ type: 'part', part: { path: page.display, sha256: page.sha256, size: page.size } });
      for await (const text of this.pageText(page)) {
        parser.write(text);
        const records = parser.take();
        // The page header comes before any message: the export and its chat are known by then.
        if (index === 0 && this.chatName === '' && (parser.chatName !== null || records.length > 0)) pageEvents.push(...this.opening(parser.chatName));
        const out = pageEvents.splice(0);
        for (const record of records) out.push(await this.message(record, page));
        if (out.length > 0) yield out;
      }
      parser.end();
      if (index === 0 && this.chatName === '') pageEvents.push(...this.opening(parser.chatName));
      if (!parser.complete) {
        pageEvents.push(this.warning(page.display, 'html-page-cut', 'the page ends before its closing </html>: it was cut short, and messages after the last one read are missing'));
      }
      const out = pageEvents.splice(0);
      for (const record of parser.take()) out.push(await this.message(record, page));
      const next = parser.nextPage;
      const linking = page.display;
      page = null;
      if (next !== null) {
        if (!isPlainFileName(next) || !/\.html?$/i.test(next) || visited.has(next)) {
          out.push(this.warning(linking, 'html-page-link', `the page links to ${JSON.stringify(next)} as the next one, which is not a page of this folder; reading stops there`));
        } else {
          visited.add(next);
          const abs = join(folder, next);
          const display = shownFolder + next;
          try {
            const hashed = await sha256File(abs);
            page = { abs, display, ...hashed };
          } catch {
            out.push(this.warning(display, 'html-page-missing', `${display} is linked as the next page but cannot be read: the messages after it are missing from this export`));
          }
        }
      }
      if (out.length > 0) yield out;
      index++;
    }
  }

  private opening(name: string | null): ReaderEvent[] {
    this.chatName = (name ?? '').trim() || posix.basename(displayFolder(this.input.displayPath).replace(/\/$/, '')) || this.input.displayPath;
    return [
      {
        type: 'export',
        info: {
          platform: 'telegram',
          reader: 'telegram-html',
          ownerKey: null,
          ownerName: null,
          ownerPhoneRaw: null,
          facts: {},
        },
      },
      { type: 'chat', chat: { id: this.chatId, name: this.chatName, platform: 'telegram', type: 'unknown' } },
    ];
  }

  private async *pageText(page: Page): AsyncGenerator<string> {
    const decoder = new StringDecoder('utf8');
    let done = 0;
    let stream;
    try {
      stream = createReadStream(page.abs, { flags: 'r', highWaterMark: 1 << 16 });
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        done += chunk.length;
        this.options.progress?.(Math.min(this.input.size, Math.floor(((this.bytesBefore + done) / this.estimatedTotal) * this.input.size)));
        yield decoder.write(chunk);
      }
    } catch (error) {
      throw new InputError(page.display, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const rest = decoder.end();
    if (rest !== '') yield rest;
    this.bytesBefore += done;
  }

  private warning(file: string, code: string, message: string, line?: number): ReaderEvent {
    return { type: 'warning', warning: { file, code, message, ...(line !== undefined ? { line } : {}) } };
  }

  private sender(record: HtmlRecord, page: Page): SenderRef | null {
    if (record.service) return null;
    if (record.fromName === null) return this.lastSender;
    const raw = record.fromName;
    // tdesktop appends " via @bot" to the name of a message sent through an inline bot.
    const name = raw.replace(/ via @[A-Za-z0-9_]{3,64}\s*$/, '').trim();
    if (name === DELETED_ACCOUNT || name === '') {
      // Deleted accounts all show one name: scoped to this chat, so that two chats' deleted accounts
      // are never taken for one person.
      this.lastSender = { key: `name:${shortHash(page.sha256)}:${DELETED_ACCOUNT}`, name: '', raw, phone: null };
    } else {
      this.lastSender = { key: `name:${this.scope}:${name}`, name, raw, phone: null };
    }
    return this.lastSender;
  }

  private time(record: HtmlRecord): { time: TimeInfo; problem: string | null } {
    if (record.date === null) return { time: { utc: null, local: null, basis: this.lastBasis, zone: null }, problem: record.service ? null : 'no date' };
    const parsed = parseDateTitle(record.date);
    if (parsed === null) return { time: { utc: null, local: null, basis: this.lastBasis, zone: null }, problem: `unreadable date ${JSON.stringify(record.date)}` };
    const local = formatWallClock(parsed.wall);
    if (parsed.offset !== null) {
      const zone = formatOffset(parsed.offset);
      this.offsets.add(zone);
      this.lastBasis = 'inferred-offset';
      return { time: { utc: isoUtc(wallClockAsUtcMs(parsed.wall) - parsed.offset * 60_000), local, basis: 'inferred-offset', zone }, problem: null };
    }
    this.lastBasis = wallClockBasis(this.options.tz);
    if (this.zone === null) return { time: { utc: isoUtc(wallClockAsUtcMs(parsed.wall)), local, basis: 'assumed-utc', zone: null }, problem: null };
    return { time: { utc: isoUtc(this.zone.toUtc(parsed.wall).ms), local, basis: 'zone', zone: this.zone.zone }, problem: null };
  }

  private async message(record: HtmlRecord, page: Page): Promise<ReaderEvent> {
    const source: SourceRef = { file: page.display, sha256: page.sha256, line: record.line, messageId: record.id };
    const { time, problem } = this.time(record);
    // Said once per message, with its line: the message is kept, without a time.
    if (problem !== null) this.pendingWarnings.push(this.warning(page.display, 'html-date', `message ${record.id} has ${problem}; it is kept without a time`, record.line));
    return { type: 'message', message: await this.build(record, page, source, time) };
  }

  /** Warnings found while building messages (a date, a media file), handed out after them. */
  private pendingWarnings: ReaderEvent[] = [];

  private async build(record: HtmlRecord, page: Page, source: SourceRef, time: TimeInfo): Promise<ParsedMessage> {
    const media: MediaRef[] = [];
    let location: Location | null = null;
    let contact: ContactCard | null = null;
    let kind: MessageKind = record.service ? 'service' : 'text';
    for (const block of record.media) {
      switch (block.kind) {
        case 'contact':
          contact = { name: block.title ?? '', phoneRaw: block.status === null ? null : block.status.replace(/\s*-\s*vCard$/i, '').trim() || null };
          kind = 'contact';
          break;
        case 'location':
          location = locationOf(block);
          kind = 'location';
          break;
        case 'call':
          kind = 'call';
          break;
        case 'poll':
          kind = 'poll';
          break;
        default:
          media.push(await this.file(block, page, record));
          if (kind === 'text') kind = block.kind === 'sticker' ? 'sticker' : 'media';
      }
    }
    if (!record.service && record.media.length === 0 && UNSUPPORTED.test(record.text)) kind = 'unsupported';
    const links: LinkRef[] = record.links.map((link) => ({ text: link.text, href: link.href, kind: 'text-link' }));
    return {
      platform: 'telegram',
      kind,
      chat: { id: this.chatId, name: this.chatName },
      sender: this.sender(record, page),
      outgoing: null,
      time,
      edited: false,
      editedAt: null,
      // A poll's question and answers are its text, as the JSON export's reader gives them.
      text: record.text === '' && record.poll !== null ? [record.poll.question, ...record.poll.answers.map((a) => `- ${a}`)].join('\n') : record.text,
      markedPhones: record.phones,
      links,
      media,
      forwarded: record.forwarded,
      forwardedFrom: record.forwardedFrom,
      replyTo: record.replyTo,
      action: null,
      location,
      contact,
      source,
    };
  }

  private async file(block: HtmlMedia, page: Page, record: HtmlRecord): Promise<MediaRef> {
    const kind = block.kind === 'video' && block.title === 'Video message' ? 'video-note' : block.kind === 'video' && block.title === 'Animation' ? 'animation' : (block.kind as MediaRef['kind']);
    const fileName = kind === 'document' && block.title !== null && block.title !== 'File' ? block.title : null;
    if (block.href === null) {
      return { kind, name: fileName ?? '', path: null, sha256: null, size: null, missing: missingReason(block.description), mime: null };
    }
    // Pages lie in one folder; a page's media paths are relative to it, as the first page's are.
    const resolved: Resolved = await this.media.resolve({ kind, value: block.href, fileName, declaredSize: null, mime: null });
    if (resolved.problem !== null) this.pendingWarnings.push(this.warning(page.display, resolved.problem.code, resolved.problem.message, record.line));
    return resolved.media;
  }

  /** Warnings found while building messages, handed out after them. */
  drainWarnings(): ReaderEvent[] {
    return this.pendingWarnings.splice(0);
  }
}

/** `lat, lon` from a location's status line, else from its maps link (`?q=lat,lon`). */
function locationOf(block: HtmlMedia): Location | null {
  const from = (s: string | null): Location | null => {
    const m = s === null ? null : /(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)/.exec(s);
    if (m === null) return null;
    const lat = Number(m[1]);
    const lon = Number(m[2]);
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    return { lat, lon, name: null };
  };
  const found = from(block.status) ?? from(block.href);
  if (found !== null && block.kind === 'location' && block.title !== null && block.title !== 'Location' && block.title !== 'Live location') found.name = block.title;
  return found;
}

/** Sizes of `messages2.html`, `messages3.html`… beside the first page, for progress only. */
function followingPageSizes(firstAbs: string): number {
  let total = 0;
  for (let n = 2; ; n++) {
    const st = statSync(join(dirname(firstAbs), `messages${n}.html`), { throwIfNoEntry: false });
    if (st === undefined || !st.isFile()) return total;
    total += st.size;
  }
}

async function* events(read: HtmlChatRead): AsyncGenerator<ReaderEvent[], void, undefined> {
  for await (const batch of read.batches()) {
    const warnings = read.drainWarnings();
    yield warnings.length > 0 ? [...batch, ...warnings] : batch;
  }
  const warnings = read.drainWarnings();
  if (warnings.length > 0) yield warnings;
}

export const telegramHtmlReader: Reader = {
  name: 'telegram-html',
  platform: TELEGRAM,
  folderMarker: 'messages.html',
  // The whole-account export in HTML: chats/chat_NN/messages.html below export_results.html.
  accountMarkers: ['export_results.html'],
  // HTML names no chat: its chat id is the first page's hash, its messages are matched by content.
  stableChatIds: false,
  // `tg:<sha12 of messages.html>:html:<message id>`: one scheme for the messages of every page.
  messageId: (m: ParsedMessage) => `tg:${m.chat.id.slice(CHAT_PREFIX.length)}:html:${m.source.messageId ?? `${m.source.file}:${m.source.line ?? 0}`}`,
  // No account ids in HTML; shared contacts carry numbers; forwards name their author; times carry
  // the exporter's offset since v3.7.6.
  capabilities: { accountIds: false, phones: true, zones: true, media: true, forwards: true },
  reads: 'Telegram Desktop JSON and HTML exports',
  description: 'Telegram Desktop HTML export (messages.html, messages2.html…): one chat, no account ids',
  sniff,
  read(input: InputFile, options: ReadOptions): AsyncGenerator<ReaderEvent> {
    return new PumpedEvents(pumpOfBatches(events(new HtmlChatRead(input, options))));
  },
};
