// Signal as the rest of threatlens sees it: its facts, and the case-wide id of its messages.
import type { ParsedMessage } from '../../model.js';
import type { PlatformInfo } from '../reader.js';

export const SIGNAL: PlatformInfo = {
  name: 'signal',
  displayName: 'Signal',
  // An account's ACI (a UUID), where an export shows one instead of a number: `signal:<aci>`.
  accountKeyPrefix: 'signal:',
};

/** The Signal readers' hint: the formats they read, to the user one platform. */
export const SIGNAL_READS = 'Signal exports (sigtop text, signal-export Markdown)';

/** `sg:<sha12>:L<line>`: the line of the message's first header line in its file. */
export function signalMessageId(m: ParsedMessage, sha12: string): string {
  return `sg:${sha12}:L${m.source.line ?? 0}`;
}
