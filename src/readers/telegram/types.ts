// Raw shapes of Telegram Desktop's `result.json` (writer: tdesktop
// export/output/export_output_json.cpp). Every field is optional and checked at run time: the
// values come from JSON.parse of evidence files, which may be old, partial or edited.
import type { LinkRef } from '../../model.js';
import { isObject } from '../kit/json-values.js';

// The kit's checks of JSON values, for the Telegram modules that take them from here.
export { isObject, str } from '../kit/json-values.js';

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
  inline_bot_buttons?: unknown; // rows of {type, text, data | dataBase64, forward_text, button_id}
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

/**
 * The target an entity hides behind its visible text, or null: a `text_link` href, a
 * `mention_name` user id (tdesktop writes a bare number; kept as its digits, or as the string
 * another tool wrote), a `custom_emoji` document id.
 */
function entityLink(type: unknown, e: Record<string, unknown>, text: string): LinkRef | null {
  const target = type === 'text_link' ? e.href : type === 'mention_name' ? e.user_id : type === 'custom_emoji' ? e.document_id : undefined;
  let href: string;
  if (typeof target === 'string') href = target;
  else if (typeof target === 'number' && Number.isSafeInteger(target)) href = String(target);
  else return null;
  if (href === '') return null;
  const kind: LinkRef['kind'] = type === 'text_link' ? 'text-link' : type === 'mention_name' ? 'mention-name' : 'custom-emoji';
  return { text, href, kind };
}

/**
 * Flattens a text array (`text_entities`, or `text` in its array form) into plain text, the
 * phones Telegram marked in it and the link targets its entities hide.
 */
function flattenParts(parts: unknown[], phones: string[], links: LinkRef[]): string {
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') text += part;
    else if (isObject(part) && typeof part.text === 'string') {
      const t = part.text;
      text += t;
      const type = part.type;
      if (type === 'plain') continue;
      if (type === 'phone') phones.push(t);
      else if (type === 'text_link' || type === 'mention_name' || type === 'custom_emoji') {
        const link = entityLink(type, part, t);
        if (link !== null) links.push(link);
      }
    }
  }
  return text;
}

/**
 * Flattens `text` / `text_entities` into plain text, the phones Telegram marked in it and the link
 * targets its entities hide. tdesktop 4.2+ writes both arrays with the same entities: only
 * `text_entities` is read then, so each entity counts once.
 */
export function flattenText(msg: RawMessage): { text: string; phones: string[]; links: LinkRef[] } {
  const phones: string[] = [];
  const links: LinkRef[] = [];
  const entities = msg.text_entities;
  if (Array.isArray(entities)) return { text: flattenParts(entities, phones, links), phones, links };
  const raw = msg.text;
  if (typeof raw === 'string') return { text: raw, phones, links };
  if (Array.isArray(raw)) return { text: flattenParts(raw, phones, links), phones, links };
  return { text: '', phones, links };
}

/**
 * Targets of the bot buttons under a message (`inline_bot_buttons`: rows of `{type, text, data}`),
 * appended to `links` row by row. URL-like buttons (`url`, `auth` login URLs, `web_view`,
 * `simple_web_view`) give their `data`; callback buttons their data as tdesktop writes it
 * (`dataBase64`, base64url, beside an empty `data`; a plain `data` from other writers). Other
 * buttons (request_phone, switch_inline, …) point nowhere and are not kept.
 */
export function buttonLinks(rows: unknown, links: LinkRef[]): void {
  if (!Array.isArray(rows)) return;
  for (const row of rows) {
    if (!Array.isArray(row)) continue;
    for (const button of row) {
      if (!isObject(button)) continue;
      const type = button.type;
      let href: unknown;
      let kind: LinkRef['kind'];
      if (type === 'url' || type === 'auth' || type === 'web_view' || type === 'simple_web_view') {
        href = button.data;
        kind = 'button-url';
      } else if (type === 'callback' || type === 'callback_with_password') {
        href = typeof button.dataBase64 === 'string' && button.dataBase64 !== '' ? button.dataBase64 : button.data;
        kind = 'button-callback';
      } else continue;
      if (typeof href !== 'string' || href === '') continue;
      links.push({ text: typeof button.text === 'string' ? button.text : '', href, kind });
    }
  }
}
