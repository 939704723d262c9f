import { Command, Option } from 'commander';
import { analyze } from '../../app/analyze.js';
import { formatOf } from '../../output/formats/index.js';
import { ANALYSIS_FORMATS } from '../../output/formats/results.js';
import { UsageError } from '../../util/errors.js';
import { addCaseOption, addIngestOptions, analysisCase, type IngestCliOptions, type OutputOptions } from '../options.js';
import { addClusterOptions, clusterParams, type ClusterCliOptions } from '../cluster-options.js';
import { renderContext, writeData, type Io } from '../io.js';
import { ingestExitCode, reportIngestDiagnostics } from '../diagnostics.js';

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
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(ANALYSIS_FORMATS)).default('table'))
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
    const render = formatOf(ANALYSIS_FORMATS, options.format, 'analyze');
    const { handle, report } = await analysisCase(paths, options, io);
    try {
      // Warnings are part of the report itself; stderr only names rejected inputs.
      reportIngestDiagnostics(report!, io, 0);
      const analysis = analyze(handle, report, clusterParams(options));
      await writeData(io, options, render(analysis, renderContext(io, options)));
      setExit(ingestExitCode(report));
    } finally {
      handle.close();
    }
  });
  return cmd;
}
