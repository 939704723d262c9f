import { Command, Option } from 'commander';
import { explain } from '../../app/explain.js';
import { formatOf } from '../../output/formats/index.js';
import { EXPLANATION_FORMATS } from '../../output/formats/results.js';
import { openCase } from '../../store/case.js';
import { addCaseOption, caseDir, type OutputOptions } from '../options.js';
import { addClusterOptions, clusterParams, type ClusterCliOptions } from '../cluster-options.js';
import { renderContext, writeData, type Io } from '../io.js';

export function explainCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('explain')
    .summary('the evidence ledger of a cluster, or of the link between two identities')
    .description(
      'Shows why threatlens links identities: for a cluster (ID from `cluster`), every link with its bits, the\n' +
        'evidence behind it, the messages side by side with their files and lines, and what would argue against\n' +
        'it; for two sender keys, the link between their accounts exactly as `cluster` scores it, joined or not.\n' +
        'explain only reads: it clusters the case again with the given parameters and records no run; the\n' +
        'first line says whether the latest run `cluster` recorded used the same exports and parameters.',
    )
    .argument('<id>', 'a cluster id (C-…) or a sender key')
    .argument('[other]', 'a second sender key');
  addCaseOption(cmd);
  addClusterOptions(cmd);
  cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(EXPLANATION_FORMATS)).default('table'))
    .option('-o, --output <file>', 'write to FILE instead of standard output')
    .option('--no-color', 'no colour, even on a terminal or with $FORCE_COLOR (as $NO_COLOR does)');
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens explain C-1a2b3c4d5e --case ./case
  $ threatlens explain telegram:user5012345678 phone:+79281234567 --case ./case
  $ threatlens explain C-1a2b3c4d5e --case ./case --format json | jq '.evidence[] | {type, weight, refs}'`,
  );
  cmd.action(async (id: string, other: string | undefined, options: ClusterCliOptions & OutputOptions & { case?: string }) => {
    const params = clusterParams(options);
    const render = formatOf(EXPLANATION_FORMATS, options.format, 'explain');
    const handle = openCase(caseDir(options, io.env), { create: false, access: 'read' });
    try {
      const explanation = explain(handle, params, id, other ?? null);
      await writeData(io, options, render(explanation, renderContext(io, options)));
      setExit(0);
    } finally {
      handle.close();
    }
  });
  return cmd;
}
