// The review use case: an analyst confirms or rejects a link between two sender identities, or a
// whole cluster of the latest run, with a note; lists decisions; withdraws one. Every later
// clustering applies the decisions in force (attribution/cluster.ts).
import type { CaseHandle } from '../store/case.js';
import { addDecision, decisionById, latestRunClusters, listDecisions, withdrawDecision, type DecisionRecord } from '../store/decisions.js';
import { examinerFor } from '../store/custody.js';
import { UsageError } from '../util/errors.js';

export type Verdict = 'confirm' | 'reject';

/** What is decided on: a link between two identities, or a cluster of the latest run. */
export type ReviewTarget = { kind: 'link'; a: string; b: string } | { kind: 'cluster'; id: string };

/** `C-…` alone is a cluster; two keys are a link. */
export function reviewTarget(first: string, second: string | undefined): ReviewTarget {
  if (second === undefined) {
    if (/^C-[0-9a-f]{10}$/.test(first)) return { kind: 'cluster', id: first };
    throw new UsageError(
      `"${first}" is not a cluster id, and a link needs two sender keys`,
      'give a cluster id as `threatlens cluster` prints it (C-7072ff5aaa), or two sender keys (telegram:user5012345678 phone:+79281234567)',
    );
  }
  if (first === second) throw new UsageError(`a link needs two different sender keys, not "${first}" twice`);
  return { kind: 'link', a: first, b: second };
}

function senderExists(handle: CaseHandle, key: string): boolean {
  return handle.db.prepare('SELECT 1 FROM messages WHERE sender_key = ? LIMIT 1').get(key) !== undefined;
}

/** Records the analyst's decision on `target`; refuses one already in force, or its opposite. */
export function decide(handle: CaseHandle, verdict: Verdict, target: ReviewTarget, note: string | null): DecisionRecord {
  let keys: string[];
  if (target.kind === 'link') {
    for (const key of [target.a, target.b]) {
      if (!senderExists(handle, key)) {
        throw new UsageError(`no sender "${key}" in this case`, 'use the keys `threatlens senders --case DIR` lists (telegram:user…, phone:+…, name:…)');
      }
    }
    keys = [target.a, target.b].sort();
  } else {
    const members = latestRunClusters(handle).get(target.id);
    if (members === undefined) {
      throw new UsageError(
        `no cluster ${target.id} in the latest clustering run of this case`,
        'run `threatlens cluster --case DIR` and take the id it prints (an id changes when its members do)',
      );
    }
    keys = [...members].sort();
  }
  const same = listDecisions(handle, { inForce: true }).find((d) => d.keys.length === keys.length && d.keys.every((k, i) => k === keys[i]));
  if (same !== undefined) {
    throw new UsageError(
      same.verdict === verdict
        ? `already decided: decision #${same.id} (${same.verdict}, ${same.decidedAt.slice(0, 10)}) is in force for ${keys.join(' ')}`
        : `decision #${same.id} ${same.verdict === 'confirm' ? 'confirmed' : 'rejected'} ${keys.join(' ')}; withdraw it first`,
      same.verdict === verdict ? null : `threatlens review withdraw ${same.id} --case DIR --note "why"`,
    );
  }
  return addDecision(handle, {
    verdict,
    subject: target.kind,
    clusterId: target.kind === 'cluster' ? target.id : null,
    keys,
    note,
    examiner: examinerFor(handle.db),
  });
}

/** Withdraws decision `id` (kept in the case, marked withdrawn). */
export function withdraw(handle: CaseHandle, id: number): DecisionRecord {
  const found = decisionById(handle, id);
  if (found === null) throw new UsageError(`no decision #${id} in this case`, '`threatlens review list --case DIR` lists them');
  if (found.withdrawnAt !== null) throw new UsageError(`decision #${id} was withdrawn already (${found.withdrawnAt.slice(0, 10)})`);
  return withdrawDecision(handle, id, examinerFor(handle.db));
}
