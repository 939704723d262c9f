// Discord as the rest of threatlens sees it: its facts, and the case-wide id of its messages.
import type { ParsedMessage } from '../../model.js';
import type { PlatformInfo } from '../reader.js';

export const DISCORD: PlatformInfo = {
  name: 'discord',
  displayName: 'Discord',
  // User ids are snowflakes (64-bit, kept as the strings the export writes: beyond 2^53).
  accountKeyPrefix: 'discord:',
};

/** `dc:<sha12>:<channel id>:<message id>`. */
export function discordMessageId(m: ParsedMessage, sha12: string): string {
  return `dc:${sha12}:${m.chat.id.slice('discord:'.length)}:${m.source.messageId ?? `@${m.source.offset ?? 0}`}`;
}
