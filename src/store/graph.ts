// What the full graph of a clustering adds around the sender identities (cluster --graph full): the
// victims each identity wrote to, the phone numbers it wrote or was known by, the images it sent.
// Counted from the case, for the identities the graph shows.
import type { CaseHandle } from './case.js';
import type { EntityEdge } from '../model.js';

export function entityEdges(handle: CaseHandle, keys: ReadonlySet<string>): EntityEdge[] {
  const db = handle.db;
  const list = JSON.stringify([...keys].sort());
  const edges: EntityEdge[] = [];
  for (const r of db
    .prepare(
      `SELECT sender_key AS k, victim AS v, count(*) AS n FROM messages WHERE sender_key IN (SELECT value FROM json_each(?))
       AND (outgoing IS NULL OR outgoing = 0) GROUP BY sender_key, victim ORDER BY sender_key, victim`,
    )
    .all(list) as { k: string; v: string; n: number }[]) {
    edges.push({ from: r.k, to: `victim:${r.v}`, kind: 'victim', relation: 'wrote to', count: r.n, label: r.v });
  }
  for (const r of db
    .prepare(
      `SELECT m.sender_key AS k, p.e164 AS e, count(DISTINCT m.rowid) AS n FROM message_phones p JOIN messages m ON m.rowid = p.message_rowid
       WHERE m.sender_key IN (SELECT value FROM json_each(?)) AND p.role != 'sender' GROUP BY m.sender_key, p.e164 ORDER BY m.sender_key, p.e164`,
    )
    .all(list) as { k: string; e: string; n: number }[]) {
    edges.push({ from: r.k, to: `number:${r.e}`, kind: 'number', relation: 'mentions', count: r.n, label: r.e });
  }
  for (const r of db
    .prepare(
      `SELECT m.sender_key AS k, mm.sha256 AS s, count(DISTINCT m.rowid) AS n, min(mm.name) AS name FROM message_media mm JOIN messages m ON m.rowid = mm.message_rowid
       WHERE m.sender_key IN (SELECT value FROM json_each(?)) AND mm.sha256 IS NOT NULL AND mm.note IS NULL
         AND mm.sha256 IN (SELECT sha256 FROM media_facts)
       GROUP BY m.sender_key, mm.sha256 ORDER BY m.sender_key, mm.sha256`,
    )
    .all(list) as { k: string; s: string; n: number; name: string }[]) {
    edges.push({ from: r.k, to: `image:${r.s}`, kind: 'image', relation: 'sent', count: r.n, label: `${r.name} (${r.s.slice(0, 12)})` });
  }
  return edges;
}
