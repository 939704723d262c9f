import { Command } from 'commander';
import { listSenders } from '../../store/query.js';
import { senderListing } from '../../output/senders.js';
import { formatOf, LISTING_FORMATS } from '../../output/formats/index.js';
import { addCaseOption, addIngestOptions, addOutputOptions, analysisCase, type IngestCliOptions, type OutputOptions } from '../options.js';
import { renderContext, writeData, type Io } from '../io.js';
import { ingestExitCode, reportIngestDiagnostics } from '../diagnostics.js';
import { addMessageFilterOptions, scopeFilter, type FilterOptions } from '../filters.js';

export function sendersCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('senders')
    .summary('one row per sender identity')
    .description(
      'One row per sender identity: key, platform, names, phones, message count, victims reached, first and\n' +
        'last message. Keys: telegram:user123 (account id), phone:+7… (sender known by number), or\n' +
        'name:<export>:<name> (a saved contact name, scoped to the export it was seen in).',
    )
    .argument('[path...]', 'exports to read instead of the case');
  addMessageFilterOptions(cmd);
  addCaseOption(cmd);
  addIngestOptions(cmd, false);
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens senders --case ./case
  $ threatlens senders exports/ --tz Europe/Moscow --format csv -o senders.csv
  $ threatlens senders --case ./case --format jsonl | jq 'select(.victims | length > 1)'
  $ threatlens senders --case ./case --victim anna --since 2022-01-01`,
  );
  cmd.action(async (paths: string[], options: IngestCliOptions & OutputOptions & FilterOptions) => {
    const filter = scopeFilter(options);
    // Here --victim filters; the PATHs keep the victim labels of their folders.
    const { handle, report } = await analysisCase(paths, { ...options, victim: undefined }, io, { imageFacts: false });
    try {
      if (report) reportIngestDiagnostics(report, io);
      const render = formatOf(LISTING_FORMATS, options.format, 'senders');
      await writeData(io, options, render(senderListing(listSenders(handle, filter)), renderContext(io, options)));
      setExit(ingestExitCode(report));
    } finally {
      handle.close();
    }
  });
  return cmd;
}
