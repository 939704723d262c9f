// Reading the case back into the shared model. Every listing has a deterministic order, so the
// same case always prints the same bytes.
import type { CaseHandle } from './case.js';
import type { CaseOverview, ExportSummary, MediaRef, Message, MessageKind, Platform, SenderSummary, SourceRef, TimeInfo, TimelinePoint } from '../model.js';

export interface MessageFilter {
  /** A sender key (`telegram:user1`, `phone:+7…`), or part of a sender name (case-insensitive). */
  sender?: string;
  victim?: string;
  /** telegram, whatsapp, signal… */
  platform?: string;
  /** ISO instants, inclusive lower and exclusive upper bound. */
  since?: string;
  until?: string;
  /** JavaScript regular expression matched against the text. */
  grep?: string;
  /** --grep case-insensitive, on the text and on its folded form too (searchFold). */
  grepFolded?: boolean;
  /** Full-text query (FTS5 MATCH syntax, already built). */
  match?: string;
  /** Restrict to these message rowids (built by other stages, e.g. phone lookups). */
  rowids?: number[];
  limit?: number;
}

interface MessageRow {
  rowid: number;
  id: string;
  platform: string;
  kind: string;
  chat_id: string;
  chat_name: string;
  victim: string;
  sender_key: string | null;
  sender_name: string | null;
  sender_raw: string | null;
  sender_phone: string | null;
  outgoing: number | null;
  sent_at: string | null;
  sent_at_local: string | null;
  time_basis: string;
  time_zone: string | null;
  edited: number;
  edited_at: string | null;
  text: string;
  forwarded: number;
  forwarded_from: string | null;
  reply_to: string | null;
  action: string | null;
  extra: string | null;
  src_file: string;
  src_sha256: string;
  src_entry: string | null;
  src_entry_sha256: string | null;
  src_line: number | null;
  src_offset: number | null;
  src_length: number | null;
  src_message_id: string | null;
}

interface MediaRow {
  message_rowid: number;
  kind: string;
  name: string;
  path: string | null;
  sha256: string | null;
  size: number | null;
  missing: string | null;
  mime: string | null;
  note: string | null;
}

/** The one message order: time (unknown times last), then source file and position. */
export const MESSAGE_ORDER =
  'm.sent_at IS NULL, m.sent_at, m.src_sha256, m.src_entry, m.src_offset, m.src_line, m.id';

