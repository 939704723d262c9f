// The analyze use case: over a case just ingested, the overview, the senders, the phone numbers and
// the clusters (recorded as a run), with the messages their evidence cites (the HTML report quotes
// them beside each link).
import type { ClusterParams, ClusterResult, Identity } from '../attribution/types.js';
import type { IngestReport } from '../ingest/pipeline.js';
import type { Message, SenderRow } from '../model.js';
import type { CaseOverview, PhoneSummary, TimelinePoint } from '../model.js';
import type { CaseHandle } from '../store/case.js';
import { listPhones } from '../store/phones.js';
import { caseOverview, listSenders, messagesById, senderTimeline } from '../store/query.js';
import { clusterCase } from './cluster.js';

export interface Analysis {
  report: IngestReport | null;
  overview: CaseOverview;
  senders: SenderRow[];
  phones: PhoneSummary[];
  clusters: ClusterResult;
  identities: Map<string, Identity>;
  /** The messages cited by the evidence of the clusters and candidate links, by id. */
  messages: Map<string, Message>;
  /** Each cluster's messages over time (its members', with a known instant), by cluster id. */
  timelines: Map<string, TimelinePoint[]>;
}

/**
 * The analysis of the case. The clustering is recorded as a run when the case can be written (a
 * report then names a recorded run); a case opened read-only is analysed all the same.
 */
export function analyze(handle: CaseHandle, report: IngestReport | null, params: ClusterParams): Analysis {
  const { result, identities } = clusterCase(handle, params, { record: !handle.readonly });
  const refs = [...result.clusters.flatMap((c) => c.links), ...result.candidates].flatMap((l) => l.evidence.flatMap((e) => e.refs));
  return {
    report,
    overview: caseOverview(handle),
    senders: listSenders(handle),
    phones: listPhones(handle),
    clusters: result,
    identities,
    messages: new Map(messagesById(handle, refs).map((m) => [m.id, m])),
    timelines: new Map(result.clusters.map((c) => [c.id, senderTimeline(handle, c.members)])),
  };
}
