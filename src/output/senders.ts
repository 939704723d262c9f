import type { SenderRow } from '../model.js';
import type { Listing } from './listing.js';
import { DELETED_ACCOUNT } from './messages.js';

/** The names column: the names seen, and `(deleted account)` when an export showed none at all. */
function namesCell(s: SenderRow): string {
  return s.deletedAccount ? [...s.names, DELETED_ACCOUNT].join(' | ') : s.names.join(' | ');
}

export function senderJson(s: SenderRow): Record<string, unknown> {
  return {
    key: s.key,
    platform: s.platform,
    names: s.names,
    phones: s.phones,
    messages: s.messages,
    victims: s.victims,
    firstSeen: s.firstSeen,
    lastSeen: s.lastSeen,
    selfOf: s.selfOf,
  };
}

const day = (iso: string | null): string => (iso ? iso.slice(0, 10) : '?');

export function senderListing(senders: Iterable<SenderRow>): Listing<SenderRow> {
  return {
    kind: 'senders',
    items: senders,
    toJson: senderJson,
    columns: [
      { header: 'key', value: (s) => s.key, max: 44, style: (c, t) => c.yellow(t) },
      { header: 'platform', value: (s) => s.platform },
      { header: 'names', value: namesCell, max: 30 },
      { header: 'phones', value: (s) => s.phones.join(' '), max: 28 },
      { header: 'msgs', value: (s) => s.messages, align: 'right' },
      {
        header: 'victims',
        value: (s) => (s.selfOf.length > 0 ? `(self: ${s.selfOf.join(', ')}) ` : '') + s.victims.join(', '),
        flex: true,
        style: (c, t, s) => (s.selfOf.length > 0 ? c.dim(t) : s.victims.length > 1 ? c.red(t) : t),
      },
      { header: 'first', value: (s) => day(s.firstSeen) },
      { header: 'last', value: (s) => day(s.lastSeen) },
    ],
  };
}
