// The options several commands share (case, ingest, output), declared once for commander, and
// turned into what the use cases take. Values are checked by the one settings module (settings.ts).
import { Command, Option } from 'commander';
import type { IngestOptions } from '../ingest/pipeline.js';
import { UsageError } from '../util/errors.js';
import { checkRegion, checkZone, DATE_ORDERS, parseColumnMap, type ColumnMap, type DateOrder } from '../settings.js';
import { LISTING_FORMATS, type Formats } from '../output/formats/index.js';
import type { Io } from './io.js';

export type { OutputOptions } from './io.js';
import { progressReporter } from './progress.js';
import { caseForAnalysis, type OpenedCase } from '../app/case.js';

export const DEFAULT_CASE_DIR = './threatlens-case';

export interface IngestCliOptions {
  case?: string;
  victim?: string;
  tz?: string;
  region?: string;
  dateOrder?: DateOrder;
  map?: ColumnMap;
}

/** -f/--format offering the names of `formats` (a registry of output/formats/index.ts), -o and --no-color. */
export function addOutputOptions(cmd: Command, formats: Formats<never> = LISTING_FORMATS): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(formats)).default('table'))
    .option('-o, --output <file>', 'write the data to FILE instead of standard output')
    .option('--bom', 'CSV: begin with a byte-order mark, so that Excel reads the UTF-8 (Cyrillic) right')
    .option('--no-color', 'no colour in tables, even on a terminal or with $FORCE_COLOR (as $NO_COLOR does)');
}

export function addCaseOption(cmd: Command): Command {
  return cmd
    .option('-c, --case <dir>', `case directory (default: $THREATLENS_CASE, else ${DEFAULT_CASE_DIR})`)
    .option('--examiner <name>', "who runs this, for the case's custody log (default: the case's examiner, else $THREATLENS_EXAMINER)");
}

/**
 * The value of --region, checked while the command line is parsed (before any case is opened or
 * file read) and upper-cased: one check, one message, for every command that takes --region. A code
 * libphonenumber-js does not know would otherwise surface as an internal error deep in the phone stage.
 */
export function parseRegion(value: string): string {
  return checkRegion(value);
}

/** --region CC, as every command that reads phone numbers takes it (checked by parseRegion). */
export function regionOption(description = 'default country for phone numbers written without +, e.g. RU'): Option {
  return new Option('--region <CC>', description).argParser(parseRegion);
}

export function addIngestOptions(cmd: Command, victimOption = true): Command {
  if (victimOption) cmd.option('--victim <label>', "whose export it is (default: the folder below PATH, or the file's folder)");
  return cmd
    .option('--tz <zone>', 'IANA zone (e.g. Europe/Moscow) of exports whose times carry no zone')
    .addOption(regionOption())
    .addOption(
      new Option('--date-order <order>', 'date order of WhatsApp exports when the file cannot prove it').choices(DATE_ORDERS),
    )
    .addOption(
      new Option('--map <fields>', 'read CSV / JSON Lines tables of messages: field=column pairs (sender, text, time; phone, senderId, chat, id)').argParser((v) =>
        parseColumnMap(v),
      ),
    );
}

export function validateIngestOptions(options: IngestCliOptions): void {
  if (options.tz !== undefined) checkZone(options.tz);
  if (options.victim !== undefined && options.victim.trim() === '') {
    throw new UsageError('--victim needs a non-empty label');
  }
}

/** The case directory: --case, else $THREATLENS_CASE, else ./threatlens-case. */
export function caseDir(options: { case?: string }, env: NodeJS.ProcessEnv): string {
  return options.case ?? (env.THREATLENS_CASE || DEFAULT_CASE_DIR);
}

/** The pipeline's options from the command line's (checked by validateIngestOptions and parseRegion). */
export function ingestOptions(options: IngestCliOptions, io: Io): IngestOptions {
  return {
    victim: options.victim ?? null,
    tz: options.tz ?? null,
    dateOrder: options.dateOrder ?? null,
    region: options.region ?? null,
    map: options.map ?? null,
    progress: progressReporter(io),
  };
}

// The clustering options of `cluster`, `explain` and `analyze`.

/**
 * The case an analysis command works on (see caseForAnalysis): the PATHs ingested into --case or
 * into a throw-away case, else the existing case (--case, $THREATLENS_CASE, ./threatlens-case).
 */
export function analysisCase(paths: string[], options: IngestCliOptions, io: Io, shows: { imageFacts: boolean } = { imageFacts: true }): Promise<OpenedCase> {
  validateIngestOptions(options);
  return caseForAnalysis(paths, { named: options.case ?? null, existing: caseDir(options, io.env) }, { ...ingestOptions(options, io), imageFacts: shows.imageFacts });
}
