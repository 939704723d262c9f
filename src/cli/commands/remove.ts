import { Command } from 'commander';
import { openCase } from '../../store/case.js';
import { removalSummary } from '../../store/remove.js';
import { remove } from '../../app/remove.js';
import { addCaseOption, caseDir } from '../options.js';
import { diagnose, type Io } from '../io.js';

interface RemoveOptions {
  case?: string;
  dryRun?: boolean;
}

export function removeCommand(io: Io, _setExit: (code: number) => void): Command {
  const cmd = new Command('remove')
    .summary('take one export, and what only it held, out of the case')
    .description(
      'Takes one export out of the case: the export ingested by mistake. Its messages go, with their numbers,\n' +
        'media references and full-text entries, except messages another export holds too (a chat exported\n' +
        'twice): those stay, on that export. Its files go from the evidence list, except media files that\n' +
        'messages which stay still cite. Phone numbers and image facts nothing refers to any more go.\n' +
        'Analyst decisions, earlier runs and the custody log stay; the removal is logged. --dry-run says what\n' +
        'would go and changes nothing. The evidence files themselves are never touched.',
    )
    .argument('<export>', 'the export: its path as ingest took it in, or its SHA-256 (8 or more hex digits)')
    .option('--dry-run', 'say what would be removed, change nothing')
    .option('--note <text>', 'why (recorded in the custody log)');
  addCaseOption(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens remove exports/anna/ChatExport_2022-01-25/result.json --case ./case --dry-run
  $ threatlens remove 6c4840845d3f --case ./case --note "elena's export was ingested under anna by mistake"`,
  );
  cmd.action(async (named: string, options: RemoveOptions) => {
    const dryRun = options.dryRun === true;
    const handle = openCase(caseDir(options, io.env), { create: false, access: 'write' });
    try {
      const removal = remove(handle, named, { dryRun });
      diagnose(io, `threatlens: ${dryRun ? 'dry run, nothing changed: would have ' : ''}${removalSummary(removal)}`);
    } finally {
      handle.close();
    }
  });
  return cmd;
}
