// The analyst's decisions as a listing (threatlens review list, and after each decision).
import type { AnalystDecision } from '../attribution/types.js';
import type { Listing } from './listing.js';

/** A decision as listed: in force, or withdrawn. */
export interface DecisionView extends AnalystDecision {
  withdrawnAt: string | null;
  withdrawnBy: string | null;
}

export function decisionListing(decisions: Iterable<DecisionView>): Listing<DecisionView> {
  return {
    kind: 'decisions',
    items: decisions,
    toJson: (d) => ({
      id: d.id,
      verdict: d.verdict,
      subject: d.subject,
      clusterId: d.clusterId,
      keys: d.keys,
      note: d.note,
      examiner: d.examiner,
      decidedAt: d.decidedAt,
      withdrawnAt: d.withdrawnAt,
      withdrawnBy: d.withdrawnBy,
    }),
    columns: [
      { header: 'id', value: (d) => `#${d.id}`, align: 'right' },
      {
        header: 'decision',
        value: (d) => (d.withdrawnAt !== null ? `${d.verdict} (withdrawn ${d.withdrawnAt.slice(0, 10)})` : d.verdict),
        style: (c, t, d) => (d.withdrawnAt !== null ? c.dim(t) : d.verdict === 'reject' ? c.red(t) : c.green(t)),
      },
      { header: 'on', value: (d) => (d.subject === 'cluster' ? `cluster ${d.clusterId}` : 'link') },
      { header: 'identities', value: (d) => d.keys.join(' '), max: 70, style: (c, t) => c.yellow(t) },
      { header: 'examiner', value: (d) => d.examiner ?? '', max: 24 },
      { header: 'decided', value: (d) => d.decidedAt.slice(0, 10) },
      { header: 'note', value: (d) => d.note ?? '', flex: true },
    ],
  };
}
