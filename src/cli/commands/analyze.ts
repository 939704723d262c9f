import { Command, Option } from 'commander';
import { analysisJson, analysisTable } from '../../output/analysis.js';
import { analysisHtml } from '../../output/html.js';
import { caseOverview, listSenders, messagesById } from '../../store/query.js';
import { UsageError } from '../../util/errors.js';
import { listPhones } from '../../store/phones.js';
import { addClusterOptions, clusterCase, clusterParams, type ClusterCliOptions } from '../clustering.js';
import {
  addCaseOption,
  addIngestOptions,
  caseForAnalysis,
  chalkFor,
  ingestExitCode,
  reportIngestDiagnostics,
  writeData,
  type IngestCliOptions,
  type Io,
  type OutputOptions,
} from '../context.js';

export function analyzeCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('analyze')
    .summary('the main job: ingest, then overview, senders, phones and clusters')
    .description(
      'Ingests the PATHs (into --case if given, else into a throw-away in-memory case) and prints what came in:\n' +
        'files, chats, messages per platform, senders, date range and warnings; then the senders, the phone\n' +
        'numbers, and the clusters of identities that evidence links to one actor, with candidate links.',
    )
    .argument('<path...>', 'exports, images or folders of them');
  addCaseOption(cmd);
  addIngestOptions(cmd);
  addClusterOptions(cmd);
  cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'html']).default('table'))
    .option('-o, --output <file>', 'write the report to FILE instead of standard output')
    .option('--no-color', 'no colour, even on a terminal or with $FORCE_COLOR (as $NO_COLOR does)');
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens analyze fixtures/sample-case
  $ threatlens analyze exports/ --case ./case --region RU
  $ threatlens analyze exports/ --format json -o analysis.json
  $ threatlens analyze exports/ --case ./case --format html -o report.html

Exit status: 0 all inputs read, 1 some inputs rejected (named on stderr, the rest analysed), 2 usage error.`,
  );
  cmd.action(async (paths: string[], options: IngestCliOptions & OutputOptions & ClusterCliOptions) => {
    if (paths.length === 0) throw new UsageError('analyze needs at least one PATH');
    const { handle, report } = await caseForAnalysis(paths, options, io);
    try {
      // Warnings are part of the report itself; stderr only names rejected inputs.
      reportIngestDiagnostics(report!, io, 0);
      const { result, identities } = clusterCase(handle, clusterParams(options));
      const analysis = {
        report,
        overview: caseOverview(handle),
        senders: listSenders(handle),
        phones: listPhones(handle),
        clusters: result,
        identities,
      };
      let text: string;
      if (options.format === 'json') text = analysisJson(analysis);
      else if (options.format === 'html') {
        const refs = [...result.clusters.flatMap((c) => c.links), ...result.candidates].flatMap((l) => l.evidence.flatMap((e) => e.refs));
        text = analysisHtml(analysis, new Map(messagesById(handle, refs).map((m) => [m.id, m])));
      } else text = analysisTable(analysis, chalkFor(io, options), io.stdout.columns ?? 160);
      await writeData(io, options, [text]);
      setExit(ingestExitCode(report));
    } finally {
      handle.close();
    }
  });
  return cmd;
}
