import { Command } from 'commander';
import { listPhones } from '../../store/phones.js';
import { extractPhones } from '../../phone/index.js';
import { foundPhoneListing, phoneListing, type FoundPhone } from '../../output/phones.js';
import { openCase } from '../../store/case.js';
import { UsageError } from '../../util/errors.js';
import {
  addCaseOption,
  addOutputOptions,
  caseDir,
  renderListing,
  writeData,
  type Io,
  type OutputOptions,
} from '../context.js';

interface PhonesOptions extends OutputOptions {
  case?: string;
  region?: string;
  minVictims?: string;
}

/** Every number in `text`, one item per occurrence, with its line and column. */
export function phonesInText(text: string, region: string | null): FoundPhone[] {
  const found: FoundPhone[] = [];
  let line = 0;
  for (const lineText of text.split(/\r?\n/)) {
    line++;
    for (const match of extractPhones(lineText, { region })) found.push({ match, line, column: match.start + 1 });
  }
  return found;
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
      'With TEXT arguments, or text on standard input, and no --case: prints every phone number found, normalized\n' +
        'to E.164 (a filter for pipelines). Otherwise lists every number the case has seen, as a sender or inside\n' +
        'messages: how often, when, which senders used it or are it, which victims and exports it appears in.\n' +
        '"valid" means the number matches a numbering pattern of its country, not that it exists.',
    )
    .argument('[text...]', 'text to search for numbers (instead of the case)')
    .option('--region <CC>', 'default country for numbers written without + (e.g. RU, DE)')
    .option('--min-victims <n>', 'only numbers seen in the exports of at least N victims');
  addCaseOption(cmd);
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens phones --region RU "Перезвони 8 (928) 123-45-67 или +7 928 123 45 67"
  $ cat notes.txt | threatlens phones --region RU --format jsonl
  $ threatlens phones --case ./case --min-victims 2
  $ threatlens phones --case ./case --format csv -o numbers.csv`,
  );
  cmd.action(async (texts: string[], options: PhonesOptions) => {
    const region = options.region?.toUpperCase() ?? null;
    if (region !== null && !/^[A-Z]{2}$/.test(region)) throw new UsageError(`--region takes a two-letter country code, not "${options.region}"`);
    const filterMode = options.case === undefined && (texts.length > 0 || stdin.isTTY !== true);
    if (filterMode) {
      if (options.minVictims !== undefined) throw new UsageError('--min-victims needs a case (--case DIR)');
      const text = texts.length > 0 ? texts.join('\n') : await readAll(stdin);
      let found: FoundPhone[];
      try {
        found = phonesInText(text, region);
      } catch (error) {
        throw new UsageError(`--region ${region}: ${(error as Error).message}`);
      }
      await writeData(io, options, renderListing(foundPhoneListing(found), io, options));
      return;
    }
    let minVictims: number | undefined;
    if (options.minVictims !== undefined) {
      if (!/^\d+$/.test(options.minVictims)) throw new UsageError(`--min-victims takes a whole number, not "${options.minVictims}"`);
      minVictims = Number(options.minVictims);
    }
    const handle = openCase(caseDir(options, io.env), { create: false });
    try {
      const phones = listPhones(handle, minVictims !== undefined ? { minVictims } : {});
      await writeData(io, options, renderListing(phoneListing(phones), io, options));
      setExit(0);
    } finally {
      handle.close();
    }
  });
  return cmd;
}
