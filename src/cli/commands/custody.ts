import { Command } from 'commander';
import { openCase } from '../../store/case.js';
import { custodyLog, recordChange, setCaseExaminer } from '../../store/custody.js';
import { custodyListing } from '../../output/custody.js';
import { formatOf, LISTING_FORMATS } from '../../output/formats/index.js';
import { UsageError } from '../../util/errors.js';
import { addCaseOption, addOutputOptions, caseDir, type OutputOptions } from '../options.js';
import { renderContext, writeData, type Io } from '../io.js';

interface CustodyOptions extends OutputOptions {
  case?: string;
  note?: string;
  setExaminer?: string;
}

export function custodyCommand(io: Io, _setExit: (code: number) => void): Command {
  const cmd = new Command('custody')
    .summary("the case's custody log; add a note, set the examiner")
    .description(
      'Lists every command that changed the case: when it started and ended, the threatlens version, the\n' +
        'command as typed, the working folder, the examiner, and what the case held when it ended. A command\n' +
        'killed half-way shows "did not finish" beside what it committed. The evidence manifest holds the\n' +
        'same log. --note adds a note of your own to the log; --set-examiner names who works on the case\n' +
        '(used when a command is not given --examiner).',
    )
    .option('--note <text>', 'add a note to the log (with --examiner, or the case\'s examiner)')
    .option('--set-examiner <name>', "set the case's examiner");
  addCaseOption(cmd);
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens custody --case ./case
  $ threatlens custody --case ./case --set-examiner "A. Petrova (NGO Memorial)"
  $ threatlens custody --case ./case --note "received exports of victims 5-7 on USB from the lawyer, sealed bag 0142"
  $ threatlens custody --case ./case --format json | jq '.items[] | select(.finishedAt == null)'`,
  );
  cmd.action(async (options: CustodyOptions) => {
    if (options.note !== undefined && options.note.trim() === '') throw new UsageError('--note needs some text');
    if (options.setExaminer !== undefined && options.setExaminer.trim() === '') throw new UsageError('--set-examiner needs a name');
    const changes = options.note !== undefined || options.setExaminer !== undefined;
    const handle = openCase(caseDir(options, io.env), { create: false, access: changes ? 'write' : 'read' });
    try {
      if (changes) {
        handle.db.transaction(() => {
          // Logged first: the entry names who set the examiner, not the one set.
          recordChange(handle.db);
          if (options.setExaminer !== undefined) setCaseExaminer(handle.db, options.setExaminer.trim());
        })();
      }
      const render = formatOf(LISTING_FORMATS, options.format, 'custody');
      await writeData(io, options, render(custodyListing(custodyLog(handle.db)), renderContext(io, options)));
    } finally {
      handle.close();
    }
  });
  return cmd;
}
