// Sharing a case's findings safely (threatlens export --pseudonymize): the people who are not
// suspects, the victims, the numbers only they used, chat names and file paths are replaced by
// stable pseudonyms, and the texts of messages that are not evidence are withheld; the suspects and
// their evidence are kept. A pseudonym is an HMAC of the value under a secret kept in the key file
// (kept apart from the export): the same key file gives the same pseudonyms, and without it a
// pseudonym cannot be reversed by trying every phone number.
import { createHmac, randomBytes } from 'node:crypto';
import type { CaseHandle } from '../store/case.js';
import type { ClusterResult } from '../attribution/types.js';

export type PseudonymKind = 'victim' | 'person' | 'phone' | 'chat' | 'file' | 'text';

export interface KeyEntry {
  pseudonym: string;
  kind: PseudonymKind;
  /** The value replaced; for a withheld text, the message id. */
  original: string;
}

/** What the key file holds: the secret behind the pseudonyms, and what each replaced. */
export interface PseudonymKey {
  schema: 'threatlens/pseudonym-key/v1';
  secret: string;
  entries: KeyEntry[];
}

export function newKey(): PseudonymKey {
  return { schema: 'threatlens/pseudonym-key/v1', secret: randomBytes(32).toString('hex'), entries: [] };
}

const PREFIX: Record<PseudonymKind, string> = { victim: 'victim', person: 'person', phone: 'phone', chat: 'chat', file: 'file', text: 'T' };

/** Shortest replaced value: a shorter one would cut through words of the texts that are kept. */
const MIN_LENGTH = 2;

export interface PseudonymPlan {
  /** Suspects kept as they are (cluster members and --suspect). */
  suspects: Set<string>;
  /** Ids of the messages the findings cite: their texts are kept. */
  evidence: Set<string>;
  /** Every value replaced, longest first, with its pseudonym. */
  replacements: Map<string, string>;
  /** Values left because a suspect has them too (a name both use). */
  keptShared: string[];
  /** Replaces every replaced value inside a string. */
  scrub(text: string): string;
  /** The pseudonym of a withheld message text. */
  withheld(messageId: string): string;
  key: PseudonymKey;
}

/**
 * The replacements for this case: victims (labels, owners' names and numbers), every identity that
 * is not a suspect (key, names, raw form, number), the numbers only non-suspects wrote or used, chat
 * names, and every evidence path.
 */
