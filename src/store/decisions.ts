// The analyst's decisions (threatlens review), kept in the case: who decided what, when and why.
// Withdrawn decisions stay, marked, so the record of what was once decided is never lost.
import type { CaseHandle } from './case.js';
import { recordChange } from './custody.js';
import type { AnalystDecision } from '../attribution/types.js';
import { TOOL } from '../version.js';

/** A decision as the case keeps it: in force, or withdrawn (when, by whom). */
export interface DecisionRecord extends AnalystDecision {
  tool: string;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
}

interface DecisionRow {
  id: number;
  verdict: 'confirm' | 'reject';
  subject: 'link' | 'cluster';
  cluster_id: string | null;
  keys: string;
  note: string | null;
  examiner: string | null;
  decided_at: string;
  tool: string;
  withdrawn_at: string | null;
  withdrawn_by: string | null;
}

const recordOf = (r: DecisionRow): DecisionRecord => ({
  id: r.id,
  verdict: r.verdict,
  subject: r.subject,
  clusterId: r.cluster_id,
  keys: JSON.parse(r.keys) as string[],
  note: r.note,
  examiner: r.examiner,
  decidedAt: r.decided_at,
  tool: r.tool,
  withdrawnAt: r.withdrawn_at,
  withdrawnBy: r.withdrawn_by,
});

/** Every decision, oldest first; `inForce` leaves the withdrawn ones out. */
export function listDecisions(handle: CaseHandle, options: { inForce?: boolean } = {}): DecisionRecord[] {
  const where = options.inForce === true ? 'WHERE withdrawn_at IS NULL' : '';
  return (handle.db.prepare(`SELECT * FROM decisions ${where} ORDER BY id`).all() as DecisionRow[]).map(recordOf);
}

export function decisionById(handle: CaseHandle, id: number): DecisionRecord | null {
  const row = handle.db.prepare('SELECT * FROM decisions WHERE id = ?').get(id) as DecisionRow | undefined;
  return row === undefined ? null : recordOf(row);
}

/** Records a decision (logged in the custody log); returns it. */
export function addDecision(handle: CaseHandle, decision: Omit<AnalystDecision, 'id' | 'decidedAt'>): DecisionRecord {
  return handle.db.transaction(() => {
    recordChange(handle.db);
    const id = Number(
      handle.db
        .prepare('INSERT INTO decisions (verdict, subject, cluster_id, keys, note, examiner, decided_at, tool) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(
          decision.verdict,
          decision.subject,
          decision.clusterId,
          JSON.stringify([...decision.keys].sort()),
          decision.note,
          decision.examiner,
          new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          TOOL,
        ).lastInsertRowid,
    );
    return decisionById(handle, id)!;
  })();
}

/** Withdraws a decision in force (logged); returns it as withdrawn. */
export function withdrawDecision(handle: CaseHandle, id: number, examiner: string | null): DecisionRecord {
  return handle.db.transaction(() => {
    recordChange(handle.db);
    handle.db
      .prepare('UPDATE decisions SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? AND withdrawn_at IS NULL')
      .run(new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), examiner, id);
    return decisionById(handle, id)!;
  })();
}

/** The members of each cluster of the latest clustering run over the whole case, by cluster id (empty before any). */
export function latestRunClusters(handle: CaseHandle): Map<string, string[]> {
  const row = handle.db
    .prepare("SELECT result FROM runs WHERE kind = 'cluster' AND json_extract(params, '$.messageFilter') IS NULL ORDER BY id DESC LIMIT 1")
    .get() as { result: string } | undefined;
  if (row === undefined) return new Map();
  const result = JSON.parse(row.result) as { clusters?: { id: string; members: string[] }[] };
  return new Map((result.clusters ?? []).map((c) => [c.id, c.members]));
}
