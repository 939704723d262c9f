// Signal as the rest of threatlens sees it: its facts, and the case-wide id of its messages.
import type { ParsedMessage } from '../../model.js';
import type { PlatformInfo } from '../reader.js';

export const SIGNAL: PlatformInfo = {
  name: 'signal',
  displayName: 'Signal',
  // An account's ACI (a UUID), where an export shows one instead of a number: `signal:<aci>`.
  accountKeyPrefix: 'signal:',
};

/**
 * Signal's exporters write message bodies verbatim and messages in the order they were sent or
 * received, so a header dated (more than a minute) before the message being read is that message's
 * text imitating another: both Signal readers keep it as text and warn.
 */
export function headerGoesBack(time: number | null, current: number | null): boolean {
  return time !== null && current !== null && time < current - 60_000;
}

/** The Signal readers' hint: the formats they read, to the user one platform. */
export const SIGNAL_READS = 'Signal exports (sigtop text, signal-export Markdown)';

/** `sg:<sha12>:L<line>`: the line of the message's first header line in its file. */
export function signalMessageId(m: ParsedMessage, sha12: string): string {
  return `sg:${sha12}:L${m.source.line ?? 0}`;
}
