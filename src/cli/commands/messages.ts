import { Command } from 'commander';
import { iterateMessages } from '../../store/query.js';
import { lookUpWrittenNumber } from '../../store/phones.js';
import type { CaseHandle } from '../../store/case.js';
import { UsageError } from '../../util/errors.js';
import { messageListing } from '../../output/messages.js';
import { formatOf, MESSAGE_FORMATS } from '../../output/formats/index.js';
import { addMessageFilterOptions, messageFilter, type FilterOptions } from '../filters.js';
import { addCaseOption, addIngestOptions, addOutputOptions, analysisCase, type IngestCliOptions, type OutputOptions } from '../options.js';
import { renderContext, writeData, type Io } from '../io.js';
import { ingestExitCode, reportIngestDiagnostics } from '../diagnostics.js';

/**
 * Rowids of the messages mentioning a number typed by the investigator (see lookUpWrittenNumber:
 * without --region a national number is read with each export's recorded region), or a usage error
 * saying what is missing.
 */
export function messagesWithPhone(handle: CaseHandle, value: string, region: string | undefined): number[] {
  // --region was checked by parseRegion; the exports' own regions were checked when ingested.
  const found = lookUpWrittenNumber(handle, value, region ?? null);
  if (found.kind === 'found') return found.rowids;
  throw new UsageError(
    `--phone: "${value}" is not a phone number I can read`,
    found.kind === 'needs-region'
      ? 'no export of this case has a phone region: write the number with its country code (+7 928 …), or pass --region CC'
      : null,
  );
}

export function messagesCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('messages')
    .summary('list messages, with filters')
    .description(
      'Lists the messages of the case (or of the PATHs given, read into a throw-away case), oldest first.\n' +
        'Filters combine with AND.',
    )
    .argument('[path...]', 'exports to read instead of the case');
  addMessageFilterOptions(cmd);
  cmd
    .option('--grep <regex>', 'text matches this JavaScript regular expression')
    .option('--fold', '--grep ignores case and also matches the text with look-alike letters and invisible characters undone')
    .option('--search <words>', 'full-text search: every word must appear; word* matches a prefix; sees through look-alike letters, invisible characters, case and ё')
    .option('--phone <number>', "messages that mention this number, however it was written (a number without + is read with --region, else with each export's recorded region)")
    .option('--limit <n>', 'at most N messages');
  addCaseOption(cmd);
  addIngestOptions(cmd, false);
  addOutputOptions(cmd, MESSAGE_FORMATS);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens messages --case ./case --search "безопасности"
  $ threatlens messages --case ./case --phone "8 (928) 123-45-67"
  $ threatlens messages --case ./case --sender telegram:user5012345678 --since 2022-01-01 --format jsonl
  $ threatlens messages --grep 'not safe|[Нн]е в безопасности' exports/ --format csv -o threats.csv
  $ threatlens messages --case ./case --grep 'знаем,? где' --fold
  $ threatlens messages --case ./case --format timesketch -o timeline.jsonl     # import into Timesketch
  $ threatlens messages --case ./case --format csv --bom -o messages.csv         # for Excel`,
  );
  cmd.action(async (paths: string[], options: FilterOptions & IngestCliOptions & OutputOptions) => {
    const filter = messageFilter(options);
    // Here --victim filters; the PATHs keep the victim labels of their folders.
    const { handle, report } = await analysisCase(paths, { ...options, victim: undefined }, io, { imageFacts: false });
    try {
      if (options.phone !== undefined) filter.rowids = messagesWithPhone(handle, options.phone, options.region);
      if (report) reportIngestDiagnostics(report, io);
      const render = formatOf(MESSAGE_FORMATS, options.format, 'messages');
      await writeData(io, options, render(messageListing(iterateMessages(handle, filter)), renderContext(io, options)));
      setExit(ingestExitCode(report));
    } finally {
      handle.close();
    }
  });
  return cmd;
}
