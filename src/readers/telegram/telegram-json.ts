// Telegram Desktop JSON export (`result.json`): a single chat (`{name, type, id, messages}`) or a
// whole account (`personal_information`, `contacts.list`, `chats.list[]`, `left_chats.list[]`).
// The file is streamed with the JSON scanner: only shallow keys, contacts, chat headers and one
// message at a time are ever materialized, so multi-GB exports read with flat memory.
//
// The `export` event must come first, but what it says (owner, time basis, exporter offset) is
// only known a little way into the file. The reader therefore holds back what it scanned until
// the first message that settles the time basis (or a bounded number of messages), then emits
// `export` and replays. tdesktop writes `personal_information` before `chats`; for files whose
// keys were reordered, a quick second pass looks for it.
//
// Damage: a chat of a whole-account export that is valid JSON but not a chat (not an object,
// `messages` not an array or missing) is left out whole and reported (`skipped`), since the
// scanner still knows exactly where it ends. A syntax error or truncation anywhere rejects the
// file: where a damaged value ends cannot be known, so nothing after it could be placed surely.
import type { Chat, ExportInfo, ParsedMessage, ReaderEvent, Warning } from '../../model.js';
import type { InputFile, ReadOptions, Reader } from '../reader.js';
import { InputError } from '../../util/errors.js';
import { shortHash } from '../../util/hash.js';
import { cleanName } from '../../util/text.js';
import { zoneConverter } from '../../util/time.js';
import { checkReadZone } from '../kit/clock.js';
import { TELEGRAM, telegramMessageId } from './platform.js';
import { PumpedEvents, type EventPump } from '../kit/events.js';
import { formatPath, JsonFileScanner, JsonScanError, type JsonPath, type ScanAction, type ScanEvent } from '../kit/json-scanner.js';
import { placeholderReason } from './media.js';
import { TreeMedia, type Resolved } from '../kit/tree-media.js';
import { convertMessage, SenderCache, type ChatContext, type ConvertContext } from './message.js';
import { leakedOffset, offsetFromPair, parseInstant, TelegramClock, unixSeconds } from './time.js';
import { idString, isObject, str, TELEGRAM_CHAT_TYPES, type RawMessage } from './types.js';

/** Messages held back at most while looking for what settles the time basis. */
const LOOKAHEAD_MESSAGES = 2000;

const TRUNCATED_HINT = 'the export looks truncated; re-export or copy it again';
const DAMAGED_HINT = 'the file is damaged or was edited; re-export it or use an intact copy';

// ---------------------------------------------------------------------------------------------
// Sniffing

