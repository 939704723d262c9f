import { Command, Option } from 'commander';
import { addReportPictures, analyze } from '../../app/analyze.js';
import { formatOf } from '../../output/formats/index.js';
import { ANALYSIS_FORMATS } from '../../output/formats/results.js';
import { UsageError } from '../../util/errors.js';
import { addCaseOption, addIngestOptions, analysisCase, type IngestCliOptions, type OutputOptions } from '../options.js';
import { addClusterOptions, clusterParams, type ClusterCliOptions } from '../cluster-options.js';
import { diagnose, renderContext, writeData, type Io } from '../io.js';
import { ingestExitCode, reportIngestDiagnostics } from '../diagnostics.js';

type AnalyzeOptions = IngestCliOptions & OutputOptions & ClusterCliOptions;

/** analyze and report: the analysis of the PATHs ingested (or of the case as it is), rendered. */
async function runAnalysis(paths: string[], options: AnalyzeOptions, io: Io, setExit: (code: number) => void): Promise<void> {
  const render = formatOf(ANALYSIS_FORMATS, options.format, 'analyze');
  const { handle, report } = await analysisCase(paths, options, io);
  try {
    // Warnings are part of the report itself; stderr only names rejected inputs.
    if (report !== null) reportIngestDiagnostics(report, io, 0);
    const analysis = analyze(handle, report, clusterParams(options));
    // The report alone draws timelines, galleries and the map, and embeds thumbnails.
    if (options.format === 'html') await addReportPictures(handle, analysis, (file, message) => diagnose(io, `threatlens: ${file}: ${message}`));
    await writeData(io, options, render(analysis, renderContext(io, options)));
    setExit(ingestExitCode(report));
  } finally {
    handle.close();
  }
}

function addAnalysisOutput(cmd: Command, format: string): Command {
  addClusterOptions(cmd);
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(ANALYSIS_FORMATS)).default(format))
    .option('-o, --output <file>', 'write the report to FILE instead of standard output')
    .option('--absolute-paths', 'html: show evidence paths whole (default: from the folder that holds every export)')
    .option('--no-color', 'no colour, even on a terminal or with $FORCE_COLOR (as $NO_COLOR does)');
}

export function reportCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('report')
    .summary('the HTML report from what the case holds')
    .description(
      'Renders the analysis of the case as it is (nothing is read again): the clusters with their evidence\n' +
        'ledgers, the candidate links, the analyst decisions, the senders, the phone numbers, the evidence files\n' +
        'and the warnings, as one self-contained HTML file (or --format json|table). The clustering is\n' +
        'recorded as a run when the case can be written, so the report names a recorded run.',
    );
  addCaseOption(cmd);
  addAnalysisOutput(cmd, 'html');
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens report --case ./case -o report.html
  $ threatlens report --case ./case --join-bits 12 -o report-strict.html
  $ threatlens report --case ./case --format json | jq '.clusters | length'`,
  );
  cmd.action(async (options: AnalyzeOptions) => runAnalysis([], options, io, setExit));
  return cmd;
}

export function analyzeCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('analyze')
    .summary('the main job: ingest, then overview, senders, phones and clusters')
    .description(
      'Ingests the PATHs (into --case if given, else into a throw-away in-memory case) and prints what came in:\n' +
        'files, chats, messages per platform, senders, date range and warnings; then the senders, the phone\n' +
        'numbers, and the clusters of identities that evidence links to one actor, with candidate links.\n' +
        'Without PATHs, --case DIR is analysed as it is (as `threatlens report` does).',
    )
    .argument('[path...]', 'exports, images or folders of them');
  addCaseOption(cmd);
  addIngestOptions(cmd);
  addAnalysisOutput(cmd, 'table');
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens analyze fixtures/sample-case
  $ threatlens analyze exports/ --case ./case --region RU
  $ threatlens analyze exports/ --format json -o analysis.json
  $ threatlens analyze exports/ --case ./case --format html -o report.html
  $ threatlens analyze --case ./case

Exit status: 0 all inputs read, 1 some inputs rejected (named on stderr, the rest analysed), 2 usage error.`,
  );
  cmd.action(async (paths: string[], options: AnalyzeOptions) => {
    if (paths.length === 0 && options.case === undefined && !io.env.THREATLENS_CASE) {
      throw new UsageError('analyze needs PATHs to read, or --case DIR to analyse a case as it is', 'threatlens analyze exports/  or  threatlens analyze --case ./case');
    }
    await runAnalysis(paths, options, io, setExit);
  });
  return cmd;
}
