// Signal Desktop conversations exported by sigtop as text (`sigtop export-messages -f text`): one file
// per conversation, as sigtop's fmt_text.go writes it:
//
//   Conversation: Alice Smith (+31612345678)
//
//   From: Bob (+31687654321)          (From: You on outgoing messages; none on system rows)
//   Type: incoming                    (outgoing, call-history, group-v2-change, keychange…)
//   Sent: Tue, 5 Mar 2024 14:07:09 +0100
//   Received: Tue, 5 Mar 2024 14:07:11 +0100
//   Attachment: IMG_1234.jpg (image/jpeg, 204800 bytes)
//   Reaction: ❤️ from Alice Smith (+31612345678)
//   Edited: 2 versions                (then `| `-prefixed versions, newest first, instead of the body)
//
//   > From: …                         (a quote: `>`-prefixed lines)
//
//   body line 1
//   body line 2
//                                     (one blank line after every message)
//
// Times carry the exporting machine's offset: instants. A sender is shown with their number, or
// their username or ACI when Signal has no number for them: a number makes a `phone:` key, the same
// identity as that number on WhatsApp. sigtop writes bodies verbatim, so a body can imitate a
// message; a message starts only at a complete header after a blank line whose time does not go
// back before the message being read (sigtop writes them in the order they were received), and a
// header that would is kept as body text, with a warning.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { MediaKind, MediaRef, MessageKind, ParsedMessage, ReaderEvent, SenderRef, TimeInfo } from '../../model.js';
import { parsePhoneNumberFromString } from '../../phone/lib.js';
import { InputError } from '../../util/errors.js';
import { shortHash } from '../../util/hash.js';
import { formatOffset, formatWallClock, isoUtc, isValidWallClock, wallClockAsUtcMs, type WallClock } from '../../util/time.js';
import { pumpOfBatches, PumpedEvents } from '../kit/events.js';
import type { InputFile, ReadOptions, Reader } from '../reader.js';
import { headerGoesBack, SIGNAL, SIGNAL_READS, signalMessageId } from './platform.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Go's `Mon, 2 Jan 2006 15:04:05 -0700`. */
const TIME = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
const FIELD = /^(From|Type|Sent|Received|Attachment|Reaction|Edited): (.*)$/;

export interface SigtopTime {
  utcMs: number;
  local: string;
  offset: number;
}

export function parseSigtopTime(value: string): SigtopTime | null {
  const m = TIME.exec(value);
  if (m === null) return null;
  const wall: WallClock = { day: +m[1]!, month: MONTHS.indexOf(m[2]!) + 1, year: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: +m[6]! };
  if (!isValidWallClock(wall)) return null;
  const offset = (m[7] === '-' ? -1 : 1) * (+m[8]! * 60 + +m[9]!);
  if (Math.abs(offset) > 14 * 60) return null;
  return {
    utcMs: wallClockAsUtcMs(wall) - offset * 60_000,
    local: formatWallClock(wall),
    offset,
  };
}

function sniff(head: Buffer): boolean {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/, 12);
  if (!/^Conversation: \S/.test(lines[0] ?? '') || lines[1] !== '') return false;
  const type = lines.findIndex((l, i) => i >= 2 && i <= 3 && /^Type: \S+$/.test(l));
  if (type < 0) return false;
  const time = lines[type + 1] ?? '';
  return /^(?:Sent|Received): /.test(time) && (parseSigtopTime(time.replace(/^(?:Sent|Received): /, '')) !== null || time.endsWith(': unknown'));
}

/** `Name (detail)` as sigtop's DetailedDisplayName writes it. */
function displayParts(value: string): { name: string; detail: string | null } {
  const m = /^(.*) \(([^()]*)\)$/.exec(value);
  return m === null ? { name: value, detail: null } : { name: m[1]!, detail: m[2]! };
}

const ACI = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function mediaKindOf(mime: string): MediaKind {
  if (mime.startsWith('image/')) return 'photo';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'document';
}

