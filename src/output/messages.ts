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
      { header: 'sent (UTC)', value: (m) => (m.time.utc ? m.time.utc.replace('T', ' ').replace('Z', '') : '?') },
      { header: 'victim', value: (m) => m.victim, max: 16, style: (c, t) => c.cyan(t) },
      {
        header: 'sender',
        value: senderCell,
        max: 24,
        style: (c, t, m) => (m.outgoing ? c.dim(t) : c.yellow(t)),
      },
      { header: 'text', value: summary, flex: true },
      { header: 'source', value: (m) => shortSourceLabel(m), max: 44, cut: 'middle', style: (c, t) => c.dim(t) },
    ],
  };
}
