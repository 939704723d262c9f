// Messages for Timesketch (https://timesketch.org): JSON Lines, one event per message with the three
// fields Timesketch requires (message, datetime, timestamp_desc), its timestamp in microseconds, and
// the provenance of the message as flat fields an analyst can filter on there. A message without a
// known instant (a wall clock whose zone is unknown) cannot be placed on a timeline and is left out:
// `messages --format jsonl` lists it, with its time basis.
import type { Message } from '../../model.js';
import { escapeJsonText } from '../../util/sanitize.js';

function event(m: Message, utc: string): Record<string, unknown> {
  const sender = m.sender === null ? '(service)' : m.sender.name || m.sender.key;
  const content = [m.kind !== 'text' ? `[${m.kind}${m.action ? `: ${m.action}` : ''}]` : '', m.text, ...m.media.map((x) => `<${x.kind} ${x.name}>`)];
  return {
    message: `[${m.victim}] ${sender}: ${content.filter((x) => x !== '').join(' ')}`,
    datetime: utc,
    timestamp: Date.parse(utc) * 1000,
    timestamp_desc: 'Message Sent',
    data_type: 'threatlens:message',
    message_id: m.id,
    platform: m.platform,
    kind: m.kind,
    victim: m.victim,
    chat_id: m.chat.id,
    chat_name: m.chat.name,
    sender_key: m.sender?.key ?? '',
    sender_name: m.sender?.name ?? '',
    sender_phone: m.sender?.phone ?? '',
    text: m.text,
    forwarded: m.forwarded,
    phones: m.phones.join(' '),
    media_sha256: m.media.map((x) => x.sha256 ?? '').join(' '),
    time_basis: m.time.basis,
    time_zone: m.time.zone ?? '',
    sent_at_local: m.time.local ?? '',
    source_file: m.source.file,
    source_sha256: m.source.sha256,
    source_entry: m.source.entry ?? '',
    source_line: m.source.line ?? null,
    source_offset: m.source.offset ?? null,
    source_message_id: m.source.messageId ?? '',
  };
}

export function* timesketchJsonl(messages: Iterable<Message>): Generator<string> {
  for (const m of messages) {
    if (m.time.utc === null) continue;
    yield escapeJsonText(JSON.stringify(event(m, m.time.utc))) + '\n';
  }
}
