// WhatsApp as the rest of threatlens sees it: its facts, and the case-wide id of its messages.
import type { ParsedMessage } from '../../model.js';
import type { PlatformInfo, ReaderCapabilities } from '../reader.js';

export const WHATSAPP: PlatformInfo = {
  name: 'whatsapp',
  displayName: 'WhatsApp',
  // Exports name senders by saved name or number, never by an account id.
  accountKeyPrefix: null,
};

/** What a chat text gives, whether read from a .txt or from a .zip. */
export const WHATSAPP_CAPABILITIES: ReaderCapabilities = { accountIds: false, phones: true, zones: false, media: true, forwards: false };

/** Both readers' hint: the .txt and the .zip are one format to the user. */
export const WHATSAPP_READS = 'WhatsApp .txt/.zip exports';

/**
 * `wa:<sha12>:L<line>`. A chat text beside others in one archive carries a tag after the file's
 * hash in its chat id (`whatsapp:<sha12>:e3`): its messages carry it too, so lines of two chat
 * texts never collide.
 */
export function whatsappMessageId(m: ParsedMessage, sha12: string): string {
  const tagAt = m.chat.id.indexOf(':', 'whatsapp:'.length);
  const tag = tagAt < 0 ? '' : m.chat.id.slice(tagAt);
  return `wa:${sha12}${tag}:L${m.source.line ?? 0}`;
}