/** One message's lines, header parsed. */
interface Draft {
  line: number;
  from: string | null;
  type: string;
  sent: SigtopTime | null;
  received: SigtopTime | null;
  attachments: string[];
  edited: boolean;
  /** Everything after the header up to the next message. */
  rest: string[];
}

class SigtopRead {
  private readonly scope: string;
  private readonly chatId: string;
  private readonly senders = new Map<string, SenderRef>();
  private chatName = '';

  constructor(
    private readonly input: InputFile,
    private readonly options: ReadOptions,
  ) {
    this.scope = options.senderScope ?? shortHash(input.sha256);
    this.chatId = `signal:${shortHash(input.sha256)}`;
  }

  async *batches(): AsyncGenerator<ReaderEvent[], void, undefined> {
    let lines;
    try {
      lines = createInterface({ input: createReadStream(this.input.absPath, { flags: 'r', encoding: 'utf8' }), crlfDelay: Infinity });
    } catch (error) {
      throw new InputError(this.input.displayPath, `cannot open: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const buffer: string[] = [];
    let lineNo = 0;
    let bytes = 0;
    let draft: Draft | null = null;
    let out: ReaderEvent[] = [];
    for await (const raw of lines) {
      const line = lineNo === 0 ? raw.replace(/^\uFEFF/, '') : raw;
      lineNo++;
      bytes += Buffer.byteLength(raw) + 1;
      if (lineNo === 1) {
        const m = /^Conversation: (.*)$/.exec(line);
        if (m === null) throw new InputError(this.input.displayPath, 'expected "Conversation: …" on the first line (a sigtop text export)', { line: 1 });
        const { name, detail } = displayParts(m[1]!);
        this.chatName = name;
        out.push(
          { type: 'export', info: { platform: 'signal', reader: 'sigtop-text', ownerKey: null, ownerName: null, ownerPhoneRaw: null, facts: {} } },
          { type: 'chat', chat: { id: this.chatId, name, platform: 'signal', type: detail === 'group' || (detail !== null && !detail.startsWith('+') && !ACI.test(detail) && detail.length >= 20) ? 'group' : 'conversation' } },
        );
        continue;
      }
      buffer.push(line);
      // A header may start after a blank line: keep a few lines, then decide.
      while (buffer.length > 0) {
        const decided = this.step(buffer, lineNo - buffer.length + 1, draft, false);
        if (decided === null) break; // need more lines
        if (decided.kind === 'header') {
          if (draft !== null) out.push(...this.finish(draft));
          draft = decided.draft;
        } else if (decided.kind === 'warning') {
          out.push(decided.warning);
        } else if (draft !== null) {
          draft.rest.push(decided.line);
        }
      }
      if (out.length >= 256) {
        this.options.progress?.(Math.min(bytes, this.input.size));
        yield out;
        out = [];
      }
    }
    if (lineNo === 0) throw new InputError(this.input.displayPath, 'the file is empty');
    // sigtop ends every message with a blank line and the file with a line break.
    if (buffer.length > 0 ? buffer[buffer.length - 1] !== '' : draft !== null && draft.rest[draft.rest.length - 1] !== '') {
      out.push({ type: 'warning', warning: { file: this.input.displayPath, line: lineNo, code: 'signal-cut', message: 'the file ends inside a message (sigtop ends each with a blank line): it was cut short, and the last message may be incomplete' } });
    }
    while (buffer.length > 0) {
      const decided = this.step(buffer, lineNo - buffer.length + 1, draft, true)!;
      if (decided.kind === 'header') {
        if (draft !== null) out.push(...this.finish(draft));
        draft = decided.draft;
      } else if (decided.kind === 'warning') out.push(decided.warning);
      else if (draft !== null) draft.rest.push(decided.line);
    }
    if (draft !== null) out.push(...this.finish(draft));
    this.options.progress?.(this.input.size);
    if (out.length > 0) yield out;
  }

  /**
   * Looks at the lines buffered from `first` on: a complete header (after a blank line, or at the
   * top) consumes its lines; any other line is the current message's. Null: more lines are needed
   * (a header is up to 4 lines before its first attachment; at `end` there are no more).
   */
  private step(
    buffer: string[],
    first: number,
    draft: Draft | null,
    end: boolean,
  ): { kind: 'header'; draft: Draft } | { kind: 'line'; line: string } | { kind: 'warning'; warning: ReaderEvent } | null {
    // sigtop ends every message with a blank line: a header follows one (or the conversation line).
    const afterBlank = draft === null || (draft.rest.length > 0 && draft.rest[draft.rest.length - 1] === '');
    const line = buffer[0]!;
    const starts = afterBlank && (line.startsWith('From: ') || line.startsWith('Type: '));
    if (!starts) return { kind: 'line', line: buffer.shift()! };
    // The longest header before attachments: From, Type, Sent, Received.
    if (buffer.length < 4 && !end) return null;
    const header = this.header(buffer, first);
    if (header === null) return { kind: 'line', line: buffer.shift()! };
    const time = (header.draft.received ?? header.draft.sent)?.utcMs ?? null;
    const current = draft === null ? null : (draft.received ?? draft.sent)?.utcMs ?? null;
    if (headerGoesBack(time, current)) {
      // sigtop writes messages in the order they were received: a header dated before the message
      // being read is text of that message (a body can imitate a header), kept as written.
      const warning: ReaderEvent = {
        type: 'warning',
        warning: { file: this.input.displayPath, line: first, code: 'signal-header-in-body', message: `lines ${first}-${first + header.used - 1} look like a message header dated before the message they follow; kept as that message's text` },
      };
      for (let i = 0; i < header.used; i++) draft!.rest.push(buffer.shift()!);
      return { kind: 'warning', warning };
    }
    buffer.splice(0, header.used);
    // Attachments, reactions and the edit count follow the header; they are read into it as the
    // lines come (see finish: `rest` lines that are fields before the first blank line).
    return { kind: 'header', draft: header.draft };
  }

