// The one normalized model every stage shares: readers produce it, the case store keeps it,
// phone/media/attribution stages enrich it, and output formats print it.
// Raw values are kept beside their normalized form, and every record says where it came from.

// The platforms the readers know; readers/registry.ts checks every name has a reader and every
// reader's platform is named here (its facts live on the reader: readers/<platform>/platform.ts).
export const PLATFORMS = ['telegram', 'whatsapp', 'signal', 'discord', 'messenger', 'instagram', 'other'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * What a message is. `service` is a system or service line (group created, member added,
 * pinned…); its sender is the actor when the platform names one, else null.
 */
export const MESSAGE_KINDS = [
  'text', // text only
  'media', // carries (or announces) an attachment; text is the caption
  'sticker',
  'service',
  'deleted', // "This message was deleted"
  'view-once', // view-once media, not exported
  'call',
  'location',
  'contact',
  'poll',
  'unsupported', // the platform exported it as unsupported
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Where a fact came from: the evidence file, its SHA-256, and a position inside it. */
export interface SourceRef {
  /** Path of the evidence file as the user gave it (forward slashes). */
  file: string;
  /** SHA-256 of that file, lowercase hex. */
  sha256: string;
  /** For archives: the entry inside `file` that holds the record. */
  entry?: string;
  /** SHA-256 of that entry's content. */
  entrySha256?: string;
  /** 1-based line of the record's first line (text formats). */
  line?: number;
  /** Byte offset of the record inside `file` (or inside `entry`). */
  offset?: number;
  /** Byte length of the record. */
  length?: number;
  /** The platform's own message id, as a string (Telegram ids may be negative). */
  messageId?: string;
}

export interface ChatRef {
  /** Stable chat id: `telegram:<id>` or `whatsapp:<sha12 of the export>`. */
  id: string;
  name: string;
}

export interface Chat extends ChatRef {
  platform: Platform;
  /** Platform chat type (personal_chat, private_group, … for Telegram; `chat` for WhatsApp). */
  type: string;
}

/** Who wrote a message, as the export shows it. */
export interface SenderRef {
  /**
   * Stable identity key:
   * - `telegram:user123456` (or `channel…`/`chat…`) from Telegram's from_id;
   * - `phone:+79281234567` when the sender is known by phone number;
   * - `name:<scope>:<name>` otherwise. A saved contact name belongs to the victim's address book,
   *   so the scope is the victim on this platform (ReadOptions.senderScope): the same victim's
   *   "Мама" in two exports is one identity, another victim's "Мама" another.
   */
  key: string;
  /** Display name cleaned of bidi marks, `~`, BOM and surrounding space. '' for deleted accounts. */
  name: string;
  /** The sender exactly as written in the export; null when it wrote none (Telegram `from: null`: a deleted account). */
  raw: string | null;
  /** E.164 phone of the sender when the export shows one. */
  phone: string | null;
}

export type MediaKind =
  | 'photo'
  | 'video'
  | 'audio'
  | 'voice'
  | 'video-note'
  | 'sticker'
  | 'animation'
  | 'document'
  | 'contact-card'
  | 'other';

/** An attachment a message refers to. */
export interface MediaRef {
  kind: MediaKind;
  /** File name as the export names it (may be a placeholder name when omitted). */
  name: string;
  /**
   * Where the file is: a path as the user would open it (`export/photos/a.jpg`) or, inside an
   * archive, `archive.zip!entry`. null when the export did not include the file.
   */
  path: string | null;
  /** SHA-256 of the file content when present. */
  sha256: string | null;
  size: number | null;
  /** Why the file is absent (`not-included`, `too-large`, `unavailable`, `omitted`, `not-found`). */
  missing: string | null;
  mime: string | null;
  /**
   * Present when the file is there but its bytes or identity are in doubt, so that nothing treats
   * its hash as the file's: `crc-mismatch` (an archive entry that fails its CRC-32 check: the bytes
   * are not the ones the archive was written with), `ambiguous-name` (the archive holds several
   * entries of the name the message gives, with different contents: each is recorded, none is
   * known to be the one sent). Such files get no image facts and are left out of attribution.
   */
  note?: MediaNote;
}

export type MediaNote = 'crc-mismatch' | 'ambiguous-name';

export interface TimeInfo {
  /** UTC instant, ISO 8601 with `Z`; null when the source's clock could not be read. */
  utc: string | null;
  /** The wall clock as the source wrote it, `YYYY-MM-DDTHH:mm:ss` without zone; null when the source gave an instant only. */
  local: string | null;
  /**
   * How `utc` was obtained:
   * - `instant`: the source gave an instant (Telegram `date_unixtime`);
   * - `zone`: wall clock converted with a zone the investigator gave (`--tz`);
   * - `assumed-utc`: wall clock and no zone given, read as UTC (flagged);
   * - `inferred-offset`: wall clock converted with an offset the export itself leaks.
   */
  basis: 'instant' | 'zone' | 'assumed-utc' | 'inferred-offset';
  /** The zone or offset used for `local` (IANA name or `+03:00`), when known. */
  zone: string | null;
}

/**
 * A link target the text hides or carries beside what it shows: a Telegram `text_link` href
 * behind a harmless word, a `mention_name` user id, a bot button's URL or callback data, a custom
 * emoji's document id. Kept because the visible text alone would lose it.
 */
export interface LinkRef {
  /** The visible text the target sits behind ('' when nothing is shown). */
  text: string;
  /**
   * The target exactly as the export wrote it: a URL; a mentioned user's id (tdesktop writes the
   * bare number, `5022222222`; another tool's `user123` is kept as it is); a callback button's data
   * (tdesktop writes it base64url-encoded, kept so); a custom emoji's document id.
   */
  href: string;
  kind: 'text-link' | 'mention-name' | 'button-url' | 'button-callback' | 'custom-emoji';
}

export interface Location {
  lat: number;
  lon: number;
  name: string | null;
}

export interface ContactCard {
  name: string;
  /** Phone number exactly as the export wrote it. */
  phoneRaw: string | null;
}

/** A message as a reader produces it: everything the export itself says. */
export interface ParsedMessage {
  platform: Platform;
  kind: MessageKind;
  chat: ChatRef;
  /** null on service lines without an actor. */
  sender: SenderRef | null;
  /** true when the export's owner (the victim) wrote it, false when someone else did, null when unknown. */
  outgoing: boolean | null;
  time: TimeInfo;
  edited: boolean;
  editedAt: string | null;
  /** Plain text (entities flattened). For media, the caption. */
  text: string;
  /** Phone numbers the platform itself marked in the text (Telegram `phone` entities), raw. */
  markedPhones: string[];
  /** Link targets not visible in `text` (hidden hrefs, mentioned user ids, buttons), in order. */
  links: LinkRef[];
  media: MediaRef[];
  forwarded: boolean;
  /** Name of the original author when forwarded. */
  forwardedFrom: string | null;
  /** Platform id of the message this replies to, as a string. */
  replyTo: string | null;
  /** Service action (Telegram `action`, or a WhatsApp system-line class such as `encryption-notice`). */
  action: string | null;
  location: Location | null;
  contact: ContactCard | null;
  source: SourceRef;
}

/** A message in the case: the parsed message plus what the case knows about it. */
export interface Message extends ParsedMessage {
  /** Case-wide stable id: `tg:<sha12>:<chatId>:<msgId>` or `wa:<sha12>:L<line>`. */
  id: string;
  /** Label of the victim whose export holds the message. */
  victim: string;
  /** E.164 numbers found in the text (filled by the phone stage). */
  phones: string[];
  /**
   * Every source that holds the message, `source` first: a chat exported twice (a re-export, the
   * .txt and the .zip of one export) holds it twice, and the case keeps it once.
   */
  sources: SourceRef[];
}

/** A diagnostic about one input: always names the file and, when known, the position. */
export interface Warning {
  file: string;
  line?: number;
  offset?: number;
  code: string;
  message: string;
}

/** What a reader learns about the export as a whole. */
export interface ExportInfo {
  platform: Platform;
  /** The reader that parsed it (`telegram-json`, `whatsapp-txt`, `whatsapp-zip`). */
  reader: string;
  /** Identity key of the export's owner when the export reveals it. */
  ownerKey: string | null;
  ownerName: string | null;
  /** Phone number of the owner, raw, when the export reveals it. */
  ownerPhoneRaw: string | null;
  /** Facts the reader decided for the whole file (date order, zone, offsets), as strings. */
  facts: Record<string, string>;
}

/**
 * A further file of an export that the reader read beside the one it was handed (Telegram HTML's
 * `messages2.html`, `messages3.html`…): evidence of the export like the first, with its own hash,
 * which the messages read from it cite.
 */
export interface ExportPart {
  /** Path as the user would open it (forward slashes). */
  path: string;
  sha256: string;
  size: number;
}

/** A contact listed in an export's address book (Telegram `contacts.list`). */
export interface AddressBookEntry {
  name: string;
  phoneRaw: string;
  platformId: string | null;
  source: SourceRef;
}

/**
 * A part of an export the reader left out whole while reading the rest: a chat of a whole-account
 * export whose JSON is valid but not a chat (not an object, `messages` not an array…). Nothing of
 * it is yielded. Syntax errors and truncation are not skipped: the scanner cannot tell where a
 * damaged value ends, so the reader throws and the whole file is rejected.
 */
export interface SkippedPart {
  file: string;
  /** Byte offset and length of the part in `file`. */
  offset: number;
  length: number;
  /** What was skipped: `chat "Работа" (chats.list[1])`, `chats.list[2]`. */
  what: string;
  /** Why: `"messages" is an object, not an array`, `it is null, not a chat object`. */
  reason: string;
}

/**
 * What a reader yields, in order: `export` first, then chats before their messages. `skipped`
 * reports a part left out (see SkippedPart); the pipeline records it as a rejection of that part,
 * keeps the rest of the file, and makes the run exit 1.
 */
export type ReaderEvent =
  | { type: 'export'; info: ExportInfo }
  | { type: 'part'; part: ExportPart }
  | { type: 'chat'; chat: Chat }
  | { type: 'message'; message: ParsedMessage }
  | { type: 'contact'; contact: AddressBookEntry }
  | { type: 'warning'; warning: Warning }
  | { type: 'skipped'; skipped: SkippedPart };

/** A row of `senders`: one sender identity with what the case has seen of it. */
export interface SenderSummary {
  key: string;
  platform: Platform;
  names: string[];
  phones: string[];
  messages: number;
  victims: string[];
  firstSeen: string | null;
  lastSeen: string | null;
}

/**
 * A sender as `senders` lists it: its summary, the victims whose own account it is (`selfOf`), and
 * `deletedAccount` when some export showed it as a deleted account (tables say so; JSON keeps `names`).
 */
export interface SenderRow extends SenderSummary {
  selfOf: string[];
  deletedAccount?: boolean;
}

/** What threatlens says about one phone number (built by src/phone/fact.ts from libphonenumber-js). */
export interface PhoneFact {
  /** E.164 without extension: '+79281234567'. */
  e164: string;
  /** The region libphonenumber-js picks (most specific allocation: GG for +44 7911 1…), null if none. */
  country: string | null;
  /**
   * Every region the number may belong to, most specific first: the picked region, other regions
   * sharing the calling code whose patterns match, and a territory's numbering-plan parent
   * (['GG', 'GB']). For numbers that match no pattern: the regions where the length is possible.
   */
  countries: string[];
  /** 'mobile' | 'fixed-line' | 'fixed-line-or-mobile' | 'toll-free' | 'premium-rate' | 'voip' | 'personal' | 'pager' | 'uan' | 'voicemail' | 'shared-cost' | null. */
  type: string | null;
  /** The digits match a number pattern of the region ("valid pattern"). NOT proof that the number exists or is assigned. */
  valid: boolean;
  /** The length is possible for the region. */
  possible: boolean;
  /** 'valid pattern' | 'too short' | 'too long' | 'invalid length' | 'invalid country code' | 'no pattern matches'. */
  reason: string;
  /** National format, '8 (928) 123-45-67'. */
  national: string;
  /** International format, '+7 928 123 45 67'. */
  international: string;
  /** Exactly as written (extension included when it was written). */
  raw: string;
  /** Default region used to read a number written without '+' / international prefix; null when it had one. */
  regionUsed: string | null;
}

// What the case says about phone numbers and about itself: shapes the store fills and output renders.

/**
 * How a number appears in a message: 'text' (written in it), 'entity' (a Telegram phone entity),
 * 'contact' (a shared contact: Telegram contact_information, or a TEL of an attached vCard),
 * 'sender' (the sender is the number), 'sender-name' (the sender's display name holds it).
 */
export type PhoneRole = 'text' | 'entity' | 'contact' | 'sender' | 'sender-name';

/** The contact card file a number was read from. */
export interface CardRef {
  path: string;
  sha256: string;
}

export interface PhoneSource {
  messageId: string;
  role: PhoneRole;
  raw: string;
  /** Default country used to read this sighting (written without +): --region or the export's inferred one; null for + numbers. */
  regionUsed: string | null;
  file: string;
  sha256: string;
  line?: number;
  offset?: number;
  entry?: string;
  /** The contact card (vCard) file the number was read from, with its SHA-256. */
  card?: CardRef;
  victim: string;
  sender: string | null;
  sentAt: string | null;
}

/** A number as the case has seen it: its facts (the first way it was written as `raw`), and where it was seen. */
export interface PhoneSummary extends Omit<PhoneFact, 'raw' | 'regionUsed'> {
  /** The first way it was written (in message order), and every distinct way. */
  raw: string;
  rawForms: string[];
  seen: number;
  firstSeen: string | null;
  lastSeen: string | null;
  /** Sender identities that wrote the number, and those that are the number (by phone or display name). */
  writers: string[];
  owners: string[];
  victims: string[];
  exports: { file: string; sha256: string }[];
  sources: PhoneSource[];
}

export interface ExportSummary {
  path: string;
  sha256: string;
  size: number;
  reader: string;
  platform: Platform;
  victim: string;
  messages: number;
  chats: number;
  facts: Record<string, string>;
  /** Default country for phone numbers written without +, and where it came from (see PhoneStageResult). */
  region: string | null;
  regionSource: string | null;
}

export interface CaseOverview {
  exports: ExportSummary[];
  evidenceFiles: number;
  chats: number;
  messages: number;
  messagesByPlatform: Record<string, number>;
  senders: number;
  victims: string[];
  firstMessage: string | null;
  lastMessage: string | null;
  timeBases: Record<string, number>;
  warnings: { file: string; line: number | null; offset: number | null; code: string; message: string }[];
  /** Messages held by more than one export (a chat exported twice): kept once, with every source. */
  messagesWithSeveralSources: number;
  /** Inputs the case refused, with the reason. */
  rejected: { path: string; sha256: string | null; reason: string }[];
}

// The case's custody (threatlens custody, verify) ----------------------------------------------

/** What a case holds, as a custody entry records it. */
export interface CaseCounts {
  exports: number;
  messages: number;
  evidenceFiles: number;
  rejected: number;
  runs: number;
  decisions: number;
}

export interface CustodyEntry {
  id: number;
  startedAt: string;
  /** null: the command did not finish (it was killed, or is still running). */
  finishedAt: string | null;
  tool: string;
  command: string;
  arguments: string[];
  cwd: string;
  examiner: string | null;
  osUser: string | null;
  note: string | null;
  /** What the command found, when it says (verify). */
  outcome: string | null;
  counts: CaseCounts | null;
}

/** One evidence file or archive entry hashed again by `threatlens verify`. */
export type CheckStatus = 'ok' | 'changed' | 'missing' | 'unreadable';

export interface EvidenceCheck {
  /** As the case records it ('a.zip!entry' inside archives). */
  path: string;
  role: string;
  /** Where it was looked for (the archive, for an entry). */
  lookedAt: string;
  status: CheckStatus;
  sha256: string;
  size: number;
  /** What was read now (null when nothing could be). */
  actualSha256: string | null;
  actualSize: number | null;
  /** Why it is missing or unreadable. */
  problem: string | null;
}

export interface Verification {
  checks: EvidenceCheck[];
  counts: Record<CheckStatus, number>;
}

// The full graph of a clustering (cluster --graph full) ------------------------------------------

export type EntityKind = 'victim' | 'number' | 'image';

export interface EntityEdge {
  /** A sender identity key. */
  from: string;
  /** The entity node: `victim:anna`, `number:+79281234567`, `image:<sha256>`. */
  to: string;
  kind: EntityKind;
  /** 'wrote to' | 'mentions' | 'sent' */
  relation: string;
  /** Messages behind the edge. */
  count: number;
  /** The entity as a person reads it: the victim label, the number, the image's first file name. */
  label: string;
}

/** One message on a cluster's timeline: when, to whom, from whom, and its id. */
export interface TimelinePoint {
  id: string;
  at: string;
  victim: string;
  sender: string;
}

/** An image a cluster's members sent: its SHA-256, its anomalies' codes, who sent it. */
export interface ClusterImage {
  sha256: string;
  anomalies: string[];
  senders: string[];
  messages: number;
  /** Camera make and model, and when it was taken (UTC, else the camera's wall clock), when known. */
  camera: string | null;
  takenAt: string | null;
  width: number | null;
  height: number | null;
  /** A video's length in ms (its thumbnail is a frame from its middle); null for a picture. */
  durationMs: number | null;
}

/** A place for the report's map: an image's GPS tags or a location a chat shared, with its evidence. */
export interface MapPoint {
  kind: 'image' | 'shared-location';
  lat: number;
  lon: number;
  /** What it is, in words (camera and time, or the place's name, sender and victim). */
  label: string;
  /** The evidence: the image's SHA-256, or the message id. */
  source: string;
}
