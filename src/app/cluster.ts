// The cluster use case, shared by `cluster`, `explain` and `analyze`: load the attribution input
// from a case, run the engine, and record the run in the case's run manifest (`cluster`, `analyze`)
// or not (`explain` only reads).
import { CLUSTERING_PHASES, runClustering } from '../attribution/cluster.js';
import { clusteringMethod } from '../attribution/method.js';
import type { ClusterParams, ClusterResult, Identity } from '../attribution/types.js';
import { loadAttributionInput, recordRun } from '../store/attribution.js';
import type { CaseHandle } from '../store/case.js';
import { isScoped, type MessageFilter } from '../store/query.js';

export interface ClusterRun {
  result: ClusterResult;
  identities: Map<string, Identity>;
  /** The run recorded in the case, or null when the caller only reads (explain). */
  runId: number | null;
}

/** Phases clusterCase announces: loading the case, the clustering's own, recording the run. */
export const CLUSTER_CASE_PHASES = CLUSTERING_PHASES + 2;

/**
 * Runs the clustering over the case. With `record`, the run is added to the case's run manifest
 * (version, parameters, method, inputs, result, chance check); `explain` passes false and leaves the
 * case as it was.
 */
export function clusterCase(
  handle: CaseHandle,
  params: ClusterParams,
  options: {
    record: boolean;
    /** Only the messages this filter keeps (--victim, --since…): the case as if it held no others. */
    filter?: MessageFilter;
    onPhase?: (phase: string) => void;
    onProgress?: (step: string, done: number, total: number) => void;
  } = { record: true },
): ClusterRun {
  options.onPhase?.('loading the case');
  const input = loadAttributionInput(handle, params.excludedPhoneTypes, options.filter);
  const result = runClustering(input, params, {
    ...(options.onPhase ? { onPhase: options.onPhase } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (options.record) options.onPhase?.('recording the run');
  const runId = options.record
    ? recordRun(handle, 'cluster', {
        // A run over part of the case records which part (its message filter) with its parameters.
        params: isScoped(options.filter) ? { ...params, messageFilter: options.filter } : params,
        method: clusteringMethod(),
        stats: result.stats,
        result: {
          chance: result.chance,
          clusters: result.clusters.map((c) => ({ id: c.id, members: c.members, score: c.score })),
          candidates: result.candidates.map((p) => ({ between: [p.a, p.b], score: p.score })),
          decisions: result.decisions.map((d) => ({ id: d.decision.id, verdict: d.decision.verdict, keys: d.decision.keys, applied: d.applied, effect: d.effect })),
        },
      })
    : null;
  return { result, identities: new Map(input.identities.map((i) => [i.key, i])), runId };
}
