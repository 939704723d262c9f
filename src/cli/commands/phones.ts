import { addMessageFilterOptions, scopeFilter, selectsMessages, type FilterOptions } from '../filters.js';
import { Command } from 'commander';
import { phonesInText } from '../../app/phones.js';
import { listPhones } from '../../store/phones.js';
import { foundPhoneListing, phoneListing } from '../../output/phones.js';
import { formatOf, LISTING_FORMATS } from '../../output/formats/index.js';
import { openCase } from '../../store/case.js';
import { UsageError } from '../../util/errors.js';
import { addCaseOption, addOutputOptions, caseDir, regionOption, type OutputOptions } from '../options.js';
import { renderContext, writeData, type Io } from '../io.js';

interface PhonesOptions extends OutputOptions, FilterOptions {
  case?: string;
  region?: string;
  minVictims?: string;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export function phonesCommand(io: Io, setExit: (code: number) => void): Command {
  const stdin = io.stdin;
  const cmd = new Command('phones')
    .summary('normalize phone numbers in text, or list every number in the case')
    .description(
      [
        'Two modes, decided in this order:',
        '1. TEXT arguments: every phone number in them, normalized to E.164 (a filter);',
        '   "-" reads standard input instead. An argument or line that is nothing',
        '   but a number that is not valid shows it with valid: false and why.',
        '2. No TEXT: every number the case has seen, as a sender or inside messages:',
        '   how often, when, which senders used it or are it, which victims and',
        '   exports. The case is --case, else $THREATLENS_CASE, else ./threatlens-case,',
        '   as for every command. Only when neither --case nor $THREATLENS_CASE is set',
        '   and text is piped in is that text filtered instead (cat notes.txt | …).',
        '"valid" means the number matches a numbering pattern of its country, not that',
        'it exists.',
      ].join('\n'),
    )
    .argument('[text...]', 'text to search for numbers instead of the case ("-": standard input)')
    .addOption(regionOption('default country for numbers written without + (e.g. RU, DE)'))
    .option('--min-victims <n>', 'only numbers seen in the exports of at least N victims');
  addMessageFilterOptions(cmd);
  addCaseOption(cmd);
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens phones --region RU "Перезвони 8 (928) 123-45-67 или +7 928 123 45 67"
  $ threatlens phones "+7 928 123"                        # not valid: shown with the reason (too short)
  $ cat notes.txt | threatlens phones --region RU --format jsonl
  $ cat notes.txt | threatlens phones - --region RU      # the same, also when a case is set
  $ threatlens phones --case ./case --min-victims 2
  $ threatlens phones --case ./case --since 2022-01-20 --until 2022-01-31 --victim anna
  $ THREATLENS_CASE=./case threatlens phones --format csv -o numbers.csv`,
  );
  cmd.action(async (texts: string[], options: PhonesOptions) => {
    const region = options.region ?? null; // checked and upper-cased by parseRegion
    const render = formatOf(LISTING_FORMATS, options.format, 'phones');
    let text: string | null = null;
    if (texts.length > 0) {
      if (options.case !== undefined) {
        throw new UsageError('TEXT and --case exclude each other', 'give TEXT to find the numbers in it, or --case DIR to list the numbers of a case');
      }
      text = texts.length === 1 && texts[0] === '-' ? await readAll(stdin) : texts.join('\n');
    } else if (options.case === undefined && !io.env.THREATLENS_CASE && stdin.isTTY !== true) {
      // Piped text and no case named: the pipeline filter. Nothing piped (e.g. </dev/null): the case.
      const piped = await readAll(stdin);
      if (piped.trim() !== '') text = piped;
    }
    if (text !== null) {
      if (options.minVictims !== undefined) throw new UsageError('--min-victims lists the numbers of a case; it does not apply to TEXT');
      if (selectsMessages(options)) throw new UsageError('--sender, --victim, --platform, --since and --until select messages of a case; they do not apply to TEXT');
      const reading = phonesInText(text, region);
      await writeData(io, options, render(foundPhoneListing(reading.found), renderContext(io, options)));
      if (reading.unreadNational > 0 && region === null) {
        const n = reading.unreadNational;
        io.stderr.write(
          `threatlens: ${n} ${n === 1 ? 'number' : 'numbers'} written without + ${n === 1 ? 'was' : 'were'} not read: ` +
            'a national number needs its country; pass --region CC (for example --region RU)\n',
        );
      }
      return;
    }
    let minVictims: number | undefined;
    if (options.minVictims !== undefined) {
      if (!/^\d+$/.test(options.minVictims)) throw new UsageError(`--min-victims takes a whole number, not "${options.minVictims}"`);
      minVictims = Number(options.minVictims);
    }
    const handle = openCase(caseDir(options, io.env), { create: false, access: 'read' });
    try {
      const phones = listPhones(handle, { ...(minVictims !== undefined ? { minVictims } : {}), filter: scopeFilter(options) });
      await writeData(io, options, render(phoneListing(phones), renderContext(io, options)));
      setExit(0);
    } finally {
      handle.close();
    }
  });
  return cmd;
}
