import type { Message } from '../model.js';
import type { Listing } from './listing.js';
import { revealObfuscation } from '../attribution/text.js';

/** What tables show for a sender the export wrote no name for at all (Telegram `from: null`). */
export const DELETED_ACCOUNT = '(deleted account)';

/** The sender cell of tables: the name, `(deleted account)`, else the identity key. */
function senderCell(m: Message): string {
  const s = m.sender;
  if (s === null) return '—';
  if (s.name !== '') return s.name;
  return s.raw === null ? DELETED_ACCOUNT : s.key;
}

/** The contract's JSON form of a message (field order fixed, so output is byte-stable). */
export function messageJson(m: Message): Record<string, unknown> {
  return {
    id: m.id,
    platform: m.platform,
    kind: m.kind,
    chat: { id: m.chat.id, name: m.chat.name },
    victim: m.victim,
    sender: m.sender ? { key: m.sender.key, name: m.sender.name, raw: m.sender.raw, phone: m.sender.phone } : null,
    outgoing: m.outgoing,
    sentAt: m.time.utc,
    sentAtLocal: m.time.local,
    timeBasis: m.time.basis,
    timeZone: m.time.zone,
    edited: m.edited,
    editedAt: m.editedAt,
    text: m.text,
    links: m.links,
    phones: m.phones,
    media: m.media.map((x) => ({
      sha256: x.sha256,
      path: x.path,
      name: x.name,
      kind: x.kind,
      size: x.size,
      mime: x.mime,
      missing: x.missing,
      // Only when there is one (crc-mismatch, ambiguous-name): the hash is then not the file's.
      ...(x.note !== undefined ? { note: x.note } : {}),
    })),
    forwarded: m.forwarded,
    forwardedFrom: m.forwardedFrom,
    replyTo: m.replyTo,
    action: m.action,
    location: m.location,
    contact: m.contact,
    source: m.source,
    sources: m.sources,
  };
}

/** `file:line`, `file@offset` or `file!entry:line`: where to look in the evidence. */
export function sourceLabel(m: Message): string {
  const s = m.source;
  let out = s.file;
  if (s.entry) out += `!${s.entry}`;
  if (s.line !== undefined) out += `:${s.line}`;
  else if (s.offset !== undefined) out += `@${s.offset}`;
  return out;
}

/** The source with the file's name only (the full path is in CSV and JSON). */
export function shortSourceLabel(m: Message): string {
  const full = sourceLabel(m);
  const file = m.source.file;
  return full.replace(file, file.slice(file.lastIndexOf('/') + 1));
}

function summary(m: Message): string {
  const parts: string[] = [];
  if (m.forwarded) parts.push(`[fwd${m.forwardedFrom ? ` ${m.forwardedFrom}` : ''}]`);
  if (m.kind !== 'text') parts.push(`[${m.kind}${m.action ? `: ${m.action}` : ''}]`);
  for (const media of m.media) parts.push(`<${media.kind} ${media.name}${media.missing ? ` (${media.missing})` : ''}${media.note ? ` [${media.note}]` : ''}>`);
  if (m.text) parts.push(revealObfuscation(m.text));
  return parts.join(' ');
}

export function messageListing(messages: Iterable<Message>): Listing<Message> {
  return {
    kind: 'messages',
    items: messages,
    toJson: messageJson,
    columns: [
      { header: 'sent (UTC)', value: (m) => (m.time.utc ? m.time.utc.replace('T', ' ').replace('Z', '') : '?'), csv: false },
      { header: 'victim', value: (m) => m.victim, max: 16, style: (c, t) => c.cyan(t), csv: false },
      {
        header: 'sender',
        value: senderCell,
        max: 24,
        style: (c, t, m) => (m.outgoing ? c.dim(t) : c.yellow(t)),
        csv: false,
      },
      { header: 'text', value: summary, flex: true, csv: false },
      { header: 'source', value: (m) => shortSourceLabel(m), max: 44, cut: 'middle', style: (c, t) => c.dim(t), csv: false },
      ...MESSAGE_CSV_COLUMNS,
    ],
  };
}

/**
 * The CSV of messages: every fact with its provenance, one column each, full hashes (a spreadsheet
 * user filters, sorts and cites from these). The text as written (cells guarded), not as the table
 * shows it.
 */
const MESSAGE_CSV_COLUMNS: Listing<Message>['columns'] = (
  [
    ['id', (m) => m.id],
    ['sent_at', (m) => m.time.utc],
    ['sent_at_local', (m) => m.time.local],
    ['time_basis', (m) => m.time.basis],
    ['time_zone', (m) => m.time.zone],
    ['victim', (m) => m.victim],
    ['platform', (m) => m.platform],
    ['chat_id', (m) => m.chat.id],
    ['chat_name', (m) => m.chat.name],
    ['kind', (m) => m.kind],
    ['sender_key', (m) => m.sender?.key ?? null],
    ['sender_name', (m) => m.sender?.name ?? null],
    ['sender_phone', (m) => m.sender?.phone ?? null],
    ['outgoing', (m) => m.outgoing],
    ['forwarded', (m) => m.forwarded],
    ['forwarded_from', (m) => m.forwardedFrom],
    ['text', (m) => m.text],
    ['phones', (m) => m.phones.join(' ')],
    ['media_sha256', (m) => m.media.map((x) => x.sha256 ?? '').join(' ')],
    ['media_paths', (m) => m.media.map((x) => x.path ?? x.name).join(' | ')],
    ['source_file', (m) => m.source.file],
    ['source_sha256', (m) => m.source.sha256],
    ['source_entry', (m) => m.source.entry ?? null],
    ['source_entry_sha256', (m) => m.source.entrySha256 ?? null],
    ['source_line', (m) => m.source.line ?? null],
    ['source_offset', (m) => m.source.offset ?? null],
    ['source_message_id', (m) => m.source.messageId ?? null],
    ['other_sources', (m) => m.sources.length],
  ] as [string, (m: Message) => string | number | boolean | null][]
).map(([header, value]) => ({ header, value, table: false }));
