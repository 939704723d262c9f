// Raw shapes of Telegram Desktop's `result.json` (writer: tdesktop
// export/output/export_output_json.cpp). Every field is optional and checked at run time: the
// values come from JSON.parse of evidence files, which may be old, partial or edited.

/** A text part: a plain string or an entity `{type, text, …}` (href, user_id, language, document_id). */
export type RawTextPart = string | { type?: unknown; text?: unknown; [key: string]: unknown };

/** One element of a chat's `messages` array. */
export interface RawMessage {
  id?: unknown; // number; negative for messages migrated from a basic group
  type?: unknown; // 'message' | 'service' | 'unsupported'
  date?: unknown; // exporter-local wall clock `YYYY-MM-DDTHH:mm:ss`
  date_unixtime?: unknown; // string of seconds, since v3.7.6 (June 2022)
  edited?: unknown; // wall clock; early exports write a 1970 placeholder on unedited messages
  edited_unixtime?: unknown;
  from?: unknown; // display name, null for deleted accounts
  from_id?: unknown; // number before v2.7.2 (April 2021), then "user123" / "channel123" / "chat123"
  actor?: unknown; // service messages
  actor_id?: unknown;
  action?: unknown;
  author?: unknown; // channel post signature
  forwarded_from?: unknown;
  saved_from?: unknown;
  reply_to_message_id?: unknown;
  reply_to_peer_id?: unknown;
  via_bot?: unknown;
  message_id?: unknown; // pin_message: the pinned message
  duration_seconds?: unknown;
  discard_reason?: unknown;
  information_text?: unknown;
  photo?: unknown; // relative path or a placeholder
  photo_file_size?: unknown;
  file?: unknown; // relative path or a placeholder
  file_name?: unknown;
  file_size?: unknown;
  thumbnail?: unknown;
  mime_type?: unknown;
  media_type?: unknown; // sticker | voice_message | video_message | animation | video_file | audio_file
  sticker_emoji?: unknown;
  contact_information?: unknown; // {first_name, last_name, phone_number}
  contact_vcard?: unknown;
  location_information?: unknown; // {latitude, longitude} or null
  live_location_period_seconds?: unknown;
  place_name?: unknown;
  address?: unknown;
  poll?: unknown; // {question, closed, total_voters, answers[{text, voters, chosen}]}
  text?: unknown; // string or RawTextPart[]
  text_entities?: unknown; // {type, text}[] since v4.2.0
  [key: string]: unknown;
}

/** `personal_information` of a full-account export. */
export interface RawPersonalInformation {
  user_id?: unknown;
  first_name?: unknown;
  last_name?: unknown;
  phone_number?: unknown;
  username?: unknown;
  bio?: unknown;
}

/** An element of `contacts.list`. */
export interface RawContact {
  user_id?: unknown;
  first_name?: unknown;
  last_name?: unknown;
  phone_number?: unknown;
  date?: unknown;
  date_unixtime?: unknown;
}

/** Chat types tdesktop writes (`type` of a chat object). */
export const TELEGRAM_CHAT_TYPES = [
  'personal_chat',
  'bot_chat',
  'private_group',
  'private_supergroup',
  'public_supergroup',
  'private_channel',
  'public_channel',
  'saved_messages',
  'replies',
  'verification_codes',
] as const;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value when it is a string, else null. */
export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** A finite number, or a string of digits (tdesktop writes unixtimes as strings), else null. */
export function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^-?\d+(?:\.\d+)?$/.test(v)) return Number(v);
  return null;
}

/** Integer ids (message, chat, user) as a string; null when absent or not an integer. */
export function idString(v: unknown): string | null {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return v;
  return null;
}

/**
 * Identity key from a `from_id`/`actor_id` of either era: `123` and `"123"` → `telegram:user123`;
 * `"user123"`, `"channel123"`, `"chat123"` keep their prefix. null when absent or unreadable.
 */
export function peerKey(v: unknown): string | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? `telegram:user${v}` : null;
  if (typeof v !== 'string') return null;
  if (/^\d+$/.test(v)) return `telegram:user${v}`;
  if (/^(?:user|channel|chat)-?\d+$/.test(v)) return `telegram:${v}`;
  return null;
}

/** Flattens `text` / `text_entities` into plain text and the phones Telegram marked in it. */
export function flattenText(msg: RawMessage): { text: string; phones: string[] } {
  const phones: string[] = [];
  const entities = msg.text_entities;
  if (Array.isArray(entities)) {
    let text = '';
    for (const e of entities) {
      if (typeof e === 'string') text += e;
      else if (isObject(e) && typeof e.text === 'string') {
        text += e.text;
        if (e.type === 'phone') phones.push(e.text);
      }
    }
    return { text, phones };
  }
  const raw = msg.text;
  if (typeof raw === 'string') return { text: raw, phones };
  if (Array.isArray(raw)) {
    let text = '';
    for (const part of raw) {
      if (typeof part === 'string') text += part;
      else if (isObject(part) && typeof part.text === 'string') {
        text += part.text;
        if (part.type === 'phone') phones.push(part.text);
      }
    }
    return { text, phones };
  }
  return { text: '', phones };
}
