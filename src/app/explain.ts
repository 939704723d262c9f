// The explain use case: why threatlens links identities. The case is clustered again with the
// given parameters and nothing is recorded; the result says whether the latest recorded `cluster`
// run used the same exports, parameters and method (its cluster ids may differ otherwise).
import { accountPair, insideAccount } from '../attribution/cluster.js';
import { clusteringMethod } from '../attribution/method.js';
import type { Cluster, ClusterParams, ClusterResult, Identity, PairScore } from '../attribution/types.js';
import type { Message } from '../model.js';
import { latestRun } from '../store/attribution.js';
import type { CaseHandle } from '../store/case.js';
import { messagesById } from '../store/query.js';
import { UsageError } from '../util/errors.js';
import { clusterCase } from './cluster.js';

/** How this explanation relates to the runs recorded in the case. */
export interface RunNote {
  /** Always false: explain records nothing. */
  recorded: false;
  latestClusterRun: number | null;
  sameAsLatestRun: boolean;
}

interface Common {
  run: RunNote;
  result: ClusterResult;
  identities: Map<string, Identity>;
  /** The messages the evidence cites, by id. */
  messages: Map<string, Message>;
}

export type Explanation =
  | (Common & { kind: 'cluster'; cluster: Cluster })
  | (Common & { kind: 'link'; keys: [string, string]; pair: PairScore; together: Cluster | null });

/**
 * The evidence ledger of cluster `id` (a cluster id, or a member's key), or with `other`, of the link
 * between the accounts of two sender keys exactly as the clustering scored it, joined or not.
 */
export function explain(handle: CaseHandle, params: ClusterParams, id: string, other: string | null): Explanation {
  const { result, identities } = clusterCase(handle, params, { record: false });
  const recorded = latestRun(handle, 'cluster', params, clusteringMethod());
  const run: RunNote = { recorded: false, latestClusterRun: recorded?.id ?? null, sameAsLatestRun: recorded?.same ?? false };
  const messagesFor = (refs: string[]): Map<string, Message> => new Map(messagesById(handle, refs).map((m) => [m.id, m]));
  if (other === null) {
    const cluster = result.clusters.find((c) => c.id === id) ?? result.clusters.find((c) => c.members.includes(id));
    if (!cluster) {
      throw new UsageError(
        `no cluster "${id}" in this case`,
        result.clusters.length > 0 ? `clusters now: ${result.clusters.map((c) => c.id).join(', ')}` : 'the case has no clusters; try `explain KEY KEY` for two identities',
      );
    }
    const messages = messagesFor(cluster.links.flatMap((l) => l.evidence.flatMap((e) => e.refs)));
    return { kind: 'cluster', run, result, identities, messages, cluster };
  }
  for (const key of [id, other]) {
    const identity = identities.get(key);
    if (!identity) throw new UsageError(`no sender "${key}" in this case`, 'sender keys are listed by `threatlens senders`');
    if (identity.selfOf.length > 0) throw new UsageError(`${key} is the victim's own account (${identity.selfOf.join(', ')}); victims are not clustered`);
  }
  if (id === other) throw new UsageError('explain KEY KEY needs two different sender keys');
  // The link between the two accounts, exactly as the clustering scored it; for two identities
  // of one account, the hard link and whatever else they share.
  const pair = accountPair(result, id, other) ?? insideAccount(result, id, other);
  const together = result.clusters.find((c) => c.members.includes(id) && c.members.includes(other)) ?? null;
  const messages = messagesFor(pair.evidence.flatMap((e) => e.refs));
  return { kind: 'link', run, result, identities, messages, keys: [id, other], pair, together };
}