  private header(buffer: string[], first: number): { draft: Draft; used: number } | null {
    let i = 0;
    let from: string | null = null;
    const f0 = FIELD.exec(buffer[0] ?? '');
    if (f0?.[1] === 'From') {
      from = f0[2]!;
      i = 1;
    }
    const type = /^Type: (\S+)$/.exec(buffer[i] ?? '');
    if (type === null) return null;
    i++;
    let sent: SigtopTime | null = null;
    let received: SigtopTime | null = null;
    let timed = false;
    for (const field of ['Sent', 'Received'] as const) {
      const m = FIELD.exec(buffer[i] ?? '');
      if (m?.[1] !== field) continue;
      const value = m[2]!;
      const t = parseSigtopTime(value);
      if (t === null && value !== 'unknown') return null;
      if (field === 'Sent') sent = t;
      else received = t;
      timed = true;
      i++;
    }
    if (!timed) return null;
    return { draft: { line: first, from, type: type[1]!, sent, received, attachments: [], edited: false, rest: [] }, used: i };
  }

  private sender(from: string | null): SenderRef | null {
    if (from === null) return null;
    let ref = this.senders.get(from);
    if (ref !== undefined) return ref;
    if (from === 'You') ref = { key: `name:${this.scope}:You`, name: 'You', raw: from, phone: null };
    else {
      const { name, detail } = displayParts(from);
      const parsed = detail !== null && /^\+\d{6,15}$/.test(detail) ? parsePhoneNumberFromString(detail) : undefined;
      const phone = parsed !== undefined && parsed.isPossible() ? parsed.number : null;
      const key = phone !== null ? `phone:${phone}` : detail !== null && ACI.test(detail) ? `signal:${detail.toLowerCase()}` : `name:${this.scope}:${name}`;
      ref = { key, name, raw: from, phone };
    }
    this.senders.set(from, ref);
    return ref;
  }

