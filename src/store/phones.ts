// Phone numbers in the case: writing what the phone stage found, and the `phones` listing.
import { messageScope, type MessageFilter } from './query.js';
import type { CaseHandle } from './case.js';
import { normalizePhone, type PhoneFact } from '../phone/index.js';
import type { CardRef, PhoneRole, PhoneSource, PhoneSummary } from '../model.js';

export interface PhoneSighting {
  messageRowid: number;
  fact: PhoneFact;
  role: PhoneRole;
  start: number | null;
  end: number | null;
  ext: string | null;
  /** The vCard the number was read from, when it was (role 'contact'). */
  card: CardRef | null;
}

/**
 * Writes sightings (and the facts of numbers new to the case). Call inside the export's transaction.
 * `written`: numbers whose facts this caller already wrote (skipped, and added to as facts are written).
 */
export function addPhoneSightings(handle: CaseHandle, sightings: PhoneSighting[], written: Set<string> = new Set()): void {
  const insertFact = handle.db.prepare(
    `INSERT OR IGNORE INTO phones (e164, country, countries, type, valid, possible, reason, national, international)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertSighting = handle.db.prepare(
    `INSERT INTO message_phones (message_rowid, e164, raw, role, start, end, ext, region_used, card_path, card_sha256)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const s of sightings) {
    const f = s.fact;
    if (!written.has(f.e164)) {
      written.add(f.e164);
      insertFact.run(f.e164, f.country, JSON.stringify(f.countries), f.type, f.valid ? 1 : 0, f.possible ? 1 : 0, f.reason, f.national, f.international);
    }
    insertSighting.run(s.messageRowid, f.e164, f.raw, s.role, s.start, s.end, s.ext, f.regionUsed, s.card?.path ?? null, s.card?.sha256 ?? null);
  }
}

/**
 * Removes the facts of `numbers` that no sighting holds any more (copies merged away after their
 * numbers were recorded took their sightings with them; a number only they held has no place in
 * the case). Call inside the export's transaction.
 */
export function dropUnsightedFacts(handle: CaseHandle, numbers: Iterable<string>): void {
  const drop = handle.db.prepare('DELETE FROM phones WHERE e164 = ? AND NOT EXISTS (SELECT 1 FROM message_phones WHERE e164 = ?)');
  for (const e164 of numbers) drop.run(e164, e164);
}

/** Roles where the number is the sender (shown as the sender, or in its display name), not something it wrote. */
const IS_SENDER: ReadonlySet<PhoneRole> = new Set<PhoneRole>(['sender', 'sender-name']);

interface SightingRow {
  e164: string;
  role: PhoneRole;
  raw: string;
  region_used: string | null;
  card_path: string | null;
  card_sha256: string | null;
  message_id: string;
  src_file: string;
  src_sha256: string;
  src_entry: string | null;
  src_line: number | null;
  src_offset: number | null;
  victim: string;
  sender_key: string | null;
  sent_at: string | null;
  country: string | null;
  countries: string;
  type: string | null;
  valid: number;
  possible: number;
  reason: string;
  national: string;
  international: string;
}

/**
 * Every number seen in the case, with where: most-seen first, then by number. `minVictims` keeps
 * only numbers seen in the exports of at least that many victims.
 */