function buildWhere(filter: MessageFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.sender !== undefined) {
    clauses.push('(m.sender_key = ? OR instr(lower(m.sender_name), lower(?)) > 0 OR m.sender_phone = ?)');
    params.push(filter.sender, filter.sender, filter.sender);
  }
  if (filter.victim !== undefined) {
    clauses.push('m.victim = ?');
    params.push(filter.victim);
  }
  if (filter.platform !== undefined) {
    clauses.push('m.platform = ?');
    params.push(filter.platform);
  }
  if (filter.since !== undefined) {
    clauses.push('m.sent_at >= ?');
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    clauses.push('m.sent_at < ?');
    params.push(filter.until);
  }
  if (filter.grep !== undefined) {
    clauses.push(filter.grepFolded === true ? 'threatlens_grep_folded(?, m.text, m.search_folded)' : 'm.text REGEXP ?');
    params.push(filter.grep);
  }
  if (filter.match !== undefined) {
    clauses.push('m.rowid IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)');
    params.push(filter.match);
  }
  if (filter.rowids !== undefined) {
    clauses.push(`m.rowid IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(filter.rowids));
  }
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/**
 * The messages a filter keeps, as a condition on a query over messages aliased `alias`:
 * ` AND alias.rowid IN (…)`, or '' when the filter keeps every message. Listings (senders, phones,
 * media) and the clustering take their messages through it, as `messages` does.
 */
export function messageScope(filter: MessageFilter | undefined, alias: string): { sql: string; params: unknown[] } {
  if (filter === undefined) return { sql: '', params: [] };
  const { where, params } = buildWhere(filter);
  if (where === '') return { sql: '', params: [] };
  return { sql: ` AND ${alias}.rowid IN (SELECT m.rowid FROM messages m ${where})`, params };
}

/** Whether a filter keeps only some messages. */
export function isScoped(filter: MessageFilter | undefined): boolean {
  return messageScope(filter, 'm').sql !== '';
}

/** The ids of the messages a filter keeps (for scoping what is keyed by message id). */
export function messageIdsIn(handle: CaseHandle, filter: MessageFilter): Set<string> {
  const { where, params } = buildWhere(filter);
  return new Set(handle.db.prepare(`SELECT m.id FROM messages m ${where}`).pluck().all(...params) as string[]);
}

const HYDRATE_BATCH = 500;

/**
 * Messages matching the filter, in the canonical order, read in batches so that listing a case of
 * millions of messages keeps memory flat.
 */
export function* iterateMessages(handle: CaseHandle, filter: MessageFilter = {}): Generator<Message> {
  const { where, params } = buildWhere(filter);
  const limit = filter.limit !== undefined ? `LIMIT ${Math.max(0, Math.floor(filter.limit))}` : '';
  const rowids = handle.db
    .prepare(`SELECT m.rowid FROM messages m ${where} ORDER BY ${MESSAGE_ORDER} ${limit}`)
    .pluck()
    .all(...params) as number[];
  const select = handle.db.prepare('SELECT m.* FROM messages m WHERE m.rowid IN (SELECT value FROM json_each(?))');
  for (let i = 0; i < rowids.length; i += HYDRATE_BATCH) {
    const batch = rowids.slice(i, i + HYDRATE_BATCH);
    const byRowid = new Map((select.all(JSON.stringify(batch)) as MessageRow[]).map((r) => [r.rowid, r]));
    yield* hydrate(handle, batch.map((rowid) => byRowid.get(rowid)!));
  }
}

export function listMessages(handle: CaseHandle, filter: MessageFilter = {}): Message[] {
  return Array.from(iterateMessages(handle, filter));
}

/** Messages that share a place (a location the chat shows on a map), in the canonical order. */
export function locationMessages(handle: CaseHandle): Message[] {
  const rowids = handle.db.prepare("SELECT rowid FROM messages WHERE extra IS NOT NULL AND json_extract(extra, '$.location') IS NOT NULL").pluck().all() as number[];
  return rowids.length === 0 ? [] : [...iterateMessages(handle, { rowids })];
}

/** The messages with a known instant that these senders wrote, oldest first (for timelines). */
export function senderTimeline(handle: CaseHandle, senders: readonly string[]): TimelinePoint[] {
  return handle.db
    .prepare(
      `SELECT id, sent_at AS at, victim, sender_key AS sender FROM messages
       WHERE sender_key IN (SELECT value FROM json_each(?)) AND sent_at IS NOT NULL AND (outgoing IS NULL OR outgoing = 0)
       ORDER BY sent_at, id`,
    )
    .all(JSON.stringify(senders)) as TimelinePoint[];
}

/** Messages by case-wide id, in the canonical order (unknown ids are skipped). */
export function messagesById(handle: CaseHandle, ids: string[]): Message[] {
  const rows = handle.db
    .prepare(`SELECT m.* FROM messages m WHERE m.id IN (SELECT value FROM json_each(?)) ORDER BY ${MESSAGE_ORDER}`)
    .all(JSON.stringify(ids)) as MessageRow[];
  return hydrate(handle, rows);
}

function hydrate(handle: CaseHandle, rows: MessageRow[]): Message[] {
  if (rows.length === 0) return [];
  const mediaRows = handle.db
    .prepare(
      `SELECT message_rowid, kind, name, path, sha256, size, missing, mime, note FROM message_media
       WHERE message_rowid IN (SELECT value FROM json_each(?)) ORDER BY message_rowid, ord`,
    )
    .all(JSON.stringify(rows.map((r) => r.rowid))) as MediaRow[];
  const media = new Map<number, MediaRef[]>();
  for (const r of mediaRows) {
    const list = media.get(r.message_rowid) ?? [];
    const ref: MediaRef = {
      kind: r.kind as MediaRef['kind'],
      name: r.name,
      path: r.path,
      sha256: r.sha256,
      size: r.size,
      missing: r.missing,
      mime: r.mime,
    };
    if (r.note !== null) ref.note = r.note as NonNullable<MediaRef['note']>;
    list.push(ref);
    media.set(r.message_rowid, list);
  }
  const phones = phonesByMessage(handle, rows.map((r) => r.rowid));
  const sources = laterSources(handle, rows.map((r) => r.rowid));
  return rows.map((r) => rowToMessage(r, media.get(r.rowid) ?? [], phones.get(r.rowid) ?? [], sources.get(r.rowid) ?? []));
}

interface SourceRow {
  message_rowid: number;
  src_file: string;
  src_sha256: string;
  src_entry: string | null;
  src_entry_sha256: string | null;
  src_line: number | null;
  src_offset: number | null;
  src_length: number | null;
  src_message_id: string | null;
}

function sourceOf(r: Omit<SourceRow, 'message_rowid'>): SourceRef {
  const source: SourceRef = { file: r.src_file, sha256: r.src_sha256 };
  if (r.src_entry !== null) source.entry = r.src_entry;
  if (r.src_entry_sha256 !== null) source.entrySha256 = r.src_entry_sha256;
  if (r.src_line !== null) source.line = r.src_line;
  if (r.src_offset !== null) source.offset = r.src_offset;
  if (r.src_length !== null) source.length = r.src_length;
  if (r.src_message_id !== null) source.messageId = r.src_message_id;
  return source;
}

/** The further sources of each message (exports that held it again), in the order they were taken in. */
function laterSources(handle: CaseHandle, rowids: number[]): Map<number, SourceRef[]> {
  const out = new Map<number, SourceRef[]>();
  const rows = handle.db
    .prepare(
      `SELECT message_rowid, src_file, src_sha256, src_entry, src_entry_sha256, src_line, src_offset, src_length, src_message_id
       FROM message_sources WHERE message_rowid IN (SELECT value FROM json_each(?)) ORDER BY message_rowid, export_id, src_offset`,
    )
    .all(JSON.stringify(rowids)) as SourceRow[];
  for (const r of rows) {
    const list = out.get(r.message_rowid) ?? [];
    list.push(sourceOf(r));
    out.set(r.message_rowid, list);
  }
  return out;
}

/** E.164 numbers each message mentions (in its text, a phone entity or a shared contact). */
function phonesByMessage(handle: CaseHandle, rowids: number[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const rows = handle.db
    .prepare(
      `SELECT DISTINCT message_rowid, e164 FROM message_phones
       WHERE message_rowid IN (SELECT value FROM json_each(?)) AND role IN ('text', 'entity', 'contact') ORDER BY message_rowid, e164`,
    )
    .all(JSON.stringify(rowids)) as { message_rowid: number; e164: string }[];
  for (const r of rows) {
    const list = out.get(r.message_rowid) ?? [];
    list.push(r.e164);
    out.set(r.message_rowid, list);
  }
  return out;
}

function rowToMessage(r: MessageRow, media: MediaRef[], phones: string[], later: SourceRef[]): Message {
  const extra = r.extra ? (JSON.parse(r.extra) as Record<string, unknown>) : {};
  const time: TimeInfo = {
    utc: r.sent_at,
    local: r.sent_at_local,
    basis: r.time_basis as TimeInfo['basis'],
    zone: r.time_zone,
  };
  const source = sourceOf(r);
  return {
    id: r.id,
    platform: r.platform as Platform,
    kind: r.kind as MessageKind,
    chat: { id: r.chat_id, name: r.chat_name },
    victim: r.victim,
    sender:
      r.sender_key === null
        ? null
        : { key: r.sender_key, name: r.sender_name ?? '', raw: r.sender_raw, phone: r.sender_phone },
    outgoing: r.outgoing === null ? null : r.outgoing === 1,
    time,
    edited: r.edited === 1,
    editedAt: r.edited_at,
    text: r.text,
    markedPhones: (extra.markedPhones as string[] | undefined) ?? [],
    links: (extra.links as Message['links'] | undefined) ?? [],
    media,
    forwarded: r.forwarded === 1,
    forwardedFrom: r.forwarded_from,
    replyTo: r.reply_to,
    action: r.action,
    location: (extra.location as Message['location']) ?? null,
    contact: (extra.contact as Message['contact']) ?? null,
    source,
    sources: [source, ...later],
    phones,
  };
}

interface SenderRow {
  key: string;
  platform: string;
  messages: number;
  first_seen: string | null;
  last_seen: string | null;
  names: string;
  phones: string | null;
  victims: string;
  deleted: number;
}

/**
 * One row per sender identity with its names, phones, message count, victims reached and first
 * and last message. `selfOf` lists the victims whose own account this identity is;
 * `deletedAccount` says some export showed it as a deleted account (no name at all: raw null).
 */
export function listSenders(handle: CaseHandle, filter?: MessageFilter): (SenderSummary & { selfOf: string[]; deletedAccount: boolean })[] {
  const scope = messageScope(filter, 'm');
  const rows = handle.db
    .prepare(
      `SELECT m.sender_key AS key, min(m.platform) AS platform, count(*) AS messages,
              min(m.sent_at) AS first_seen, max(m.sent_at) AS last_seen,
              json_group_array(DISTINCT m.sender_name) AS names,
              json_group_array(DISTINCT m.sender_phone) FILTER (WHERE m.sender_phone IS NOT NULL) AS phones,
              json_group_array(DISTINCT m.victim) AS victims,
              max(m.sender_raw IS NULL AND ifnull(m.sender_name, '') = '') AS deleted
       FROM messages m WHERE m.sender_key IS NOT NULL${scope.sql}
       GROUP BY m.sender_key
       ORDER BY count(*) DESC, m.sender_key`,
    )
    .all(...scope.params) as SenderRow[];
  // Whose own account each identity is: the owner of an export, or the writer of outgoing messages,
  // over the whole case whatever the filter. Read once (a subquery per sender scanned the exports
  // for each: minutes for 50,000 senders and 38,000 exports).
  const selfOf = new Map<string, Set<string>>();
  const own = handle.db.prepare(
    `SELECT owner_key AS key, victim FROM exports WHERE owner_key IS NOT NULL
     UNION SELECT sender_key, victim FROM messages WHERE outgoing = 1 AND sender_key IS NOT NULL`,
  );
  for (const { key, victim } of own.all() as { key: string; victim: string }[]) {
    let victims = selfOf.get(key);
    if (victims === undefined) selfOf.set(key, (victims = new Set()));
    victims.add(victim);
  }
  const sorted = (json: string | null): string[] =>
    json === null ? [] : (JSON.parse(json) as (string | null)[]).filter((x): x is string => x !== null && x !== '').sort();
  return rows.map((r) => ({
    key: r.key,
    platform: r.platform as Platform,
    names: sorted(r.names),
    phones: sorted(r.phones),
    messages: r.messages,
    victims: sorted(r.victims),
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    selfOf: [...(selfOf.get(r.key) ?? [])].filter((v) => v !== '').sort(),
    deletedAccount: r.deleted === 1,
  }));
}

export function caseOverview(handle: CaseHandle): CaseOverview {
  const db = handle.db;
  const exports = (
    db
      .prepare(
        `SELECT e.path, e.sha256, e.size, e.reader, e.platform, e.victim, e.messages, e.facts,
                e.region, e.region_source AS regionSource,
                (SELECT count(*) FROM chats c WHERE c.export_id = e.id) AS chats
         FROM exports e ORDER BY e.path, e.sha256`,
      )
      .all() as (Omit<ExportSummary, 'facts'> & { facts: string })[]
  ).map((e) => ({ ...e, facts: JSON.parse(e.facts) as Record<string, string> }));
  const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  const groupCount = (sql: string): Record<string, number> =>
    Object.fromEntries((db.prepare(sql).all() as { k: string; n: number }[]).map((r) => [r.k, r.n]));
  const range = db.prepare('SELECT min(sent_at) AS first, max(sent_at) AS last FROM messages').get() as {
    first: string | null;
    last: string | null;
  };
  return {
    exports,
    evidenceFiles: count('SELECT count(*) AS n FROM evidence'),
    chats: count('SELECT count(*) AS n FROM (SELECT DISTINCT id FROM chats)'),
    messages: count('SELECT count(*) AS n FROM messages'),
    messagesByPlatform: groupCount('SELECT platform AS k, count(*) AS n FROM messages GROUP BY platform ORDER BY platform'),
    senders: count('SELECT count(DISTINCT sender_key) AS n FROM messages'),
    victims: (db.prepare('SELECT DISTINCT victim FROM exports ORDER BY victim').all() as { victim: string }[]).map(
      (r) => r.victim,
    ),
    firstMessage: range.first,
    lastMessage: range.last,
    timeBases: groupCount('SELECT time_basis AS k, count(*) AS n FROM messages GROUP BY time_basis ORDER BY time_basis'),
    warnings: db
      .prepare('SELECT file, line, offset, code, message FROM warnings ORDER BY file, line, offset, code, message')
      .all() as CaseOverview['warnings'],
    messagesWithSeveralSources: count('SELECT count(DISTINCT message_rowid) AS n FROM message_sources'),
    rejected: db
      .prepare("SELECT path, sha256, reason FROM rejections ORDER BY path, ifnull(sha256, ''), reason")
      .all() as CaseOverview['rejected'],
  };
}