  private finish(draft: Draft): ReaderEvent[] {
    // Fields that belong to the header: Attachment, Reaction, Edited lines before the first blank.
    const rest = draft.rest;
    let at = 0;
    for (; at < rest.length; at++) {
      const m = FIELD.exec(rest[at]!);
      if (m === null || !['Attachment', 'Reaction', 'Edited'].includes(m[1]!)) break;
      if (m[1] === 'Attachment') draft.attachments.push(m[2]!);
      if (m[1] === 'Edited') draft.edited = true;
    }
    let content = rest.slice(at);
    // The blank line sigtop writes after every message.
    if (content.length > 0 && content[content.length - 1] === '') content = content.slice(0, -1);
    let quote = false;
    let text: string;
    if (draft.edited) {
      // Versions newest first: the text of version N is the `| ` lines after its fields and a bare `|`.
      const versions = content.join('\n').split(/\n\| Version: \d+\n/);
      const newest = (versions[1] ?? '').split('\n');
      const bar = newest.indexOf('|');
      const body = bar < 0 ? [] : newest.slice(bar + 1);
      const end = body.findIndex((l, i) => l === '|' && i === body.length - 1);
      text = (end < 0 ? body : body.slice(0, end)).map((l) => l.replace(/^\| ?/, '')).join('\n').replace(/\n+$/, '');
    } else {
      if (content[0] === '') content = content.slice(1);
      if (content.length > 0 && content[0]!.startsWith('>')) {
        quote = true;
        let q = 0;
        while (q < content.length && content[q]!.startsWith('>')) q++;
        content = content.slice(q);
        if (content[0] === '') content = content.slice(1);
      }
      text = content.join('\n');
    }
    const sent = draft.sent ?? draft.received;
    const time: TimeInfo =
      sent === null
        ? { utc: null, local: null, basis: 'instant', zone: null }
        : { utc: isoUtc(sent.utcMs), local: sent.local, basis: 'instant', zone: formatOffset(sent.offset) };
    const media: MediaRef[] = draft.attachments.map((a) => {
      const m = /^(.*) \(([^,()]*), (\d+) bytes\)$/.exec(a);
      const name = m === null || m[1] === 'no filename' ? '' : m[1]!;
      const mime = m === null ? null : m[2]!;
      // The text names attachments; sigtop exports their files apart (export-attachments).
      return { kind: mime === null ? 'other' : mediaKindOf(mime), name, path: null, sha256: null, size: m === null ? null : Number(m[3]), missing: 'not-included', mime };
    });
    const system = draft.type !== 'incoming' && draft.type !== 'outgoing';
    const kind: MessageKind = draft.type === 'call-history' ? 'call' : system ? 'service' : media.length > 0 ? 'media' : 'text';
    const message: ParsedMessage = {
      platform: 'signal',
      kind,
      chat: { id: this.chatId, name: this.chatName },
      sender: this.sender(draft.from),
      outgoing: draft.type === 'outgoing' ? true : draft.type === 'incoming' ? false : null,
      time,
      edited: draft.edited,
      editedAt: null,
      text,
      markedPhones: [],
      links: [],
      media,
      forwarded: false,
      forwardedFrom: null,
      replyTo: null,
      action: system ? draft.type : quote ? 'quote' : null,
      location: null,
      contact: null,
      source: { file: this.input.displayPath, sha256: this.input.sha256, line: draft.line },
    };
    return [{ type: 'message', message }];
  }
}

export const sigtopTextReader: Reader = {
  name: 'sigtop-text',
  platform: SIGNAL,
  folderMarker: null,
  // Files are named after the conversation, which names no stable id: chats are matched by content.
  stableChatIds: false,
  messageId: signalMessageId,
  capabilities: { accountIds: false, phones: true, zones: true, media: false, forwards: false },
  reads: SIGNAL_READS,
  description: 'Signal Desktop conversation exported by sigtop as text (-f text): senders with their numbers',
  sniff,
  read(input: InputFile, options: ReadOptions): AsyncGenerator<ReaderEvent> {
    return new PumpedEvents(pumpOfBatches(new SigtopRead(input, options).batches()));
  },
};
