// Telegram as the rest of threatlens sees it: its facts, and the case-wide id of its messages.
import type { ParsedMessage } from '../../model.js';
import type { PlatformInfo } from '../reader.js';

export const TELEGRAM: PlatformInfo = {
  name: 'telegram',
  displayName: 'Telegram',
  accountKeyPrefix: 'telegram:',
};

/** `tg:<sha12>:<chat id>:<message id>` (or `@<byte offset>` for a message without an id). */
export function telegramMessageId(m: ParsedMessage, sha12: string): string {
  const chat = m.chat.id.replace(/^telegram:/, '');
  return `tg:${sha12}:${chat}:${m.source.messageId ?? `@${m.source.offset ?? 0}`}`;
}
