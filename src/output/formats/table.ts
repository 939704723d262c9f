// Tables for people, on a terminal: aligned, terminal-safe, coloured when the chalk instance is.
import type { Analysis } from '../../app/analyze.js';
import type { Explanation } from '../../app/explain.js';
import { analysisTable } from '../analysis.js';
import { candidateListing, chanceLines, clusterLedger, clusterListing, decisionsAppliedListing, pairLedger } from '../clusters.js';
import { renderTable } from '../listing.js';
import type { ClusterView, RenderContext } from './contract.js';

export const table = {
  /** The clusters, then the candidate links, then the chance check. */
  clusters: ({ result, identities }: ClusterView, { chalk, width }: RenderContext): string[] => [
    `${chalk.bold(`Clusters (${result.clusters.length})`)}\n` +
      (result.clusters.length > 0 ? renderTable(clusterListing(result, identities), { chalk, width }) : '  none\n') +
      `\n${chalk.bold(`Candidate links (${result.candidates.length}): beyond chance, not joined; confirm or reject`)}\n` +
      (result.candidates.length > 0 ? renderTable(candidateListing(result), { chalk, width }) : '  none\n') +
      (result.decisions.length > 0
        ? `\n${chalk.bold(`Analyst decisions (${result.decisions.length}): threatlens review list`)}\n` + renderTable(decisionsAppliedListing(result), { chalk, width })
        : '') +
      `\n${chanceLines(result.chance).map((l) => chalk.dim(l)).join('\n')}\n`,
  ],

  analysis: (a: Analysis, { chalk, width }: RenderContext): string[] => [analysisTable(a, chalk, width)],

  /** The evidence ledger, under a line saying how it relates to the recorded runs. */
  explanation: (e: Explanation, { chalk }: RenderContext): string[] => {
    const head = `${chalk.dim(runLine(e))}\n`;
    if (e.kind === 'cluster') return [head + clusterLedger(e.cluster, e.result, e.identities, e.messages, chalk)];
    return [
      head +
        pairLedger(e.keys, e.pair, e.result, e.identities, e.messages, chalk) +
        (e.together ? `\nBoth are in cluster ${e.together.id}.\n` : '\nThey are not in one cluster.\n'),
    ];
  },
};

function runLine({ run }: Explanation): string {
  if (run.latestClusterRun === null) return 'Clustered now (explain records nothing); no `cluster` run is recorded in this case yet.';
  return run.sameAsLatestRun
    ? `Clustered now with the exports, parameters and method of run #${run.latestClusterRun}, the latest \`cluster\` run (explain records nothing).`
    : `Clustered now (explain records nothing); the latest \`cluster\` run, #${run.latestClusterRun}, used other exports, parameters or version: its cluster ids may differ.`;
}
