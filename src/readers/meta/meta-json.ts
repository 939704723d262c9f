// Messenger and Instagram conversations from Meta's "Download your information" (JSON): one folder
// per thread (`…/messages/inbox/<thread>/`) holding `message_1.json`, `message_2.json`… (message_1
// the newest, each file newest first) and the thread's photos, videos and files. Each file:
// `participants` [{name}], `messages` [{sender_name, timestamp_ms, content, photos/videos/
// audio_files/files/gifs [{uri}], sticker {uri}, share {link}, reactions, call_duration,
// is_unsent, type}], `title`, `thread_path`.
// - Meta writes text as mojibake: each UTF-8 byte escaped as a code point (`\u00d0\u009c` for
//   "М"). A string is repaired only when it is mojibake: every code point below 0x100 and the bytes
//   valid UTF-8; text that is already right ("café" as `\u00e9`) is kept.
// - The files of a thread are read as one chat, oldest first: message_1.json is the export's file,
//   the others its parts (hashed, recorded, cited by their messages).
// - Media `uri`s start at the top of the download (`messages/inbox/…`, `your_instagram_activity/…`);
//   they are resolved there, and never outside it.
// - Which app a thread comes from is not in the thread's own fields: the download's folders say it
//   (`your_instagram_activity/`, `your_facebook_activity/`, or a download folder named
//   `instagram-…`/`facebook-…`), and so do Instagram's links in shares and media paths. A thread
//   whose app cannot be told is refused with a hint, not guessed: senders are known by display name
//   only, scoped to the victim on one app.
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import type { MediaKind, MediaRef, MessageKind, ParsedMessage, Platform, ReaderEvent } from '../../model.js';
import { InputError } from '../../util/errors.js';
import { sha256File, shortHash } from '../../util/hash.js';
import { isoUtc } from '../../util/time.js';
import { pumpOfBatches, PumpedEvents } from '../kit/events.js';
import { isObject } from '../kit/json-values.js';
import { displayFolder } from '../kit/provenance.js';
import { TreeMedia } from '../kit/tree-media.js';
import type { InputFile, PlatformInfo, ReadOptions, Reader, SniffContext } from '../reader.js';

export const MESSENGER: PlatformInfo = { name: 'messenger', displayName: 'Messenger', accountKeyPrefix: null };
export const INSTAGRAM: PlatformInfo = { name: 'instagram', displayName: 'Instagram', accountKeyPrefix: null };

/** Thread files above this size are refused: Meta cuts threads into files of about 10,000 messages. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
const FIRST_FILE = /^message_1\.json$/;
const PART_FILE = /^message_(\d+)\.json$/;

/** A string as Meta wrote it, repaired when (and only when) it is UTF-8 read as Latin-1. */
export function repairMojibake(value: string): string {
  let high = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff) return value;
    if (c >= 0x80) high = true;
  }
  if (!high) return value;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(value, 'latin1'));
  } catch {
    return value;
  }
}

type Json = Record<string, unknown>;
const text = (v: unknown): string | null => (typeof v === 'string' ? repairMojibake(v) : null);

