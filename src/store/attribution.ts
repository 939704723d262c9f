// Reading the case into the attribution model, and recording clustering runs.
import { recordChange } from './custody.js';
import { VIDEO_FORMATS } from '../media/types.js';
import type { CaseHandle } from './case.js';
import { listSenders, messageScope, type MessageFilter } from './query.js';
import { listDecisions } from './decisions.js';
import type { AccountLink, AttributionInput, AttributionMedia, AttributionMessage, Identity } from '../attribution/types.js';
import { DEFAULT_PARAMS } from '../attribution/params.js';
import type { LinkRef, MediaKind, MessageKind, Platform } from '../model.js';
import { accountIds } from '../readers/registry.js';
import { TOOL } from '../version.js';

/** A message row as read (raw): rowid, id, sender_key, victim, sent_at, kind, text, forwarded, and extra (JSON) when the message has link targets. */
type MessageRow = [number, string, string, string, string | null, string, string, number, string | null];

/**
 * Everything clustering needs, in the canonical message order. Numbers of the `excludedPhoneTypes`
 * (public hotlines, premium and shared-cost lines) are left out of the numbers found in messages.
 */
export function loadAttributionInput(
  handle: CaseHandle,
  excludedPhoneTypes: readonly string[] = DEFAULT_PARAMS.excludedPhoneTypes,
  filter?: MessageFilter,
): AttributionInput {
  // One read transaction: every query sees the same case, whatever another process commits meanwhile.
  return handle.db.transaction(() => readAttributionInput(handle, excludedPhoneTypes, filter))();
}

function readAttributionInput(handle: CaseHandle, excludedPhoneTypes: readonly string[], filter: MessageFilter | undefined): AttributionInput {
  const db = handle.db;
  const scope = messageScope(filter, 'messages');
  const identities: Identity[] = listSenders(handle, filter).map((s) => ({
    key: s.key,
    platform: s.platform,
    names: s.names,
    phones: s.phones,
    messages: s.messages,
    victims: s.victims,
    firstSeen: s.firstSeen,
    lastSeen: s.lastSeen,
    selfOf: s.selfOf,
  }));

  const phones = new Map<number, string[]>();
  for (const r of db
    .prepare(
      // Public service numbers (toll-free hotlines, premium and shared-cost lines) are written by
      // everyone who reads a poster or a news post: they identify no one.
      `SELECT DISTINCT mp.message_rowid, mp.e164 FROM message_phones mp JOIN phones p ON p.e164 = mp.e164
       WHERE mp.role IN ('text', 'entity', 'contact')
         AND coalesce(p.type, '') NOT IN (SELECT value FROM json_each(?))
       ORDER BY mp.message_rowid, mp.e164`,
    )
    .all(JSON.stringify(excludedPhoneTypes)) as { message_rowid: number; e164: string }[]) {
    const list = phones.get(r.message_rowid);
    if (list) list.push(r.e164);
    else phones.set(r.message_rowid, [r.e164]);
  }
  const media = new Map<number, AttributionMedia[]>();
  // An attachment with a note (an archive entry failing its CRC-32 check, one of several entries of
  // the name the message gives) is not known to be the file that was sent: its hash, picture and
  // camera link it to nothing.
  for (const r of db
    .prepare(
      `SELECT mm.message_rowid, mm.sha256, mm.kind, h.hash AS phash, v.hash AS frames, f.format, f.serial, f.make, f.model
       FROM message_media mm LEFT JOIN media_facts f ON f.sha256 = mm.sha256
       LEFT JOIN media_hashes h ON h.sha256 = mm.sha256 AND h.kind = 'phash64'
       LEFT JOIN media_hashes v ON v.sha256 = mm.sha256 AND v.kind = 'vframes'
       WHERE mm.sha256 IS NOT NULL AND mm.note IS NULL ORDER BY mm.message_rowid, mm.ord`,
    )
    .all() as {
    message_rowid: number;
    sha256: string;
    kind: string;
    phash: string | null;
    frames: string | null;
    format: string | null;
    serial: string | null;
    make: string | null;
    model: string | null;
  }[]) {
    const list = media.get(r.message_rowid) ?? [];
    list.push({
      sha256: r.sha256,
      kind: r.kind as MediaKind,
      // A video by its bytes when its facts were read, else by what the message called it.
      video: r.format !== null ? VIDEO_FORMATS.has(r.format) : r.kind === 'video' || r.kind === 'video-note',
      phash: r.phash,
      frames: r.frames,
      serial: r.serial,
      camera: r.make || r.model ? [r.make, r.model].filter(Boolean).join(' ') : null,
    });
    media.set(r.message_rowid, list);
  }

  // Rows as arrays, one at a time, each made into its message at once: a million rows held as
  // objects beside the messages made of them kept the garbage collector busy for seconds.
  const rows = db
    .prepare(
      `SELECT rowid, id, sender_key, victim, sent_at, kind, text, forwarded, CASE WHEN link_targets != '' THEN extra END AS link_extra
       FROM messages WHERE sender_key IS NOT NULL${scope.sql}
       ORDER BY sent_at IS NULL, sent_at, src_sha256, src_entry, src_offset, src_line, id`,
    )
    .raw(true);
  const messages: AttributionMessage[] = [];
  for (const row of rows.iterate(...scope.params) as IterableIterator<MessageRow>) {
    const [rowid, id, sender, victim, sentAt, kind, text, forwarded, linkExtra] = row;
    messages.push({
      id,
      sender,
      victim,
      at: sentAt === null ? null : Date.parse(sentAt),
      kind: kind as MessageKind,
      text,
      forwarded: forwarded === 1,
      phones: phones.get(rowid) ?? [],
      media: media.get(rowid) ?? [],
      links: linkExtra === null ? [] : ((JSON.parse(linkExtra) as { links?: LinkRef[] }).links ?? []),
    });
  }

  // Same account: an address book (Telegram contacts.list) ties an account id to a phone number; the
  // platform's readers say how its ids become keys (readers/registry.ts accountIds).
  const known = new Set(identities.map((i) => i.key));
  const accountLinks: AccountLink[] = [];
  for (const c of db
    .prepare(
      `SELECT c.platform_id, c.e164, c.name, c.src_offset, e.path, e.platform FROM contacts c JOIN exports e ON e.id = c.export_id
       WHERE c.platform_id IS NOT NULL AND c.e164 IS NOT NULL ORDER BY e.path, c.src_offset`,
    )
    .all() as { platform_id: string; e164: string; name: string; src_offset: number | null; path: string; platform: Platform }[]) {
    const ids = accountIds(c.platform);
    if (ids === undefined) continue;
    const a = `${ids.keyPrefix}${c.platform_id}`;
    const b = `phone:${c.e164}`;
    if (!known.has(a) || !known.has(b)) continue;
    accountLinks.push({
      a,
      b,
      detail: `address book entry "${c.name}" gives ${ids.label} account ${c.platform_id} the number ${c.e164}`,
      refs: [`${c.path}${c.src_offset !== null ? `@${c.src_offset}` : ''}`],
    });
  }
  return { identities, messages, accountLinks, decisions: listDecisions(handle, { inForce: true }) };
}

