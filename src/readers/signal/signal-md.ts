// Signal Desktop chats exported by signal-export as Markdown (`<chat>/chat.md`, older `index.md`), as
// its models.py writes them, and the same one-line shape Signal Desktop users paste:
//
//   [2022-01-20 18:16:05] Aya: hello             (older: [2022-01-20, 18:16] without seconds)
//
//   [2022-01-20 18:17:40] Me:                    (a reply: the quote between the name and the body)
//
//   > quoted text
//
//   body line 1
//   body line 2  ![IMG.jpg](./media/2022-01-20T18-17-40.123_00_IMG.jpg)
//   (- Aya: 👍 -)                                (reactions)
//
// Bodies end with two spaces; a blank line separates messages; attachments are Markdown links into
// `media/` beside the file; "Me" is the victim; times are the exporting machine's wall clock (--tz).
// Senders are names only (signal-export writes no numbers). A header line inside a body can imitate
// a message: one dated before the message it follows is kept as that message's text, with a warning.
import { createReadStream, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { MediaRef, MessageKind, ParsedMessage, ReaderEvent, SenderRef } from '../../model.js';
import { InputError } from '../../util/errors.js';
import { sha256File, shortHash } from '../../util/hash.js';
import { formatWallClock, isoUtc, isValidWallClock, wallClockAsUtcMs, zoneConverter, type WallClock, type ZoneConverter } from '../../util/time.js';
import { checkReadZone, wallClockBasis } from '../kit/clock.js';
import { pumpOfBatches, PumpedEvents } from '../kit/events.js';
import { displayFolder } from '../kit/provenance.js';
import { mediaKindOfName } from '../kit/media.js';
import { TreeMedia } from '../kit/tree-media.js';
import type { InputFile, ReadOptions, Reader } from '../reader.js';
import { headerGoesBack, SIGNAL, SIGNAL_READS, signalMessageId } from './platform.js';

/** `[2022-01-20 18:16:05] Name: …` or `[2022-01-20, 18:16] Name: …` (not WhatsApp: its iOS headers always have both). */
const HEADER = /^\[(\d{4})-(\d{2})-(\d{2})(,?) (\d{2}):(\d{2})(?::(\d{2}))?\] ([^\n]{1,120}?): ?(.*)$/;
const ATTACHMENT = /!?\[([^\]\n]*)\]\(\.\/(media\/[^)\s]+)\)\s*/g;
const REACTIONS = /^\(- .* -\)$/;
const DELETED = '(This message was deleted)';

interface Header {
  wall: WallClock;
  sender: string;
  rest: string;
}

function header(line: string): Header | null {
  const m = HEADER.exec(line);
  if (m === null) return null;
  // signal-export writes either seconds without a comma or a comma without seconds.
  if ((m[4] === ',') === (m[7] !== undefined)) return null;
  const wall: WallClock = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[5]!, minute: +m[6]!, second: +(m[7] ?? 0) };
  if (!isValidWallClock(wall)) return null;
  return { wall, sender: m[8]!, rest: m[9]! };
}

function sniff(head: Buffer): boolean {
  const lines = head.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/, 40);
  const first = lines.find((l) => l.trim() !== '');
  return first !== undefined && header(first) !== null;
}

interface Draft {
  line: number;
  head: Header;
  utcMs: number;
  body: string[];
}

class MdRead {
  private readonly scope: string;
  private readonly chatId: string;
  private readonly chatName: string;
  private readonly zone: ZoneConverter | null;
  private readonly media: TreeMedia;
  private readonly senders = new Map<string, SenderRef>();

  constructor(
    private readonly input: InputFile,
    private readonly options: ReadOptions,
  ) {
    checkReadZone(options);
    this.scope = options.senderScope ?? shortHash(input.sha256);
    this.chatId = `signal:${shortHash(input.sha256)}`;
    const parts = input.displayPath.split('/');
    // signal-export names the chat's folder after the contact or group (`JohnSmith/chat.md`).
    this.chatName = parts.length >= 2 && /^(chat|index)\.md$/i.test(parts[parts.length - 1]!) ? parts[parts.length - 2]! : parts[parts.length - 1]!.replace(/\.[^.]+$/, '');
    this.zone = options.tz === null ? null : zoneConverter(options.tz);
    this.media = new TreeMedia(input.absPath, input.displayPath);
  }

  private utc(wall: WallClock): number {
    return this.zone === null ? wallClockAsUtcMs(wall) : this.zone.toUtc(wall).ms;
  }