export function pseudonymPlan(handle: CaseHandle, result: ClusterResult, extraSuspects: readonly string[], key: PseudonymKey): PseudonymPlan {
  const db = handle.db;
  const suspects = new Set([...result.clusters.flatMap((c) => c.members), ...extraSuspects]);
  const evidence = new Set<string>();
  for (const link of [...result.clusters.flatMap((c) => c.links), ...result.candidates]) for (const e of link.evidence) for (const ref of e.refs) evidence.add(ref);

  const pseudonymOf = (kind: PseudonymKind, value: string): string =>
    `${PREFIX[kind]}-${createHmac('sha256', key.secret).update(`${kind}\u0000${value}`).digest('hex').slice(0, 10)}`;

  // What suspects show: never replaced (their evidence is kept).
  const suspectValues = new Set<string>();
  const senderRows = db
    .prepare('SELECT DISTINCT sender_key AS k, sender_name AS n, sender_raw AS r, sender_phone AS p FROM messages WHERE sender_key IS NOT NULL')
    .all() as { k: string; n: string | null; r: string | null; p: string | null }[];
  for (const s of senderRows) if (suspects.has(s.k)) for (const v of [s.k, s.n, s.r, s.p]) if (v) suspectValues.add(v);
  // A suspect's account id also names the personal chat with them (telegram:5012345678) and is part
  // of its messages' ids: kept wherever it appears.
  for (const k of suspects) for (const id of k.match(/\d{5,}/g) ?? []) suspectValues.add(id);
  for (const id of db.prepare('SELECT DISTINCT chat_id FROM messages').pluck().all() as string[]) {
    const number = chatNumber(id);
    if (number !== undefined && suspectValues.has(number)) suspectValues.add(id);
  }
  const suspectNumbers = new Set(
    db
      .prepare(
        `SELECT DISTINCT mp.e164 FROM message_phones mp JOIN messages m ON m.rowid = mp.message_rowid
         WHERE m.sender_key IN (SELECT value FROM json_each(?))`,
      )
      .pluck()
      .all(JSON.stringify([...suspects])) as string[],
  );
  for (const s of suspects) if (s.startsWith('phone:')) suspectNumbers.add(s.slice(6));
  for (const n of suspectNumbers) suspectValues.add(n);
  for (const raw of db
    .prepare('SELECT DISTINCT raw FROM message_phones WHERE e164 IN (SELECT value FROM json_each(?))')
    .pluck()
    .all(JSON.stringify([...suspectNumbers])) as string[]) {
    suspectValues.add(raw);
  }

  const replacements = new Map<string, string>();
  const keptShared = new Set<string>();
  const entries = new Map(key.entries.map((e) => [`${e.kind}\u0000${e.original}`, e]));
  const replace = (kind: PseudonymKind, value: string | null, pseudonym?: string): void => {
    if (value === null || value.length < MIN_LENGTH || replacements.has(value)) return;
    if (suspectValues.has(value)) {
      keptShared.add(value);
      return;
    }
    const p = pseudonym ?? pseudonymOf(kind, value);
    replacements.set(value, p);
    if (!entries.has(`${kind}\u0000${value}`)) entries.set(`${kind}\u0000${value}`, { pseudonym: p, kind, original: value });
  };

  // Paths first (they hold victims' folder names and contacts' names: the whole path is one pseudonym).
  for (const path of db.prepare('SELECT DISTINCT path FROM evidence UNION SELECT DISTINCT src_file FROM messages ORDER BY 1').pluck().all() as string[]) {
    const dot = path.lastIndexOf('.');
    const extension = dot > path.lastIndexOf('/') && path.length - dot <= 6 ? path.slice(dot) : '';
    replace('file', path, `${pseudonymOf('file', path)}${extension}`);
  }
  for (const e of db.prepare('SELECT DISTINCT victim, owner_key, owner_name, owner_phone FROM exports').all() as {
    victim: string;
    owner_key: string | null;
    owner_name: string | null;
    owner_phone: string | null;
  }[]) {
    for (const v of [e.victim, e.owner_key, e.owner_name, e.owner_phone]) replace('victim', v);
  }
  for (const s of senderRows) {
    if (suspects.has(s.k)) continue;
    replace('person', s.k);
    for (const v of [s.n, s.r]) replace('person', v);
    replace('phone', s.p);
  }
  for (const r of db.prepare('SELECT DISTINCT e164, raw FROM message_phones ORDER BY e164, raw').all() as { e164: string; raw: string }[]) {
    if (suspectNumbers.has(r.e164)) continue;
    replace('phone', r.e164);
    replace('phone', r.raw);
  }
  for (const c of db.prepare('SELECT DISTINCT name, phone_raw, e164 FROM contacts').all() as { name: string; phone_raw: string; e164: string | null }[]) {
    if (c.e164 !== null && suspectNumbers.has(c.e164)) continue;
    replace('person', c.name);
    replace('phone', c.phone_raw);
    replace('phone', c.e164);
  }
  for (const name of db.prepare('SELECT DISTINCT chat_name FROM messages UNION SELECT DISTINCT name FROM chats').pluck().all() as string[]) replace('chat', name);
  // Chat ids: a personal chat's id is the other person's account id (Telegram), and message ids
  // carry it (tg:<export>:<chat>:<message>): the number itself is replaced wherever it appears.
  for (const id of db.prepare('SELECT DISTINCT chat_id FROM messages ORDER BY 1').pluck().all() as string[]) {
    replace('chat', id);
    const number = chatNumber(id);
    if (number !== undefined) replace('chat', number);
  }

  const ordered = [...replacements.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const pattern = ordered.length === 0 ? null : new RegExp(ordered.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gu');
  const scrub = (text: string): string => (pattern === null ? text : text.replace(pattern, (found) => replacements.get(found)!));
  const withheld = (messageId: string): string => {
    const p = pseudonymOf('text', messageId);
    if (!entries.has(`text\u0000${messageId}`)) entries.set(`text\u0000${messageId}`, { pseudonym: p, kind: 'text', original: messageId });
    return p;
  };
  return {
    suspects,
    evidence,
    replacements: new Map(ordered.map((v) => [v, replacements.get(v)!])),
    keptShared: [...keptShared].sort(),
    scrub,
    withheld,
    get key(): PseudonymKey {
      return { ...key, entries: [...entries.values()].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.pseudonym < b.pseudonym ? -1 : 1)) };
    },
  };
}

/** The platform's number in a chat id (`telegram:5012345678`: the other person's account id in a personal chat). */
function chatNumber(chatId: string): string | undefined {
  return /:(-?\d{5,})$/.exec(chatId)?.[1];
}

/** Every string of a JSON value scrubbed (object keys too). */
export function scrubJson(value: unknown, scrub: (s: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, scrub));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrub(k), scrubJson(v, scrub)]));
  }
  return value;
}

/**
 * The replaced values still found in `text` (none, unless something escaped the scrubbing). The
 * pseudonyms themselves are taken out first: a short value may be part of one (`on` in `person-…`).
 */
export function leftovers(text: string, plan: PseudonymPlan): string[] {
  const bare = text.replace(/\b(?:victim|person|phone|chat|file|T)-[0-9a-f]{10}\b/g, ' ');
  return [...plan.replacements.keys()].filter((v) => bare.includes(v));
}