export interface RunRecord {
  params: unknown;
  /** What the parameters do not say: normalization data, formulas, fixed rules (see methodOf). */
  method: unknown;
  stats: Record<string, number>;
  result: unknown;
}

const json = (value: unknown): string => JSON.stringify(value, (_k, v) => (v === Infinity ? 'Infinity' : v));

/** The exports a run reads (path, SHA-256), as recorded. */
function runInputs(handle: CaseHandle): string {
  return JSON.stringify(handle.db.prepare('SELECT path, sha256 FROM exports ORDER BY path, sha256').all());
}

/** Records a clustering run in the case's run manifest; returns its id. */
export function recordRun(handle: CaseHandle, kind: string, run: RunRecord): number {
  return handle.db.transaction(() => {
    recordChange(handle.db);
    return insertRun(handle, kind, run);
  })();
}

function insertRun(handle: CaseHandle, kind: string, run: RunRecord): number {
  return Number(
    handle.db
      .prepare('INSERT INTO runs (kind, started_at, tool, params, inputs, stats, result, method) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(
        kind,
        new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        TOOL,
        json(run.params),
        runInputs(handle),
        JSON.stringify(run.stats),
        JSON.stringify(run.result),
        json(run.method),
      ).lastInsertRowid,
  );
}

/** The latest recorded run of a kind, and whether it read the same exports with the same parameters and method. */
export function latestRun(handle: CaseHandle, kind: string, params: unknown, method: unknown): { id: number; same: boolean } | null {
  const row = handle.db
    .prepare('SELECT id, tool, params, inputs, method FROM runs WHERE kind = ? ORDER BY id DESC LIMIT 1')
    .get(kind) as { id: number; tool: string; params: string; inputs: string; method: string } | undefined;
  if (!row) return null;
  return { id: row.id, same: row.tool === TOOL && row.params === json(params) && row.inputs === runInputs(handle) && row.method === json(method) };
}