/** The shape of a DYI thread file: participants and messages with sender_name and timestamp_ms. */
export function isThreadHead(head: Buffer): boolean {
  const t = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return t.startsWith('{') && /"participants"\s*:\s*\[/.test(t) && /"messages"\s*:\s*\[/.test(t) && /"sender_name"\s*:/.test(t) && /"timestamp_ms"\s*:\s*\d/.test(t);
}

/** Which app the thread file at `displayPath` comes from, by the download's folders and Instagram's own links. */
export function metaAppOf(displayPath: string, head: Buffer): Platform | null {
  const parts = displayPath.split('/').map((p) => p.toLowerCase());
  const t = head.toString('utf8');
  if (parts.includes('your_instagram_activity') || parts.some((p) => /^instagram[-_]/.test(p)) || /"uri"\s*:\s*"your_instagram_activity\//.test(t) || /instagram\.com\//.test(t)) {
    return 'instagram';
  }
  if (parts.includes('your_facebook_activity') || parts.some((p) => /^facebook[-_]/.test(p)) || /"uri"\s*:\s*"your_facebook_activity\//.test(t)) return 'messenger';
  return null;
}

function mediaOf(m: Json): { kind: MediaKind; uri: string }[] {
  const out: { kind: MediaKind; uri: string }[] = [];
  const lists: [string, MediaKind][] = [
    ['photos', 'photo'],
    ['videos', 'video'],
    ['audio_files', 'audio'],
    ['gifs', 'animation'],
    ['files', 'document'],
  ];
  for (const [key, kind] of lists) {
    for (const item of Array.isArray(m[key]) ? (m[key] as unknown[]) : []) {
      const uri = isObject(item) ? text(item.uri) : null;
      if (uri !== null) out.push({ kind, uri });
    }
  }
  const sticker = isObject(m.sticker) ? text(m.sticker.uri) : null;
  if (sticker !== null) out.push({ kind: 'sticker', uri: sticker });
  return out;
}

interface ThreadFile {
  abs: string;
  display: string;
  sha256: string;
  size: number;
}

class MetaRead {
  private readonly scope: string;
  private readonly chatId: string;
  private media: TreeMedia | null = null;

  constructor(
    private readonly input: InputFile,
    private readonly options: ReadOptions,
    private readonly platform: Platform,
    private readonly reader: string,
  ) {
    this.scope = options.senderScope ?? shortHash(input.sha256);
    this.chatId = `${platform}:${shortHash(input.sha256)}`;
  }

  /** The thread's files, oldest first (message_N.json … message_1.json), the others hashed. */
  private async files(): Promise<ThreadFile[]> {
    const folder = dirname(this.input.absPath);
    const shown = displayFolder(this.input.displayPath);
    const numbers = readdirSync(folder)
      .map((name) => PART_FILE.exec(name))
      .filter((m): m is RegExpExecArray => m !== null && m[1] !== '1')
      .map((m) => Number(m[1]))
      .sort((a, b) => b - a);
    const out: ThreadFile[] = [];
    for (const n of numbers) {
      const abs = join(folder, `message_${n}.json`);
      if (!statSync(abs).isFile()) continue;
      out.push({ abs, display: `${shown}message_${n}.json`, ...(await sha256File(abs)) });
    }
    out.push({ abs: this.input.absPath, display: this.input.displayPath, sha256: this.input.sha256, size: this.input.size });
    return out;
  }

  /** The top of the download: the folder the thread's media paths start from. */
  private mediaRoot(uri: string): TreeMedia {
    if (this.media !== null) return this.media;
    const thread = dirname(this.input.absPath);
    const shownThread = displayFolder(this.input.displayPath).replace(/\/$/, '');
    const first = uri.split('/')[0] ?? '';
    let abs = thread;
    let shown = shownThread;
    // Climb to the folder whose child is the uri's first folder (`messages`, `your_instagram_activity`).
    for (let up = 0; up < 6 && basename(abs) !== first && dirname(abs) !== abs; up++) {
      abs = dirname(abs);
      shown = shown.includes('/') ? shown.slice(0, shown.lastIndexOf('/')) : shown === '' || shown === '.' ? '..' : '.';
    }
    if (basename(abs) === first) {
      abs = dirname(abs);
      shown = shown.includes('/') ? shown.slice(0, shown.lastIndexOf('/')) : '.';
    } else {
      abs = thread; // a thread folder copied on its own: paths are looked for below it
      shown = shownThread;
    }
    this.media = TreeMedia.inFolder(abs, shown);
    return this.media;
  }

  async *batches(): AsyncGenerator<ReaderEvent[], void, undefined> {
    const files = await this.files();
    const total = files.reduce((n, f) => n + f.size, 0) || 1;
    let done = 0;
    let opened = false;
    for (const file of files) {
      if (file.size > MAX_FILE_BYTES) throw new InputError(file.display, `is ${file.size} bytes, more than a thread file holds (${MAX_FILE_BYTES})`);
      const out: ReaderEvent[] = [];
      let doc: unknown;
      try {
        doc = JSON.parse((await readFile(file.abs, 'utf8')).replace(/^\uFEFF/, ''));
      } catch (error) {
        throw new InputError(file.display, `not readable JSON: ${(error as Error).message}`, {}, 'the file is damaged or was cut short; download the data again or use an intact copy');
      }
      if (!isObject(doc) || !Array.isArray(doc.messages)) throw new InputError(file.display, 'no "messages" list (not a Messenger or Instagram thread file)');
      if (!opened) {
        opened = true;
        const title = text(doc.title) ?? shortHash(this.input.sha256);
        out.push(
          { type: 'export', info: { platform: this.platform, reader: this.reader, ownerKey: null, ownerName: null, ownerPhoneRaw: null, facts: { threadPath: text(doc.thread_path) ?? '' } } },
          { type: 'chat', chat: { id: this.chatId, name: title, platform: this.platform, type: Array.isArray(doc.participants) && doc.participants.length > 2 ? 'group' : 'conversation' } },
        );
        this.title = title;
      }
      if (file.abs !== this.input.absPath) out.push({ type: 'part', part: { path: file.display, sha256: file.sha256, size: file.size } });
      done += file.size;
      // Progress in the pipeline's terms: bytes of the export's own file (the files of a thread in proportion).
      this.options.progress?.(Math.floor((done / total) * this.input.size));
      // Newest first in the file: read from the end.
      const messages = doc.messages as unknown[];
      for (let i = messages.length - 1; i >= 0; i--) {
        const events = await this.message(messages[i], i, file);
        out.push(...events);
      }
      yield out;
    }
  }

  private title = '';

  private async message(raw: unknown, index: number, file: ThreadFile): Promise<ReaderEvent[]> {
    if (!isObject(raw) || typeof raw.timestamp_ms !== 'number') {
      return [{ type: 'warning', warning: { file: file.display, code: 'meta-message', message: `messages[${index}] has no timestamp_ms; it is left out` } }];
    }
    const senderName = text(raw.sender_name);
    const media: MediaRef[] = [];
    const events: ReaderEvent[] = [];
    for (const item of mediaOf(raw)) {
      const resolved = await this.mediaRoot(item.uri).resolve({ kind: item.kind, value: item.uri, fileName: posix.basename(item.uri), declaredSize: null, mime: null });
      if (resolved.problem !== null) events.push({ type: 'warning', warning: { file: file.display, code: resolved.problem.code, message: `messages[${index}]: ${resolved.problem.message}` } });
      media.push(resolved.media);
    }
    const content = text(raw.content) ?? '';
    const unsent = raw.is_unsent === true;
    const call = typeof raw.call_duration === 'number';
    const type = text(raw.type);
    const kind: MessageKind = unsent ? 'deleted' : call ? 'call' : type === 'Subscribe' || type === 'Unsubscribe' ? 'service' : media.some((m) => m.kind === 'sticker') ? 'sticker' : media.length > 0 ? 'media' : 'text';
    const share = isObject(raw.share) ? text(raw.share.link) : null;
    const message: ParsedMessage = {
      platform: this.platform,
      kind,
      chat: { id: this.chatId, name: this.title },
      sender: senderName === null ? null : { key: `name:${this.scope}:${senderName.trim()}`, name: senderName.trim(), raw: senderName, phone: null },
      outgoing: null,
      time: { utc: isoUtc(raw.timestamp_ms), local: null, basis: 'instant', zone: null },
      edited: false,
      editedAt: null,
      text: content,
      markedPhones: [],
      links: share !== null && !content.includes(share) ? [{ text: '', href: share, kind: 'text-link' }] : [],
      media,
      forwarded: false,
      forwardedFrom: null,
      replyTo: null,
      action: kind === 'service' ? type : null,
      location: null,
      contact: null,
      // Files are read whole (JSON.parse): the position is the message's index in its file.
      source: { file: file.display, sha256: file.sha256, messageId: `${basename(file.abs)}#${index}` },
    };
    return [...events, { type: 'message', message }];
  }
}

function metaReader(platform: PlatformInfo, name: string, description: string): Reader {
  return {
    name,
    platform,
    folderMarker: null,
    // Threads have no message ids: a thread downloaded twice is matched by its messages.
    stableChatIds: false,
    messageId: (m: ParsedMessage, sha12: string) => `${platform.name === 'instagram' ? 'ig' : 'fb'}:${m.chat.id.slice(m.chat.id.indexOf(':') + 1) || sha12}:${m.source.messageId ?? ''}`,
    capabilities: { accountIds: false, phones: false, zones: true, media: true, forwards: false },
    reads: 'Messenger and Instagram downloads (JSON)',
    description,
    sniff(head: Buffer, fileName: string, context?: SniffContext): boolean {
      // message_2.json… are read with message_1.json, never alone; the app is the download's.
      return isThreadHead(head) && FIRST_FILE.test(fileName) && metaAppOf(context?.path ?? fileName, head) === platform.name;
    },
    read(input: InputFile, options: ReadOptions): AsyncGenerator<ReaderEvent> {
      return new PumpedEvents(pumpOfBatches(new MetaRead(input, options, platform.name, name).batches()));
    },
  };
}

export const messengerJsonReader = metaReader(MESSENGER, 'messenger-json', 'Messenger thread from Meta\'s "Download your information" (message_1.json…): names, mojibake repaired');
export const instagramJsonReader = metaReader(INSTAGRAM, 'instagram-json', 'Instagram thread from Meta\'s "Download your information" (message_1.json…): names, mojibake repaired');
