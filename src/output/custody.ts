// The custody log as a listing: one row per command that changed the case.
import type { CustodyEntry } from '../model.js';
import type { Listing } from './listing.js';

const time = (iso: string | null): string => (iso === null ? 'did not finish' : iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'));

function countsCell(e: CustodyEntry): string {
  const c = e.counts;
  if (c === null) return '';
  return `${c.exports} exports, ${c.messages} messages, ${c.evidenceFiles} files, ${c.rejected} rejected, ${c.runs} runs, ${c.decisions} decisions`;
}

/** A word as a shell would need it typed: quoted when it holds anything but plain characters. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/u.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function custodyListing(entries: Iterable<CustodyEntry>): Listing<CustodyEntry> {
  return {
    kind: 'custody',
    items: entries,
    toJson: (e) => ({ ...e }),
    columns: [
      { header: 'id', value: (e) => e.id, align: 'right' },
      { header: 'started (UTC)', value: (e) => time(e.startedAt) },
      { header: 'ended (UTC)', value: (e) => time(e.finishedAt), style: (c, t, e) => (e.finishedAt === null ? c.red(t) : t) },
      { header: 'examiner', value: (e) => e.examiner ?? (e.osUser !== null ? `(user ${e.osUser})` : ''), max: 24 },
      { header: 'command', value: (e) => ['threatlens', e.command, ...e.arguments].map(shellWord).join(' '), max: 100, style: (c, t) => c.yellow(t) },
      { header: 'note', value: (e) => [e.note, e.outcome].filter((x) => x !== null).join(' · '), max: 40 },
      { header: 'the case then held', value: countsCell, flex: true },
    ],
  };
}
