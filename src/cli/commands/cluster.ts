import { Command } from 'commander';
import { candidateListing, chanceLines, clusterListing, dot, evidenceListing, evidenceRows, gexf, graphml } from '../../output/clusters.js';
import { renderJson, renderTable } from '../../output/listing.js';
import { addClusterOptions, clusterCase, clusterParams, type ClusterCliOptions } from '../clustering.js';
import {
  addCaseOption,
  addIngestOptions,
  addOutputOptions,
  caseForAnalysis,
  chalkFor,
  ingestExitCode,
  renderListing,
  reportIngestDiagnostics,
  writeData,
  diagnose,
  type IngestCliOptions,
  type Io,
  type OutputOptions,
} from '../context.js';

const paramsJson = (p: object): unknown => JSON.parse(JSON.stringify(p, (_k, v) => (v === Infinity ? 'hard' : v)));

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
    .option('--all', 'graphs: include every identity and every scored pair, not only clusters and candidates');
  addCaseOption(cmd);
  addIngestOptions(cmd);
  addClusterOptions(cmd);
  addOutputOptions(cmd, ['table', 'csv', 'json', 'jsonl', 'graphml', 'gexf', 'dot']);
  cmd.addHelpText(
    'after',
    `
Formats: table (clusters, then candidate links), json (clusters with evidence; candidates and the run's
parameters beside them), jsonl (one cluster per line), csv (one row per piece of evidence), graphml and
gexf (open in Gephi: edge weight = bits, with types, families and bridges), dot (Graphviz).

Examples:
  $ threatlens cluster --case ./case
  $ threatlens cluster exports/ --tz Europe/Moscow --format graphml -o actors.graphml
  $ threatlens cluster --case ./case --join-bits 12 --format csv -o evidence.csv
  $ threatlens explain C-1a2b3c4d5e --case ./case`,
  );
  cmd.action(async (paths: string[], options: IngestCliOptions & OutputOptions & ClusterCliOptions & { all?: boolean }) => {
    const params = clusterParams(options);
    const { handle, report } = await caseForAnalysis(paths, options, io);
    try {
      if (report) reportIngestDiagnostics(report, io);
      const { result, identities } = clusterCase(handle, params, { record: !handle.readonly });
      if (handle.readonly) diagnose(io, 'threatlens: the case is read-only: this run is not recorded in it (the clusters below are complete all the same)');
      const all = options.all === true;
      let chunks: Iterable<string>;
      switch (options.format) {
        case 'graphml':
          chunks = [graphml(result, identities, all)];
          break;
        case 'gexf':
          chunks = [gexf(result, identities, all)];
          break;
        case 'dot':
          chunks = [dot(result, identities, all)];
          break;
        case 'csv':
          chunks = renderListing(evidenceListing(evidenceRows(result)), io, options);
          break;
        case 'json':
          chunks = renderJson(clusterListing(result, identities), {
            params: paramsJson(result.params),
            stats: result.stats,
            chance: result.chance,
            candidates: result.candidates.map(candidateListing(result).toJson),
          });
          break;
        case 'table': {
          const chalk = chalkFor(io, options);
          const width = io.stdout.columns ?? 160;
          const text =
            `${chalk.bold(`Clusters (${result.clusters.length})`)}\n` +
            (result.clusters.length > 0 ? renderTable(clusterListing(result, identities), { chalk, width }) : '  none\n') +
            `\n${chalk.bold(`Candidate links (${result.candidates.length}): beyond chance, not joined; confirm or reject`)}\n` +
            (result.candidates.length > 0 ? renderTable(candidateListing(result), { chalk, width }) : '  none\n') +
            `\n${chanceLines(result.chance).map((l) => chalk.dim(l)).join('\n')}\n`;
          chunks = [text];
          break;
        }
        default:
          chunks = renderListing(clusterListing(result, identities), io, options);
      }
      await writeData(io, options, chunks);
      setExit(ingestExitCode(report));
    } finally {
      handle.close();
    }
  });
  return cmd;
}
