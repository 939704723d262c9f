// Turning filter options typed by an investigator into a MessageFilter, with clear usage errors.
import { UsageError } from '../util/errors.js';
import { isoUtc } from '../util/time.js';
import { searchFold } from '../attribution/text.js';
import { Option, type Command } from 'commander';
import { PLATFORMS } from '../model.js';
import type { MessageFilter } from '../store/query.js';

export interface FilterOptions {
  sender?: string;
  victim?: string;
  platform?: string;
  since?: string;
  until?: string;
  grep?: string;
  fold?: boolean;
  search?: string;
  limit?: string;
  phone?: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** `2022-01-05` is the start of that day in UTC; a time needs an explicit zone (Z or ±hh:mm). */
export function parseInstant(value: string, option: string, endOfDay = false): string {
  if (DATE_ONLY.test(value)) {
    const ms = Date.parse(`${value}T00:00:00Z`);
    if (Number.isNaN(ms) || isoUtc(ms).slice(0, 10) !== value) throw new UsageError(`${option}: no such date "${value}"`);
    return isoUtc(endOfDay ? ms + 86_400_000 : ms);
  }
  if (DATE_TIME.test(value)) {
    const ms = Date.parse(value.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return isoUtc(ms);
  }
  throw new UsageError(
    `${option} takes a date (2022-01-05) or a time with its zone (2022-01-05T10:15:00Z, 2022-01-05T13:15+03:00), not "${value}"`,
  );
}

/**
 * Full-text query: every word must appear (FTS5 phrase per word, so punctuation in the input can
 * never be read as query syntax); a trailing * matches a prefix. Each word is folded as stored texts
 * are (searchFold): the index holds a folded copy of every text that folding changes, so a word
 * disguised with look-alike letters or invisible characters, in the text or in the query, is found.
 */
export function ftsQuery(text: string): string {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) throw new UsageError('--search needs at least one word');
  return words
    .map((word) => {
      const prefix = word.endsWith('*') && word.length > 1;
      const core = searchFold(prefix ? word.slice(0, -1) : word).replace(/"/g, '""');
      return `"${core}"${prefix ? '*' : ''}`;
    })
    .join(' ');
}

export function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--limit takes a whole number, not "${value}"`);
  return Number(value);
}

/**
 * The filters every command over a case's messages takes (messages, senders, phones, media,
 * cluster), combined with AND: what they list or cluster is what those messages say.
 */
export function addMessageFilterOptions(cmd: Command): Command {
  return cmd
    .option('--sender <key|name>', 'a sender key (telegram:user5012345678, phone:+79281234567) or part of a name')
    .option('--victim <label>', "only messages from this victim's exports")
    .addOption(new Option('--platform <name>', 'only messages of this platform').choices([...PLATFORMS]))
    .option('--since <date>', 'from this date or time (UTC unless the time says otherwise)')
    .option('--until <date>', 'up to and including this date, or before this time');
}

/** Whether any of addMessageFilterOptions' options is given. */
export function selectsMessages(options: FilterOptions): boolean {
  return [options.sender, options.victim, options.platform, options.since, options.until].some((x) => x !== undefined);
}

/** The message filter of addMessageFilterOptions' options alone (commands without --grep, --search…). */
export function scopeFilter(options: FilterOptions): MessageFilter {
  return messageFilter({
    ...(options.sender !== undefined ? { sender: options.sender } : {}),
    ...(options.victim !== undefined ? { victim: options.victim } : {}),
    ...(options.platform !== undefined ? { platform: options.platform } : {}),
    ...(options.since !== undefined ? { since: options.since } : {}),
    ...(options.until !== undefined ? { until: options.until } : {}),
  });
}

export function messageFilter(options: FilterOptions): MessageFilter {
  const filter: MessageFilter = {};
  if (options.sender !== undefined) filter.sender = options.sender;
  if (options.victim !== undefined) filter.victim = options.victim;
  if (options.platform !== undefined) filter.platform = options.platform;
  if (options.since !== undefined) filter.since = parseInstant(options.since, '--since');
  if (options.until !== undefined) filter.until = parseInstant(options.until, '--until', true);
  if (options.grep !== undefined) {
    try {
      new RegExp(options.grep, 'u');
    } catch (error) {
      throw new UsageError(`--grep: invalid regular expression: ${(error as Error).message}`);
    }
    filter.grep = options.grep;
    if (options.fold === true) filter.grepFolded = true;
  } else if (options.fold === true) {
    throw new UsageError('--fold applies to --grep (--search always folds)', 'add --grep PATTERN, or leave out --fold');
  }
  if (options.search !== undefined) filter.match = ftsQuery(options.search);
  const limit = parseLimit(options.limit);
  if (limit !== undefined) filter.limit = limit;
  return filter;
}