  async *batches(): AsyncGenerator<ReaderEvent[], void, undefined> {
    const siblings = await this.siblings();
    // The line reader is made only now: lines it read before being iterated would be lost.
    const lines = createInterface({ input: createReadStream(this.input.absPath, { flags: 'r', encoding: 'utf8' }), crlfDelay: Infinity });
    let out: ReaderEvent[] = [
      { type: 'export', info: { platform: 'signal', reader: 'signal-md', ownerKey: null, ownerName: null, ownerPhoneRaw: null, facts: {} } },
      { type: 'chat', chat: { id: this.chatId, name: this.chatName, platform: 'signal', type: 'conversation' } },
      ...siblings,
    ];
    let draft: Draft | null = null;
    let n = 0;
    let bytes = 0;
    for await (const raw of lines) {
      n++;
      bytes += Buffer.byteLength(raw) + 1;
      const line = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      const h = header(line);
      // A header line starts a message (signal-export puts a blank line before it; pasted Desktop text does not).
      if (h !== null) {
        const utcMs = this.utc(h.wall);
        if (draft !== null && headerGoesBack(utcMs, draft.utcMs)) {
          // Written in the order they were sent: a header dated before the message it follows is its text.
          out.push({ type: 'warning', warning: { file: this.input.displayPath, line: n, code: 'signal-header-in-body', message: 'a line looks like a message header dated before the message it follows; kept as that message\'s text' } });
          draft.body.push(line);
          continue;
        }
        if (draft !== null) out.push(...(await this.finish(draft)));
        draft = { line: n, head: h, utcMs, body: [h.rest] };
      } else if (draft !== null) {
        draft.body.push(line);
      } else if (line.trim() !== '') {
        throw new InputError(this.input.displayPath, 'text before the first message header', { line: n }, 'a signal-export chat.md starts with "[YYYY-MM-DD HH:MM:SS] Name: …"');
      }
      if (out.length >= 256) {
        this.options.progress?.(Math.min(bytes, this.input.size));
        yield out;
        out = [];
      }
    }
    if (draft !== null) out.push(...(await this.finish(draft)));
    yield out;
  }

  /**
   * signal-export writes the same messages beside chat.md as JSON Lines (data.json) and as a page
   * (index.html): evidence of this export, hashed and recorded with it, not read again.
   */
  private async siblings(): Promise<ReaderEvent[]> {
    if (!/^(chat|index)\.md$/i.test(basename(this.input.absPath))) return [];
    const out: ReaderEvent[] = [];
    for (const name of ['data.json', 'index.html']) {
      const abs = join(dirname(this.input.absPath), name);
      if (!statSync(abs, { throwIfNoEntry: false })?.isFile()) continue;
      const { sha256, size } = await sha256File(abs);
      out.push({ type: 'part', part: { path: displayFolder(this.input.displayPath) + name, sha256, size } });
    }
    return out;
  }

  private sender(name: string): SenderRef | null {
    if (name === 'No-Sender') return null;
    let ref = this.senders.get(name);
    if (ref === undefined) {
      ref = { key: `name:${this.scope}:${name.trim()}`, name: name.trim(), raw: name, phone: null };
      this.senders.set(name, ref);
    }
    return ref;
  }

  private async finish(d: Draft): Promise<ReaderEvent[]> {
    const events: ReaderEvent[] = [];
    let body = [...d.body];
    while (body.length > 1 && body[body.length - 1] === '') body.pop();
    // A quote: the header's own line empty, then a blank line, `>` lines, a blank line.
    let quote = false;
    if (body[0] === '' && body[1] === '' && body[2]?.startsWith('>') === true) {
      let i = 2;
      while (i < body.length && body[i]!.startsWith('>')) i++;
      body = body.slice(i);
      if (body[0] === '') body = body.slice(1);
      quote = true;
    }
    if (body.length > 0 && REACTIONS.test(body[body.length - 1]!)) body = body.slice(0, -1);
    let text = body.join('\n');
    const media: MediaRef[] = [];
    for (const m of text.matchAll(ATTACHMENT)) {
      let path = m[2]!;
      try {
        path = decodeURIComponent(path);
      } catch {
        // kept as written
      }
      const resolved = await this.media.resolve({ kind: mediaKindOfName(path), value: path, fileName: m[1] || null, declaredSize: null, mime: null });
      if (resolved.problem !== null) events.push({ type: 'warning', warning: { file: this.input.displayPath, line: d.line, code: resolved.problem.code, message: resolved.problem.message } });
      media.push(resolved.media);
    }
    text = text.replace(ATTACHMENT, '').replace(/ {2}$/gm, '').trimEnd();
    const deleted = text === DELETED;
    const time = { utc: isoUtc(d.utcMs), local: formatWallClock(d.head.wall), basis: wallClockBasis(this.options.tz), zone: this.zone?.zone ?? null };
    const kind: MessageKind = deleted ? 'deleted' : media.length > 0 ? 'media' : 'text';
    const message: ParsedMessage = {
      platform: 'signal',
      kind,
      chat: { id: this.chatId, name: this.chatName },
      sender: this.sender(d.head.sender),
      outgoing: d.head.sender === 'Me' ? true : d.head.sender === 'No-Sender' ? null : false,
      time,
      edited: false,
      editedAt: null,
      text: deleted ? '' : text,
      markedPhones: [],
      links: [],
      media,
      forwarded: false,
      forwardedFrom: null,
      replyTo: null,
      action: quote ? 'quote' : null,
      location: null,
      contact: null,
      source: { file: this.input.displayPath, sha256: this.input.sha256, line: d.line },
    };
    return [...events, { type: 'message', message }];
  }
}

export const signalMdReader: Reader = {
  name: 'signal-md',
  platform: SIGNAL,
  folderMarker: null,
  stableChatIds: false,
  messageId: signalMessageId,
  capabilities: { accountIds: false, phones: false, zones: false, media: true, forwards: false },
  reads: SIGNAL_READS,
  description: 'Signal Desktop chat exported by signal-export as Markdown (chat.md: [YYYY-MM-DD HH:MM:SS] Name: text)',
  sniff,
  read(input: InputFile, options: ReadOptions): AsyncGenerator<ReaderEvent> {
    return new PumpedEvents(pumpOfBatches(new MdRead(input, options).batches()));
  },
};
