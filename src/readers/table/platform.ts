// Tables of messages other tools wrote (CSV, JSON Lines), read with the investigator's column map:
// their platform is not known, so they are the model's `other`.
import type { ParsedMessage } from '../../model.js';
import type { PlatformInfo } from '../reader.js';

export const OTHER: PlatformInfo = {
  name: 'other',
  displayName: 'Table',
  accountKeyPrefix: null,
};

/** `tb:<sha12>:L<line>`: the line where the row starts. */
export function tableMessageId(m: ParsedMessage, sha12: string): string {
  return `tb:${sha12}:L${m.source.line ?? 0}`;
}
