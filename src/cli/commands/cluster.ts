import { Command, Option } from 'commander';
import { CLUSTER_CASE_PHASES, clusterCase } from '../../app/cluster.js';
import { entityEdges } from '../../store/graph.js';
import type { ClusterResult } from '../../attribution/types.js';
import { formatOf } from '../../output/formats/index.js';
import { CLUSTER_FORMATS } from '../../output/formats/results.js';
import { addCaseOption, addIngestOptions, addOutputOptions, analysisCase, type IngestCliOptions, type OutputOptions } from '../options.js';
import { addClusterOptions, clusterParams, type ClusterCliOptions } from '../cluster-options.js';
import { diagnose, renderContext, writeData, type Io } from '../io.js';
import { phaseReporter } from '../progress.js';
import { ingestExitCode, reportIngestDiagnostics } from '../diagnostics.js';
import { addMessageFilterOptions, scopeFilter, type FilterOptions } from '../filters.js';

export function clusterCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('cluster')
    .summary('group sender identities that evidence links to one actor')
    .description(
      'Groups sender identities into likely actors, with the evidence for every link. Identities proven to be one\n' +
        'account (same Telegram id, same phone) are merged; every other piece of evidence is weighed by how unlikely\n' +
        'it is between two unrelated senders of this case. A pair of accounts is joined when its bits reach\n' +
        '--join-bits plus log2 of the account pairs compared, from at least --min-families independent families\n' +
        '(identifier, image, text, timing, camera); pairs that reach --candidate-bits plus the same correction are\n' +
        'listed as candidate links for an analyst to confirm. A chance check says how many links chance alone\n' +
        'would draw in this case. Each run is recorded in the case with the version and every parameter.',
    )
    .argument('[path...]', 'exports to read instead of the case')
    .option('--all', 'graphs: include every identity and every scored pair, not only clusters and candidates')
    .addOption(new Option('--graph <shape>', 'graphs: links (identities and their links) or full (also the victims, phone numbers and images around them, for Gephi and Maltego)').choices(['links', 'full']).default('links'));
  addMessageFilterOptions(cmd);
  addCaseOption(cmd);
  addIngestOptions(cmd, false);
  addClusterOptions(cmd);
  addOutputOptions(cmd, CLUSTER_FORMATS);
  cmd.addHelpText(
    'after',
    `
Formats: table (clusters, then candidate links), json (clusters with evidence; candidates and the run's
parameters beside them), jsonl (one cluster per line), csv (one row per piece of evidence), graphml and
gexf (open in Gephi: edge weight = bits, with types, families and bridges), dot (Graphviz).

Examples:
  $ threatlens cluster --case ./case
  $ threatlens cluster exports/ --tz Europe/Moscow --format graphml -o actors.graphml
  $ threatlens cluster --case ./case --format gexf --graph full -o campaign.gexf   # victims, numbers, images too
  $ threatlens cluster --case ./case --join-bits 12 --format csv -o evidence.csv
  $ threatlens cluster --case ./case --since 2022-01-01 --platform telegram   # part of the case, as if it held no more
  $ threatlens explain C-1a2b3c4d5e --case ./case`,
  );
  cmd.action(async (paths: string[], options: IngestCliOptions & OutputOptions & ClusterCliOptions & FilterOptions & { all?: boolean; graph?: string }) => {
    const params = clusterParams(options);
    const filter = scopeFilter(options);
    const render = formatOf(CLUSTER_FORMATS, options.format, 'clusters');
    // Here --victim filters; the PATHs keep the victim labels of their folders.
    const { handle, report } = await analysisCase(paths, { ...options, victim: undefined }, io);
    try {
      if (report) reportIngestDiagnostics(report, io);
      const progress = phaseReporter(io, 'clustering', CLUSTER_CASE_PHASES);
      const { result, identities } = clusterCase(handle, params, {
        record: !handle.readonly,
        filter,
        ...(progress ? { onPhase: progress.phase, onProgress: progress.progress } : {}),
      });
      progress?.done(clusteringSummary(result));
      if (handle.readonly) diagnose(io, 'threatlens: the case is read-only: this run is not recorded in it (the clusters below are complete all the same)');
      const entities = options.graph === 'full' ? entityEdges(handle, new Set(identities.keys())) : undefined;
      await writeData(io, options, render({ result, identities, all: options.all === true, ...(entities ? { entities } : {}) }, renderContext(io, options)));
      setExit(ingestExitCode(report));
    } finally {
      handle.close();
    }
  });
  return cmd;
}

/** The last progress line of a clustering: what it looked at and what it found. */
function clusteringSummary(result: ClusterResult): string {
  const n = (x: number | undefined, one: string, many: string): string => `${(x ?? 0).toLocaleString('en')} ${x === 1 ? one : many}`;
  const s = result.stats;
  return `clustering: ${n(s.messages, 'message', 'messages')} of ${n(s.identities, 'identity', 'identities')}: ${n(result.clusters.length, 'cluster', 'clusters')}, ${n(result.candidates.length, 'candidate link', 'candidate links')}`;
}
