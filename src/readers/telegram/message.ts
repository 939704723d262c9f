// One raw tdesktop message → ParsedMessage. Synchronous except for media, whose files are
// resolved and hashed by the caller (most messages carry none, so they cost no await).
import type { ChatRef, ContactCard, Location, MessageKind, ParsedMessage, SenderRef, Warning } from '../../model.js';
import { cleanName } from '../../util/text.js';
import type { MediaRequest } from '../kit/tree-media.js';
import { fileMediaKind } from './media.js';
import type { TelegramClock } from './time.js';
import { buttonLinks, flattenText, idString, isObject, num, peerKey, str, type RawMessage } from './types.js';

export interface ChatContext {
  ref: ChatRef;
  /** tdesktop chat type. */
  type: string;
  /** Whether a sender (by key) is the export's owner: true, false, or null when unknown. */
  outgoing(senderKey: string | null): boolean | null;
}

export interface ConvertContext {
  /** Input file as the user named it. */
  file: string;
  sha256: string;
  /** Scope of name-based sender keys (ReadOptions.senderScope, else the file's short hash). */
  nameScope: string;
  clock: TelegramClock;
  /** Senders already worked out. */
  senders: SenderCache;
}

export interface Converted {
  message: ParsedMessage;
  /** Media still to resolve, in message order; the results go to `message.media`. */
  media: MediaRequest[];
  warnings: Warning[];
}

/**
 * The name field as the sender's raw name: the string, or null when the export wrote `null`
 * (tdesktop writes `"from": null` / `"actor": null` for deleted accounts). Absent or odd values
 * count as an empty name: the export did not say the account is gone.
 */
function rawNameOf(nameValue: unknown): string | null {
  return typeof nameValue === 'string' ? nameValue : nameValue === null ? null : '';
}

/** Sender of a message: `from`/`from_id`, or `actor`/`actor_id` on service messages. */
export function senderOf(raw: RawMessage, service: boolean, nameScope: string): SenderRef | null {
  const idValue = service ? raw.actor_id : raw.from_id;
  const nameValue = service ? raw.actor : raw.from;
  return makeSender(idValue, rawNameOf(nameValue), nameScope);
}

function makeSender(idValue: unknown, rawName: string | null, nameScope: string): SenderRef | null {
  const name = rawName === null ? '' : cleanName(rawName);
  let key = peerKey(idValue);
  if (key === null) {
    // Without an id only the display name is left; it is scoped to the victim (or the file).
    if (name === '') return null;
    key = `name:${nameScope}:${name}`;
  }
  return { key, name, raw: rawName, phone: null };
}

function kindOf(raw: RawMessage, hasMedia: boolean): MessageKind {
  if (raw.type === 'unsupported') return 'unsupported';
  if (raw.type === 'service') return raw.action === 'phone_call' ? 'call' : 'service';
  if (typeof raw.file === 'string' && raw.media_type === 'sticker') return 'sticker';
  if (raw.location_information !== undefined) return 'location';
  if (raw.contact_information !== undefined) return 'contact';
  if (raw.poll !== undefined) return 'poll';
  return hasMedia ? 'media' : 'text';
}

function locationOf(raw: RawMessage): Location | null {
  const info = raw.location_information;
  if (!isObject(info)) return null;
  const lat = num(info.latitude);
  const lon = num(info.longitude);
  if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon, name: str(raw.place_name) };
}

function contactOf(raw: RawMessage): ContactCard | null {
  const info = raw.contact_information;
  if (!isObject(info)) return null;
  const name = cleanName(`${str(info.first_name) ?? ''} ${str(info.last_name) ?? ''}`);
  const phone = str(info.phone_number);
  return { name, phoneRaw: phone !== null && phone !== '' ? phone : null };
}

/** A poll's question and answers as text lines (the export gives them no other text). */
function pollText(raw: RawMessage): string {
  const poll = raw.poll;
  if (!isObject(poll)) return '';
  const lines = [str(poll.question) ?? ''];
  if (Array.isArray(poll.answers)) {
    for (const a of poll.answers) if (isObject(a) && typeof a.text === 'string') lines.push(`- ${a.text}`);
  }
  return lines.join('\n');
}

function mediaRequests(raw: RawMessage): MediaRequest[] {
  const out: MediaRequest[] = [];
  if (typeof raw.photo === 'string') {
    out.push({ kind: 'photo', value: raw.photo, fileName: null, declaredSize: num(raw.photo_file_size), mime: null });
  }
  if (typeof raw.file === 'string') {
    out.push({
      kind: fileMediaKind(raw.media_type),
      value: raw.file,
      fileName: str(raw.file_name),
      declaredSize: num(raw.file_size),
      mime: str(raw.mime_type),
    });
  }
  if (typeof raw.contact_vcard === 'string') {
    out.push({ kind: 'contact-card', value: raw.contact_vcard, fileName: null, declaredSize: null, mime: null });
  }
  return out;
}

const MAX_CACHED_SENDERS = 50_000;
/** Answers compared in place before the maps are consulted. */
const RECENT_SENDERS = 4;

/**
 * Senders already worked out, by id field then raw name (a chat has few senders, many messages).
 * The last few answers are compared first: JSON.parse hands over fresh strings, and comparing one
 * with a recent one costs less than hashing it for a map.
 */
