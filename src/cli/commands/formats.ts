import { Command } from 'commander';
import { readerRows } from '../../app/formats.js';
import { readerListing } from '../../output/formats-list.js';
import { formatOf, LISTING_FORMATS } from '../../output/formats/index.js';
import { addOutputOptions, type OutputOptions } from '../options.js';
import { renderContext, writeData, type Io } from '../io.js';

export function formatsCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('formats')
    .summary('the export formats threatlens reads, and what each gives')
    .description(
      'One row per reader, in the order a file is offered to them (by its content, never by its name\n' +
        'alone): what it reads and what its exports give. ids: senders known by account ids, not only by\n' +
        'name or number; phones: numbers of senders, owners or contacts; zones: times that are instants\n' +
        'or carry their offset (else wall clocks needing --tz); media: attachments linked to files and\n' +
        'hashed; forwards: forwarded messages marked with their original author.',
    );
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens formats
  $ threatlens formats --format json | jq -r '.items[] | select(.accountIds) | .reader'`,
  );
  cmd.action(async (options: OutputOptions) => {
    const render = formatOf(LISTING_FORMATS, options.format, 'formats');
    await writeData(io, options, render(readerListing(readerRows()), renderContext(io, options)));
    setExit(0);
  });
  return cmd;
}