const CHAT_TYPE_RE = new RegExp(`"type"\\s*:\\s*"(?:${TELEGRAM_CHAT_TYPES.join('|')})"`);
const TG_KEYS_RE =
  /"date_unixtime"\s*:\s*"\d+"|"from_id"\s*:\s*(?:"(?:user|channel|chat)\d+"|\d+)|"actor_id"\s*:|"personal_information"\s*:\s*\{\s*"user_id"/;

function sniff(head: Buffer, _fileName: string): boolean {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.trimStart();
  if (!text.startsWith('{')) return false;
  const container = /"messages"\s*:\s*\[/.test(text) || /"(?:chats|left_chats|personal_information)"\s*:\s*\{/.test(text);
  if (!container) return false;
  return CHAT_TYPE_RE.test(text) || TG_KEYS_RE.test(text) || (/^\{\s*"about"\s*:\s*"/.test(text) && /"personal_information"\s*:/.test(text));
}

// ---------------------------------------------------------------------------------------------
// What the scanner hands over

const CHAT_LISTS = new Set(['chats', 'left_chats']);

function select(p: JsonPath): ScanAction {
  const n = p.length;
  if (n === 0) return 'descend';
  const k0 = p[0];
  if (n === 1) {
    switch (k0) {
      case 'messages':
      case 'contacts':
      case 'chats':
      case 'left_chats':
        return 'descend';
      case 'name':
      case 'type':
      case 'id':
      case 'about':
      case 'personal_information':
        return 'value';
      default:
        return 'skip'; // profile_pictures, frequent_contacts, sessions, other_data, …
    }
  }
  if (k0 === 'messages') return n === 2 ? 'value' : 'skip';
  if (k0 === 'contacts') {
    if (n === 2) return p[1] === 'list' ? 'descend' : 'skip';
    return n === 3 ? 'value' : 'skip';
  }
  if (k0 === 'chats' || k0 === 'left_chats') {
    if (n === 2) return p[1] === 'list' ? 'descend' : 'skip';
    if (n === 3) return 'descend'; // one chat object
    if (n === 4) {
      const k = p[3];
      return k === 'messages' ? 'descend' : k === 'name' || k === 'type' || k === 'id' ? 'value' : 'skip';
    }
    if (n === 5) return 'value'; // one message
  }
  return 'skip';
}

/** Where a chat lives in the file: `root` for single-chat exports, else `chats/3`, `left_chats/0`. */
function chatSlot(p: JsonPath): string | null {
  if (p.length >= 1 && p[0] === 'messages') return 'root';
  if (p.length >= 3 && CHAT_LISTS.has(p[0] as string) && p[1] === 'list' && typeof p[2] === 'number') return `${p[0]}/${p[2]}`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// The read

interface ChatState {
  slot: string;
  start: number;
  name: string | null;
  nameSeen: boolean;
  type: string | null;
  id: string | null;
  ctx: ChatContext | null;
  /**
   * Messages held while the chat header is incomplete: keys reordered after `messages`, or no
   * `id` (stripped exports) — which only the end of the chat tells.
   */
  pending: ScanEvent[] | null;
  /** A header key came after `messages` (not as tdesktop writes it). */
  headerLate: boolean;
  /** The `messages` key was met (an array or not). */
  messagesSeen: boolean;
  /** Why the chat is skipped whole (valid JSON, but not a chat), or null. */
  bad: string | null;
}

function newChat(slot: string, start: number): ChatState {
  return {
    slot,
    start,
    name: null,
    nameSeen: false,
    type: null,
    id: null,
    ctx: null,
    pending: null,
    headerLate: false,
    messagesSeen: false,
    bad: null,
  };
}

/** `null`, `a string`, `an object`…: what a JSON value is, for messages about wrong shapes. */
function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `chats.list[3]` for the slot `chats/3`. */
function slotPath(slot: string): string {
  return `${slot.replace('/', '.list[')}]`;
}

function defaultChatName(type: string | null): string {
  if (type === 'saved_messages') return 'Saved Messages';
  if (type === 'replies') return 'Replies';
  if (type === 'verification_codes') return 'Verification Codes';
  return '';
}

class TelegramRead implements EventPump {
  private readonly input: InputFile;
  private readonly options: ReadOptions;
  private readonly clock: TelegramClock;
  private readonly media: TreeMedia;
  private readonly cctx: ConvertContext;
  /** Events ready for take(): `out[outIndex, outEnd)`. */
  private readonly out: (ReaderEvent | null)[] = [];
  private outEnd = 0;

  private form: 'chat' | 'account' | null = null;
  private ownerKey: string | null = null;
  private ownerName: string | null = null;
  private ownerPhoneRaw: string | null = null;
  private personalSeen = false;

  private decided = false;
  private readonly held: ScanEvent[] = [];
  private heldMessages = 0;
  private instantOffset: number | null | undefined = undefined; // undefined: no instant seen yet
  /** What gave the first instant: `date_unixtime`, or `iso-date` (an ISO instant in `date`, from converters). */
  private instantSource = 'date_unixtime';
  private sawWallOnly = false;
  private sawChatList = false;

  private rootChat: ChatState | null = null;
  /** Where the top-level object starts (after a BOM): the single chat's offset. */
  private rootStart = 0;
  private current: ChatState | null = null;
  /** Chat names by slot, kept from the first scan event on, for error messages. */
  private readonly names = new Map<string, string>();

  /**
   * What the export lacks that ids are made of (exports stripped by hand or written by other
   * tools): reported in one `missing-ids` warning at the end, not once per message.
   */
  private readonly missing = { chatIds: [] as string[], messages: 0, senders: 0, offset: -1 };

  private readonly chunkSize: number | undefined;

  constructor(input: InputFile, options: ReadOptions, chunkSize?: number) {
    this.input = input;
    this.options = options;
    this.chunkSize = chunkSize;
    this.clock = new TelegramClock(options.tz);
    this.media = new TreeMedia(input.absPath, input.displayPath, placeholderReason);
    this.cctx = {
      file: input.displayPath,
      sha256: input.sha256,
      nameScope: options.senderScope ?? shortHash(input.sha256),
      clock: this.clock,
      senders: new SenderCache(options.senderScope ?? shortHash(input.sha256)),
    };
  }

  // -- the event stream -----------------------------------------------------------------------
  //
  // Reading is a pump: `pump` runs synchronously as far as it can (most messages need no I/O)
  // and hands back a promise only when it must wait (the next chunk, media hashing, the owner
  // pre-scan). TelegramEvents turns that into an async iterator without an async generator's
  // per-event promise chain, which on 500k messages costs more than the conversion itself.

  private scan: JsonFileScanner | null = null;
  private outIndex = 0;
  private ended = false;

  /** Opens the file; the first step of the stream. */
  async start(): Promise<void> {
    checkReadZone(this.options);
    try {
      this.scan = await JsonFileScanner.ofInput(this.input, {
        select,
        repair: repairHexEscapes,
        ...(this.chunkSize !== undefined ? { chunkSize: this.chunkSize } : {}),
        ...(this.options.progress ? { progress: this.options.progress } : {}),
      });
    } catch (error) {
      throw new InputError(this.input.displayPath, `cannot open: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }

  /** The next queued event, if any. */
  take(): ReaderEvent | undefined {
    const index = this.outIndex;
    if (index === this.outEnd) return undefined;
    const out = this.out;
    const ev = out[index]!;
    // The slot is cleared rather than the array truncated (setting an array's length is a
    // runtime call, once per message): the queue is reused from its start once drained.
    out[index] = null;
    if (index + 1 === this.outEnd) {
      this.outIndex = 0;
      this.outEnd = 0;
    } else {
      this.outIndex = index + 1;
    }
    return ev;
  }

  /** Queues an event for take(). */
  private queue(ev: ReaderEvent): void {
    this.out[this.outEnd++] = ev;
  }

  /**
   * Runs until an event is queued (returns undefined), the file is done ('end'), or it has to
   * wait (returns the promise to await before pumping again).
   */
  pump(): Promise<void> | 'end' | undefined {
    const scan = this.scan!;
    for (;;) {
      if (this.outIndex < this.outEnd) return undefined;
      if (this.ended) return 'end';
      let ev: ScanEvent | null;
      try {
        ev = scan.next();
      } catch (error) {
        throw this.mapError(error);
      }
      if (ev === null) return this.refill();
      this.track(ev);
      if (!this.decided) {
        if (this.hold(ev)) return this.decide(false);
        continue;
      }
      const pending = this.handle(ev);
      if (pending !== undefined) return pending;
    }
  }

  private async refill(): Promise<void> {
    let more: boolean;
    try {
      more = await this.scan!.fill();
    } catch (error) {
      throw this.mapError(error);
    }
    if (!more) {
      if (!this.decided) await this.decide(true);
      this.finish();
      this.ended = true;
    }
  }

  async close(): Promise<void> {
    this.ended = true;
    const scan = this.scan;
    this.scan = null;
    if (scan !== null) await scan.close();
  }

  // -- look-ahead ------------------------------------------------------------------------------

  /** Notes chat names as soon as they are scanned, so errors can name the chat. */
  private track(ev: ScanEvent): void {
    if (ev.kind !== 'value') return;
    const p = ev.path;
    if ((p.length === 1 && p[0] === 'name') || (p.length === 4 && p[3] === 'name' && CHAT_LISTS.has(p[0] as string))) {
      const slot = p.length === 1 ? 'root' : `${p[0]}/${p[2]}`;
      this.names.set(slot, typeof ev.value === 'string' ? ev.value : '');
    }
  }

  /** Holds one event back; true when enough is known to decide. */
  private hold(ev: ScanEvent): boolean {
    this.held.push(ev);
    const p = ev.path;
    if (p.length === 1 && ev.kind === 'start' && CHAT_LISTS.has(p[0] as string)) this.sawChatList = true;
    if (ev.kind !== 'value') return false;
    if (!((p.length === 2 && p[0] === 'messages') || (p.length === 5 && CHAT_LISTS.has(p[0] as string)))) return false;
    this.heldMessages++;
    const raw = ev.value;
    const settled = isObject(raw) && this.learnTime(raw);
    return settled || this.heldMessages >= LOOKAHEAD_MESSAGES;
  }

  /** Learns the time basis from one message; true when it settles it. */
  private learnTime(raw: RawMessage): boolean {
    if (unixSeconds(raw.date_unixtime) !== null) {
      if (this.instantOffset === undefined) this.instantOffset = offsetFromPair(raw.date, raw.date_unixtime);
      return true;
    }
    const instant = parseInstant(raw.date);
    if (instant !== null) {
      if (this.instantOffset === undefined) {
        this.instantOffset = instant.offset;
        this.instantSource = 'iso-date';
      }
      return true;
    }
    if (raw.date !== undefined) this.sawWallOnly = true;
    if (this.clock.offset === null) {
      const leak = leakedOffset(raw);
      if (leak !== null) {
        this.clock.offset = leak.minutes;
        this.clock.offsetSource = leak.source;
        return true;
      }
    }
    return false;
  }

  /**
   * Settles form, owner and time basis, queues `export` (and file-level warnings), then replays
   * what was held. Called once.
   */
  private async decide(eof: boolean): Promise<void> {
    this.decided = true;
    for (const ev of this.held) {
      const p = ev.path;
      if (p.length === 0) continue;
      if (p[0] === 'messages' || ((p[0] === 'name' || p[0] === 'type' || p[0] === 'id') && p.length === 1)) this.form ??= 'chat';
      else if (p.length >= 1 && (CHAT_LISTS.has(p[0] as string) || p[0] === 'contacts' || p[0] === 'about' || p[0] === 'personal_information')) {
        if (this.form !== 'chat') this.form = 'account';
      }
      if (ev.kind === 'value' && p.length === 1 && p[0] === 'personal_information') this.takeOwner(ev.value);
    }
    if (this.form === 'account' && !this.personalSeen && !eof && this.sawChatList) {
      // Keys reordered (or personal information not exported): look for it in a second pass.
      const found = await this.prescanOwner();
      if (found !== undefined) this.takeOwner(found);
    }
    this.emitExport();
    const held = this.held.splice(0);
    for (const ev of held) {
      const pending = this.handle(ev);
      if (pending !== undefined) await pending;
    }
  }

  private async prescanOwner(): Promise<unknown> {
    let scan: JsonFileScanner | null = null;
    try {
      scan = await JsonFileScanner.ofInput(this.input, {
        select: (p) => (p.length === 0 ? 'descend' : p.length === 1 && p[0] === 'personal_information' ? 'value' : 'skip'),
      });
      for (;;) {
        const ev = scan.next();
        if (ev === null) {
          if (await scan.fill()) continue;
          return undefined;
        }
        if (ev.kind === 'value') return ev.value;
      }
    } catch {
      return undefined; // the main pass reports any damage where it meets it
    } finally {
      await scan?.close();
    }
  }

  private takeOwner(value: unknown): void {
    this.personalSeen = true;
    if (!isObject(value)) return;
    const id = idString(value.user_id);
    this.ownerKey = id !== null && id !== '0' ? `telegram:user${id}` : null;
    const name = cleanName(`${str(value.first_name) ?? ''} ${str(value.last_name) ?? ''}`);
    this.ownerName = name === '' ? null : name;
    const phone = str(value.phone_number);
    this.ownerPhoneRaw = phone !== null && phone !== '' ? phone : null;
  }

  private emitExport(): void {
    const clock = this.clock;
    const facts: Record<string, string> = { form: this.form ?? 'chat' };
    const warnings: Warning[] = [];
    const file = this.input.displayPath;
    if (this.instantOffset !== undefined) {
      facts.timeBasis = 'instant';
      clock.fileBasis = 'instant';
      facts.offsetSource = this.instantSource;
      if (this.instantOffset !== null) facts.exporterOffset = clock.offsetName(this.instantOffset);
    } else {
      facts.timeBasis = clock.wallBasis;
      if (clock.offset !== null) {
        facts.exporterOffset = clock.offsetName(clock.offset);
        facts.offsetSource = clock.offsetSource ?? 'unknown';
      }
      if (clock.tz !== null) {
        facts.tz = clock.tz;
        if (clock.offset !== null) {
          const tzOffset = zoneConverter(clock.tz).offsetAt(0);
          if (tzOffset !== clock.offset && clock.offsetSource === '1970-edited-placeholder') {
            warnings.push({
              file,
              code: 'tz-mismatch',
              message:
                `the export's 1970 "edited" placeholder says the exporter's clock was UTC${facts.exporterOffset} on ` +
                `1 January 1970, but ${clock.tz} was UTC${clock.offsetName(tzOffset)} then; check --tz`,
            });
          }
        }
      } else if (clock.offset !== null && this.sawWallOnly) {
        warnings.push({
          file,
          code: 'inferred-offset',
          message:
            `this export has no date_unixtime; its zone-less dates were converted with the fixed offset ` +
            `${facts.exporterOffset} that the export leaks (${describeSource(clock.offsetSource)}). That is the ` +
            `exporter's offset ${clock.offsetSource === '1970-edited-placeholder' ? 'on 1 January 1970' : 'at one edit'}, ` +
            `blind to daylight saving and later zone changes; pass --tz with the exporter's zone for exact times`,
        });
      } else if (this.sawWallOnly) {
        warnings.push({
          file,
          code: 'assumed-utc',
          message:
            'this export has no date_unixtime and does not reveal the exporter\'s UTC offset; its zone-less ' +
            'dates were read as UTC; pass --tz with the exporter\'s zone for real times',
        });
      }
    }
    const info: ExportInfo = {
      platform: 'telegram',
      reader: 'telegram-json',
      ownerKey: this.ownerKey,
      ownerName: this.ownerName,
      ownerPhoneRaw: this.ownerPhoneRaw,
      facts,
    };
    this.queue({ type: 'export', info });
    for (const warning of warnings) this.queue({ type: 'warning', warning });
  }

  // -- events ----------------------------------------------------------------------------------

  /** Turns one scan event into reader events (queued in `out`); returns a promise only for media. */
  private handle(ev: ScanEvent): Promise<void> | undefined {
    const p = ev.path;
    const n = p.length;
    if (ev.kind === 'value') {
      if (n === 5) {
        const chat = this.current;
        return chat !== null && chat.bad === null ? this.message(chat, ev) : undefined;
      }
      if (n === 2 && p[0] === 'messages') {
        return this.message(this.rootChat ?? (this.rootChat = newChat('root', this.rootStart)), ev);
      }
      if (n === 4) {
        const chat = this.current;
        if (chat !== null) {
          // `messages` arrives as a value only when it is not an array (arrays are descended).
          if (p[3] === 'messages') this.messagesNotArray(chat, ev.offset, jsonKind(ev.value));
          else this.header(chat, p[3] as string, ev);
        }
        return undefined;
      }
      if (n === 3) {
        if (p[0] === 'contacts') this.contact(ev);
        else if (CHAT_LISTS.has(p[0] as string)) {
          // An element of a chat list that is a string, number or null: valid JSON, not a chat.
          this.skipped(chatSlot(p) ?? '', ev.offset, ev.length, `it is ${jsonKind(ev.value)}, not a chat object`);
        }
        return undefined;
      }
      if (n === 1) {
        const key = p[0];
        if (key === 'personal_information') {
          if (!this.personalSeen) this.takeOwner(ev.value);
        } else if (key === 'name' || key === 'type' || key === 'id') {
          this.header(this.rootChat ?? (this.rootChat = newChat('root', this.rootStart)), key, ev);
        } else if (key === 'messages') {
          this.messagesNotArray(this.rootChat ?? (this.rootChat = newChat('root', this.rootStart)), ev.offset, jsonKind(ev.value));
        }
      }
      return undefined;
    }
    if (ev.kind === 'start') {
      if (n === 0) {
        if (ev.container !== 'object') {
          throw new InputError(this.input.displayPath, 'expected a JSON object at the top level (a Telegram result.json)', {
            offset: ev.offset,
          });
        }
        this.rootStart = ev.offset;
      } else if (n === 1 && p[0] === 'messages') {
        const root = this.rootChat ?? (this.rootChat = newChat('root', this.rootStart));
        if (ev.container === 'array') this.beginMessages(root, ev.offset);
        else this.messagesNotArray(root, ev.offset, 'an object');
      } else if (n === 3) {
        const chat = (this.current = newChat(chatSlot(p) ?? '', ev.offset));
        if (ev.container !== 'object') chat.bad = 'it is an array, not a chat object';
      } else if (n === 4 && this.current !== null) {
        // Only `messages` is descended at this depth.
        if (ev.container === 'array') this.beginMessages(this.current, ev.offset);
        else this.messagesNotArray(this.current, ev.offset, 'an object');
      }
      return undefined;
    }
    // end
    if (n === 3 && this.current !== null) {
      const chat = this.current;
      this.current = null;
      if (chat.bad === null && !chat.messagesSeen) chat.bad = 'it has no "messages"';
      if (chat.bad !== null) {
        // Nothing of it was yielded: its chat event waits for a `messages` array.
        this.skipped(chat.slot, ev.offset, ev.length, chat.bad);
        return undefined;
      }
      return this.endChat(chat);
    } else if (n === 0 && this.rootChat !== null) {
      return this.endChat(this.rootChat);
    }
    return undefined;
  }

  private header(chat: ChatState, key: string, ev: ScanEvent & { kind: 'value' }): void {
    const v = ev.value;
    if (chat.pending !== null && (key === 'name' || key === 'type' || key === 'id')) chat.headerLate = true;
    if (key === 'name') {
      chat.nameSeen = true;
      chat.name = typeof v === 'string' ? v : '';
    } else if (key === 'type') chat.type = typeof v === 'string' ? v : null;
    else if (key === 'id') {
      chat.id = idString(v);
      if (chat.id === null) this.warn(ev.offset, 'bad-chat-id', `chat id ${JSON.stringify(v)} is not an integer`);
    }
  }

  private beginMessages(chat: ChatState, offset: number): void {
    this.messagesKey(chat, offset);
    if (chat.bad !== null) return;
    const complete = chat.id !== null && chat.type !== null && (chat.nameSeen || defaultChatName(chat.type) !== '');
    if (complete) this.emitChat(chat);
    else chat.pending = [];
  }

  /** Notes the `messages` key of a chat; a second one is damage the reader will not guess around. */
  private messagesKey(chat: ChatState, offset: number): void {
    if (chat.messagesSeen) {
      const which = chat.slot === 'root' ? 'the chat' : slotPath(chat.slot);
      throw new InputError(this.input.displayPath, `${which} has a second "messages" key`, { offset }, DAMAGED_HINT);
    }
    chat.messagesSeen = true;
  }

  /**
   * `messages` of a chat is valid JSON but not an array. In a whole-account export the chat is
   * skipped whole (reported when it ends, with its byte range); the one chat of a single-chat
   * export cannot be skipped: the file is rejected.
   */
  private messagesNotArray(chat: ChatState, offset: number, kind: string): void {
    this.messagesKey(chat, offset);
    if (chat.slot === 'root') {
      throw new InputError(this.input.displayPath, `"messages" of the chat is ${kind}, not an array`, { offset }, DAMAGED_HINT);
    }
    chat.bad ??= `"messages" is ${kind}, not an array`;
  }

  /** Reports a chat left out whole: `slot` is where it sat (`chats/2`), `reason` why. */
  private skipped(slot: string, offset: number, length: number, reason: string): void {
    const where = slotPath(slot);
    const name = this.names.get(slot);
    const what = name !== undefined ? `chat "${name}" (${where})` : where;
    this.queue({ type: 'skipped', skipped: { file: this.input.displayPath, offset, length, what, reason } });
  }

  private async endChat(chat: ChatState): Promise<void> {
    if (chat.ctx === null) {
      const late = chat.pending !== null && chat.headerLate;
      this.emitChat(chat);
      if (late) {
        this.warn(
          chat.start,
          'chat-header-after-messages',
          `the header of chat "${chat.ctx!.ref.name}" comes after its messages (keys reordered, not as tdesktop writes them); its messages were held in memory`,
        );
      }
    }
    const pending = chat.pending;
    chat.pending = null;
    if (pending !== null) {
      for (const ev of pending) {
        const p = this.message(chat, ev);
        if (p !== undefined) await p;
      }
    }
  }

  private emitChat(chat: ChatState): void {
    let id: string;
    if (chat.id !== null) id = `telegram:${chat.id}`;
    else {
      // No readable id (stripped, or written by another tool): one made from the file's hash and
      // the chat's byte offset, stable for the same bytes, never mistaken for a Telegram id.
      id = `telegram:file-${shortHash(this.input.sha256)}@${chat.start}`;
      this.noteMissing(chat.start);
      this.missing.chatIds.push(id);
    }
    const type = chat.type ?? 'unknown';
    const name = chat.nameSeen ? (chat.name ?? '') : defaultChatName(chat.type);
    const out: Chat = { id, name, platform: 'telegram', type };
    chat.ctx = { ref: { id, name }, type, outgoing: this.outgoingRule(type, chat.id) };
    this.queue({ type: 'chat', chat: out });
  }

  /** Notes where the first missing id was found (the offset of the `missing-ids` warning). */
  private noteMissing(offset: number): void {
    if (this.missing.offset < 0) this.missing.offset = offset;
  }

  /**
   * Who is the owner: in account exports the sender whose key is the owner's; in single-chat
   * exports of a personal (or bot) chat everyone but the peer, whose user id is the chat id; in
   * saved messages everyone; else unknown.
   */
  private outgoingRule(type: string, chatId: string | null): (key: string | null) => boolean | null {
    if (this.form === 'account') {
      const owner = this.ownerKey;
      if (owner === null) return () => null;
      return (key) => (key === null ? null : key === owner);
    }
    if (type === 'saved_messages') return () => true;
    if ((type === 'personal_chat' || type === 'bot_chat') && chatId !== null) {
      const peer = `telegram:user${chatId}`;
      return (key) => (key === null || !key.startsWith('telegram:') ? null : key !== peer);
    }
    return () => null;
  }

  private message(chat: ChatState, ev: ScanEvent): Promise<void> | undefined {
    if (ev.kind !== 'value') return undefined;
    const ctx = chat.ctx;
    if (ctx === null) {
      if (chat.pending !== null) chat.pending.push(ev);
      return undefined;
    }
    const raw = ev.value;
    if (!isObject(raw)) {
      this.warn(ev.offset, 'not-a-message', `an element of the messages of chat "${ctx.ref.name}" is not an object; skipped`);
      return undefined;
    }
    if (ev.repaired) {
      this.warn(
        ev.offset,
        'repaired-escape',
        `message ${idString(raw.id) ?? '?'} in chat "${ctx.ref.name}" holds control characters written as \\xHH (a tdesktop quirk that is not valid JSON); they were read as U+00HH`,
      );
    }
    if (this.clock.offset === null && this.clock.tz === null && raw.date_unixtime === undefined) {
      const leak = leakedOffset(raw);
      if (leak !== null) {
        this.clock.offset = leak.minutes;
        this.clock.offsetSource = leak.source;
        this.warn(
          ev.offset,
          'late-offset',
          `the exporter's offset ${this.clock.offsetName(leak.minutes)} shows only from this message on; earlier zone-less dates were read as UTC`,
        );
      }
    }
    const converted = convertMessage(raw as RawMessage, ev.offset, ev.length, ctx, this.cctx);
    for (const warning of converted.warnings) this.queue({ type: 'warning', warning });
    const msg = converted.message;
    // Ids the export lacks (the pipeline then knows the message by its byte offset; a sender
    // without from_id/actor_id is keyed by name).
    if (msg.source.messageId === undefined) {
      this.missing.messages++;
      this.noteMissing(ev.offset);
    }
    if (msg.sender !== null && msg.sender.key.charCodeAt(0) === 0x6e /* 'n'ame: */) {
      this.missing.senders++;
      this.noteMissing(ev.offset);
    }
    if (converted.media.length > 0) {
      const resolved = converted.media.map((req) => this.media.resolve(req));
      if (resolved.some((r) => r instanceof Promise)) return this.withMedia(converted.message, resolved, ev.offset);
      this.attach(converted.message, resolved as Resolved[], ev.offset);
      return undefined;
    }
    this.queue({ type: 'message', message: converted.message });
    return undefined;
  }

  private async withMedia(msg: ParsedMessage, pending: (Resolved | Promise<Resolved>)[], offset: number): Promise<void> {
    this.attach(msg, await Promise.all(pending), offset);
  }

  /** Puts the resolved media on the message, warns about problems, queues the message. */
  private attach(msg: ParsedMessage, resolved: Resolved[], offset: number): void {
    for (const r of resolved) {
      msg.media.push(r.media);
      if (r.problem !== null) {
        this.warn(offset, r.problem.code, `message ${msg.source.messageId ?? '?'} in chat "${msg.chat.name}": ${r.problem.message}`);
      }
    }
    this.queue({ type: 'message', message: msg });
  }

  private contact(ev: ScanEvent & { kind: 'value' }): void {
    const v = ev.value;
    if (!isObject(v)) return;
    const name = cleanName(`${str(v.first_name) ?? ''} ${str(v.last_name) ?? ''}`);
    const phone = str(v.phone_number) ?? '';
    if (name === '' && phone === '') return; // deleted entries keep only their date
    const id = idString(v.user_id);
    this.queue({
      type: 'contact',
      contact: {
        name,
        phoneRaw: phone,
        platformId: id !== null && id !== '0' ? `user${id}` : null,
        source: { file: this.input.displayPath, sha256: this.input.sha256, offset: ev.offset, length: ev.length },
      },
    });
  }

  private warn(offset: number, code: string, message: string): void {
    this.queue({ type: 'warning', warning: { file: this.input.displayPath, offset, code, message } });
  }

  private finish(): void {
    if (this.form === null) {
      throw new InputError(
        this.input.displayPath,
        'no "messages" or "chats" found: not a Telegram Desktop JSON export',
        {},
        'export with Telegram Desktop in "Machine-readable JSON" format',
      );
    }
    this.warnMissing();
  }

  /** The one warning about ids the export lacks and how they were made up for. */
  private warnMissing(): void {
    const { chatIds, messages, senders, offset } = this.missing;
    if (offset < 0) return;
    const parts: string[] = [];
    if (chatIds.length > 0) {
      const shown = chatIds.slice(0, 3).join(', ') + (chatIds.length > 3 ? ', …' : '');
      parts.push(
        `${plural(chatIds.length, 'chat')} without a readable id (${shown}: made from the file's SHA-256 and the chat's byte offset; not Telegram's id, so the same chat in another export gets another id)`,
      );
    }
    if (messages > 0) {
      parts.push(`${plural(messages, 'message')} without a readable id (known by their byte offset in this file instead)`);
    }
    if (senders > 0) {
      parts.push(
        `${plural(senders, 'message')} without a readable from_id/actor_id (their senders are keyed by name only: ` +
          `names are not unique and can be changed, so such identities are weaker than Telegram ids)`,
      );
    }
    this.warn(
      offset,
      'missing-ids',
      `this export lacks the ids tdesktop writes (stripped, or written by another tool): ${parts.join('; ')}`,
    );
  }

  // -- errors ----------------------------------------------------------------------------------

  private mapError(error: unknown): unknown {
    if (!(error instanceof JsonScanError)) return error;
    const where = this.describe(error.path);
    const file = this.input.displayPath;
    if (error.eof) {
      if (error.path.length === 0 && error.startOffset === null) {
        return new InputError(file, 'the file is empty (expected a Telegram JSON export)', { offset: error.offset }, TRUNCATED_HINT);
      }
      const start = error.startOffset !== null ? ` (started at byte ${error.startOffset})` : '';
      return new InputError(file, `unexpected end of file inside ${where}${start}`, { offset: error.offset }, TRUNCATED_HINT);
    }
    const start = error.startOffset !== null ? ` (started at byte ${error.startOffset})` : '';
    return new InputError(
      file,
      `invalid JSON in ${where}${start}: expected ${error.expected}${error.found !== null ? `, found ${error.found}` : ''}`,
      { offset: error.offset },
      DAMAGED_HINT,
    );
  }

  /** `messages[1234] of chat "X"`, `the messages of chat "X"`, `contacts.list[3]`, … */
  private describe(path: JsonPath): string {
    const slot = chatSlot(path);
    if (slot === null) return path.length === 0 ? 'the top-level object' : formatPath(path);
    const name = this.names.get(slot);
    const chat = name !== undefined ? `chat "${name}"` : slot === 'root' ? 'the chat' : `chat ${formatPath(path.slice(0, 3))}`;
    const rest = slot === 'root' ? path.slice(1) : path.slice(3);
    if (slot !== 'root' && rest.length === 0) return chat;
    if (slot !== 'root' && rest[0] !== 'messages') return `${formatPath(rest)} of ${chat}`;
    const inMessages = slot === 'root' ? rest : rest.slice(1);
    if (inMessages.length === 0) return `the messages of ${chat}`;
    const tail = inMessages.length > 1 ? ` (${formatPath(inMessages.slice(1))})` : '';
    return `messages[${String(inMessages[0])}]${tail} of ${chat}`;
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * tdesktop writes control characters other than \n, \r and \t as `\xHH`, which is not JSON
 * (export_output_json.cpp, SerializeString). Rewrites them as `\u00HH`; null when there are none.
 */
export function repairHexEscapes(text: string): string | null {
  let changed = false;
  const fixed = text.replace(/\\(\\|x([0-9A-Fa-f]{2}))/g, (whole: string, _esc: string, hex: string | undefined) => {
    if (hex === undefined) return whole; // an escaped backslash: leave it, and what follows
    changed = true;
    return `\\u00${hex}`;
  });
  return changed ? fixed : null;
}

function describeSource(source: string | null): string {
  switch (source) {
    case '1970-edited-placeholder':
      return 'through the 1970 "edited" placeholder on unedited messages';
    case 'edited-vs-edited_unixtime':
      return 'through "edited" written next to "edited_unixtime"';
    default:
      return 'through its own fields';
  }
}

/** The reader's work, with the read size exposed so tests can put chunk boundaries anywhere. */
export function readTelegramJson(input: InputFile, options: ReadOptions, chunkSize?: number): AsyncGenerator<ReaderEvent> {
  return new PumpedEvents(new TelegramRead(input, options, chunkSize));
}

export const telegramJsonReader: Reader = {
  name: 'telegram-json',
  platform: TELEGRAM,
  folderMarker: 'result.json',
  stableChatIds: true,
  messageId: telegramMessageId,
  capabilities: { accountIds: true, phones: true, zones: true, media: true, forwards: true },
  reads: 'Telegram Desktop JSON and HTML exports',
  description: 'Telegram Desktop JSON export (result.json): one chat or the whole account',
  sniff,
  read(input: InputFile, options: ReadOptions): AsyncGenerator<ReaderEvent> {
    return readTelegramJson(input, options);
  },
};