export class SenderCache {
  private readonly byId = new Map<unknown, Map<string | null, SenderRef | null>>();
  private readonly recentIds: unknown[] = [];
  private readonly recentNames: (string | null)[] = [];
  private readonly recentSenders: (SenderRef | null)[] = [];
  private recentNext = 0;

  /** `nameScope`: the scope of name-based keys (see ConvertContext.nameScope). */
  constructor(private readonly nameScope: string) {}

  /**
   * The sender of an id field (`from_id`/`actor_id`) and raw name, null for a deleted account
   * (shared: copy before changing it).
   */
  get(idValue: unknown, rawName: string | null): SenderRef | null {
    const idKey = typeof idValue === 'object' ? JSON.stringify(idValue) : idValue;
    const ids = this.recentIds;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] === idKey && this.recentNames[i] === rawName) return this.recentSenders[i]!;
    }
    let byName = this.byId.get(idKey);
    if (byName === undefined) {
      if (this.byId.size >= MAX_CACHED_SENDERS) this.byId.clear();
      byName = new Map();
      this.byId.set(idKey, byName);
    }
    let sender = byName.get(rawName);
    if (sender === undefined) {
      sender = makeSender(idValue, rawName, this.nameScope);
      byName.set(rawName, sender);
    }
    const slot = ids.length < RECENT_SENDERS ? ids.length : this.recentNext;
    this.recentNext = (slot + 1) % RECENT_SENDERS;
    ids[slot] = idKey;
    this.recentNames[slot] = rawName;
    this.recentSenders[slot] = sender;
    return sender;
  }
}

function cachedSender(raw: RawMessage, service: boolean, ctx: ConvertContext): SenderRef | null {
  const idValue = service ? raw.actor_id : raw.from_id;
  const nameValue = service ? raw.actor : raw.from;
  const sender = ctx.senders.get(idValue, rawNameOf(nameValue));
  // A fresh object per message: later stages may enrich one message's sender.
  return sender === null ? null : { key: sender.key, name: sender.name, raw: sender.raw, phone: sender.phone };
}

const NO_MEDIA: MediaRequest[] = [];
const NO_WARNINGS: Warning[] = [];

export function convertMessage(
  raw: RawMessage,
  offset: number,
  length: number,
  chat: ChatContext,
  ctx: ConvertContext,
): Converted {
  let warnings: Warning[] | null = null;
  const warn = (code: string, message: string): void => {
    (warnings ??= []).push({ file: ctx.file, offset, code, message });
  };
  const service = raw.type === 'service';
  // A message without an id is counted by the reader (one warning per file) and known by its offset.
  const messageId = idString(raw.id);
  const sender = cachedSender(raw, service, ctx);

  const when = ctx.clock.messageTime(raw.date, raw.date_unixtime);
  if (when.problem !== null && !(raw.type === 'unsupported' && raw.date === undefined)) {
    warn(when.problem.code, `message ${messageId ?? '?'}: ${when.problem.message}`);
  }
  let edited = false;
  let editedAt: string | null = null;
  if (raw.edited !== undefined || raw.edited_unixtime !== undefined) {
    const edit = ctx.clock.editTime(raw.edited, raw.edited_unixtime);
    if (edit.problem !== null) warn(edit.problem.code, `message ${messageId ?? '?'}: ${edit.problem.message}`);
    edited = edit.edited;
    editedAt = edit.editedAt;
  }

  const flat = flattenText(raw);
  let text = flat.text;
  // Phone entities only; a shared contact's number is in `contact` (the phone stage gives it role 'contact').
  const markedPhones = flat.phones;
  // Link targets the text hides, then those of the bot buttons under it.
  const links = flat.links;
  if (raw.inline_bot_buttons !== undefined) buttonLinks(raw.inline_bot_buttons, links);
  const contact = raw.contact_information !== undefined ? contactOf(raw) : null;
  if (text === '' && raw.poll !== undefined) text = pollText(raw);
  if (text === '' && service && typeof raw.information_text === 'string') text = raw.information_text;

  const media = raw.photo !== undefined || raw.file !== undefined || raw.contact_vcard !== undefined ? mediaRequests(raw) : NO_MEDIA;
  const forwarded = raw.forwarded_from !== undefined || raw.saved_from !== undefined;
  const forwardedFrom = forwarded ? (raw.forwarded_from !== undefined ? raw.forwarded_from : raw.saved_from) : null;
  const replyTo = raw.reply_to_message_id !== undefined ? idString(raw.reply_to_message_id) : null;

  const source: ParsedMessage['source'] = { file: ctx.file, sha256: ctx.sha256, offset, length };
  if (messageId !== null) source.messageId = messageId;
  const message: ParsedMessage = {
    platform: 'telegram',
    kind: kindOf(raw, media.length > 0),
    chat: chat.ref,
    sender,
    outgoing: chat.outgoing(sender === null ? null : sender.key),
    time: when.time,
    edited,
    editedAt,
    text,
    markedPhones,
    links,
    media: [],
    forwarded,
    forwardedFrom: typeof forwardedFrom === 'string' ? forwardedFrom : null,
    replyTo,
    action: service ? str(raw.action) : null,
    location: raw.location_information !== undefined ? locationOf(raw) : null,
    contact,
    source,
  };
  return { message, media, warnings: warnings ?? NO_WARNINGS };
}