export function listPhones(handle: CaseHandle, options: { minVictims?: number; e164?: string; filter?: MessageFilter } = {}): PhoneSummary[] {
  const scope = messageScope(options.filter, 'm');
  const rows = handle.db
    .prepare(
      `SELECT mp.e164, mp.role, mp.raw, mp.region_used, mp.card_path, mp.card_sha256, m.id AS message_id, m.src_file, m.src_sha256, m.src_entry, m.src_line,
              m.src_offset, m.victim, m.sender_key, m.sent_at, p.country, p.countries, p.type, p.valid, p.possible,
              p.reason, p.national, p.international
       FROM message_phones mp JOIN messages m ON m.rowid = mp.message_rowid JOIN phones p ON p.e164 = mp.e164
       WHERE ${options.e164 !== undefined ? 'mp.e164 = ?' : '1'}${scope.sql}
       ORDER BY mp.e164, m.sent_at IS NULL, m.sent_at, m.src_sha256, m.src_entry, m.src_offset, m.src_line, m.id, mp.start, mp.role`,
    )
    .all(...(options.e164 !== undefined ? [options.e164] : []), ...scope.params) as SightingRow[];
  const byNumber = new Map<string, SightingRow[]>();
  for (const r of rows) {
    const list = byNumber.get(r.e164);
    if (list) list.push(r);
    else byNumber.set(r.e164, [r]);
  }
  const sortedSet = (values: Iterable<string | null>): string[] =>
    [...new Set([...values].filter((v): v is string => v !== null))].sort();
  const out: PhoneSummary[] = [];
  for (const [e164, list] of byNumber) {
    const first = list[0]!;
    const times = list.map((r) => r.sent_at).filter((t): t is string => t !== null);
    const victims = sortedSet(list.map((r) => r.victim));
    if (options.minVictims !== undefined && victims.length < options.minVictims) continue;
    const exports = new Map<string, string>();
    for (const r of list) exports.set(r.src_sha256, r.src_file);
    out.push({
      e164,
      country: first.country,
      countries: JSON.parse(first.countries) as string[],
      type: first.type,
      valid: first.valid === 1,
      possible: first.possible === 1,
      reason: first.reason,
      national: first.national,
      international: first.international,
      raw: first.raw,
      rawForms: sortedSet(list.map((r) => r.raw)),
      seen: list.length,
      firstSeen: times.length > 0 ? times.reduce((a, b) => (a < b ? a : b)) : null,
      lastSeen: times.length > 0 ? times.reduce((a, b) => (a > b ? a : b)) : null,
      writers: sortedSet(list.filter((r) => !IS_SENDER.has(r.role)).map((r) => r.sender_key)),
      owners: sortedSet(list.filter((r) => IS_SENDER.has(r.role)).map((r) => r.sender_key)),
      victims,
      exports: [...exports]
        .map(([sha256, file]) => ({ file, sha256 }))
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.sha256 < b.sha256 ? -1 : 1)),
      sources: list.map((r) => {
        const s: PhoneSource = {
          messageId: r.message_id,
          role: r.role,
          raw: r.raw,
          regionUsed: r.region_used,
          file: r.src_file,
          sha256: r.src_sha256,
          victim: r.victim,
          sender: r.sender_key,
          sentAt: r.sent_at,
        };
        if (r.src_entry !== null) s.entry = r.src_entry;
        if (r.src_line !== null) s.line = r.src_line;
        else if (r.src_offset !== null) s.offset = r.src_offset;
        if (r.card_path !== null && r.card_sha256 !== null) s.card = { path: r.card_path, sha256: r.card_sha256 };
        return s;
      }),
    });
  }
  return out.sort((a, b) => b.victims.length - a.victims.length || b.seen - a.seen || (a.e164 < b.e164 ? -1 : 1));
}

/** Rowids of messages that mention a number (in text, a phone entity or a shared contact). */
export function messagesMentioning(handle: CaseHandle, e164: string): number[] {
  return handle.db
    .prepare(`SELECT DISTINCT message_rowid FROM message_phones WHERE e164 = ? AND role IN ('text', 'entity', 'contact')`)
    .pluck()
    .all(e164) as number[];
}

/** What `messages --phone` found for a number as the investigator typed it. */
export type PhoneLookup =
  | { kind: 'found'; rowids: number[]; numbers: string[] }
  /** A national number, no --region, and no export of the case has a region to read it with. */
  | { kind: 'needs-region' }
  /** Not a phone number under any region that applies. */
  | { kind: 'unreadable' };

/**
 * Messages mentioning a number written any way. A number with '+' (or '00', '8 10') is one E.164.
 * A national number ('8 928 123-45-67') is read with `region` when given; otherwise with each
 * export's own recorded region (--region, threatlens.json or inferred at ingest), and matched in
 * that export only, exactly as the export's own numbers were read. Throws a RangeError for an
 * unknown region.
 */
export function lookUpWrittenNumber(handle: CaseHandle, written: string, region: string | null): PhoneLookup {
  const international = normalizePhone(written, { region: null });
  if (international !== null || region !== null) {
    const fact = international ?? normalizePhone(written, { region });
    return fact === null ? { kind: 'unreadable' } : { kind: 'found', rowids: messagesMentioning(handle, fact.e164), numbers: [fact.e164] };
  }
  const regions = handle.db
    .prepare('SELECT DISTINCT region FROM exports WHERE region IS NOT NULL ORDER BY region')
    .pluck()
    .all() as string[];
  if (regions.length === 0) return { kind: 'needs-region' };
  const inExports = handle.db.prepare(
    `SELECT DISTINCT mp.message_rowid FROM message_phones mp JOIN messages m ON m.rowid = mp.message_rowid JOIN exports e ON e.id = m.export_id
     WHERE mp.e164 = ? AND mp.role IN ('text', 'entity', 'contact') AND e.region = ?`,
  );
  const rowids = new Set<number>();
  const numbers = new Set<string>();
  for (const r of regions) {
    const fact = normalizePhone(written, { region: r });
    if (fact === null) continue;
    numbers.add(fact.e164);
    for (const rowid of inExports.pluck().all(fact.e164, r) as number[]) rowids.add(rowid);
  }
  if (numbers.size === 0) return { kind: 'unreadable' };
  return { kind: 'found', rowids: [...rowids].sort((a, b) => a - b), numbers: [...numbers].sort() };
}
