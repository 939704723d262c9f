// One description of a listing serves every format: the items (for JSON/JSONL) and the columns
// (for tables and CSV). Commands build listings; only the CLI decides where they are written.
import { stringify } from 'csv-stringify/sync';
import stringWidth from 'string-width';
import type { ChalkInstance } from 'chalk';
import { csvSafe, escapeJsonText, terminalSafe } from '../util/sanitize.js';
import { mapped, prettyJsonChunks } from '../util/json-stream.js';

export const JSON_SCHEMA = 'threatlens/v1';

export type Cell = string | number | boolean | null;

export interface Column<T> {
  header: string;
  value: (item: T) => Cell;
  /** Table only: the column that takes the remaining width (long text); others fit their content. */
  flex?: boolean;
  /** Table only: maximum width of a fitted column. */
  max?: number;
  /** Table only: where to cut a value that is too wide (`middle` keeps the end, e.g. a line number). */
  cut?: 'end' | 'middle';
  align?: 'left' | 'right';
  /** Table only: colour for the cell text. */
  style?: (chalk: ChalkInstance, text: string, item: T) => string;
  /** false: CSV only (the table shows this in `details` lines instead). */
  table?: boolean;
  /** false: table only (CSV has columns of its own, with the full values). */
  csv?: boolean;
}

/** A line of detail printed beneath an item's table row (long text that a column would cut). */
export interface DetailLine {
  text: string;
  style?: (chalk: ChalkInstance, text: string) => string;
}

export interface Listing<T> {
  /** JSON `kind`: messages, senders, phones, media, clusters… */
  kind: string;
  items: Iterable<T>;
  columns: Column<T>[];
  /** The JSON form of one item (contract field names, camelCase). */
  toJson: (item: T) => unknown;
  /** Table only: lines beneath each row, indented and wrapped to the width, never cut. */
  details?: (item: T) => DetailLine[];
}

export interface TableOptions {
  chalk: ChalkInstance;
  /** Total width available; text is truncated with … to fit. */
  width: number;
}

/**
 * Characters one terminal column wide each, with nothing that joins, combines or hides: printable
 * ASCII, Latin-1 (without the soft hyphen) and Latin Extended, spacing modifiers, Greek, Cyrillic
 * (without its combining marks), dashes, quotes and the ellipsis, '€' and '№'. Most message text is only these; string-width's grapheme
 * segmentation then gives the same answer as the length, at a hundredth of the cost.
 */
const NARROW_ONLY = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u20ac\u2116]*$/;

/**
 * The runs of a text that are not NARROW_ONLY, each with the character before it (a digit before a
 * keycap's U+FE0F U+20E3, a letter before its combining accent: what joins them is in the run).
 */
const OTHER_RUNS = /.?[^\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u20ac\u2116]+/gsu;

/** Widths of the runs met (string-width is slow: a table of a million messages spent most of its time there). */
const runWidths = new Map<string, number>();

/**
 * Columns a terminal gives `text` (cells are terminal-safe already: no controls, no escapes): its
 * length, with each run that is not NARROW_ONLY measured by string-width (a grapheme never spans a
 * narrow character, but the one a run begins with).
 */
export function displayWidth(text: string): number {
  if (NARROW_ONLY.test(text)) return text.length;
  let width = text.length;
  for (const [run] of text.matchAll(OTHER_RUNS)) {
    let measured = runWidths.get(run);
    if (measured === undefined) {
      measured = stringWidth(run);
      if (runWidths.size < 65536) runWidths.set(run, measured);
    }
    width += measured - run.length;
  }
  return width;
}

function cellText(value: Cell): string {
  if (value === null) return '';
  return String(value);
}

function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = displayWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + '…';
}

function truncateMiddle(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const chars = Array.from(text);
  const tail: string[] = [];
  let used = 1;
  for (let i = chars.length - 1; i >= 0 && used + displayWidth(chars[i]!) <= Math.ceil(width / 2); i--) {
    tail.unshift(chars[i]!);
    used += displayWidth(chars[i]!);
  }
  return truncate(text.slice(0, text.length - tail.join('').length), width - used + 1).replace(/…$/, '') + '…' + tail.join('');
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const gap = Math.max(0, width - displayWidth(text));
  return align === 'right' ? ' '.repeat(gap) + text : text + ' '.repeat(gap);
}

const DETAIL_INDENT = '    ';

/** Word-wraps one detail line to `width`, continuation lines indented two more spaces. */
function wrapDetail(text: string, width: number): string[] {
  const room = Math.max(20, width - DETAIL_INDENT.length);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const limit = lines.length === 0 ? room : room - 2;
    if (line !== '' && displayWidth(line) + 1 + displayWidth(word) > limit) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.map((l, i) => (i === 0 ? DETAIL_INDENT : `${DETAIL_INDENT}  `) + l);
}

/** A plain aligned table, terminal-safe, coloured only when the chalk instance has colour. */
export function renderTable<T>(listing: Listing<T>, options: TableOptions): string {
  return [...tableChunks(listing, options)].join('');
}

/**
 * The table of renderTable, line by line (its writer makes pieces of them). Two passes over the
 * items: the first measures every cell, the second writes each line as it goes; no cell is kept
 * between them (a million messages' cells held at once, and Math.max over a column of them
 * overflowed the stack).
 */
export function* tableChunks<T>(listing: Listing<T>, options: TableOptions): Generator<string> {
  const { chalk } = options;
  const columns = listing.columns.filter((c) => c.table !== false);
  const items = Array.from(listing.items);
  const cellOf = (c: Column<T>, item: T): string => terminalSafe(cellText(c.value(item)));
  const gap = 2;
  const natural = columns.map((c) => displayWidth(c.header));
  for (const item of items) {
    columns.forEach((c, i) => {
      const width = displayWidth(cellOf(c, item));
      if (width > natural[i]!) natural[i] = width;
    });
  }
  const widths = columns.map((c, i) => (c.flex ? natural[i]! : Math.min(natural[i]!, c.max ?? 40)));
  const flexIndex = columns.findIndex((c) => c.flex);
  if (flexIndex >= 0) {
    const fixed = widths.reduce((sum, w, i) => (i === flexIndex ? sum : sum + w), 0) + gap * (columns.length - 1);
    widths[flexIndex] = Math.max(16, Math.min(widths[flexIndex]!, options.width - fixed));
  }
  yield columns
    .map((c, i) => chalk.bold(pad(truncate(c.header, widths[i]!), widths[i]!, c.align ?? 'left')))
    .join(' '.repeat(gap))
    .trimEnd() + '\n';
  for (const item of items) {
    const line = columns
      .map((c, i) => {
        const cell = cellOf(c, item);
        const cut = c.cut === 'middle' ? truncateMiddle(cell, widths[i]!) : truncate(cell, widths[i]!);
        const text = pad(cut, widths[i]!, c.align ?? 'left');
        return c.style ? c.style(chalk, text, item) : text;
      })
      .join(' '.repeat(gap));
    yield line.trimEnd() + '\n';
    for (const detail of listing.details?.(item) ?? [])
      for (const wrapped of wrapDetail(terminalSafe(detail.text), options.width)) yield (detail.style ? detail.style(chalk, wrapped) : wrapped) + '\n';
  }
}

/**
 * CSV with a header row; every cell guarded against formula injection. With `bom`, a UTF-8
 * byte-order mark first: Excel reads a CSV without one in the system's code page.
 */
export function* renderCsv<T>(listing: Listing<T>, bom = false): Generator<string> {
  const columns = listing.columns.filter((c) => c.csv !== false);
  const line = (cells: string[]): string => stringify([cells], { record_delimiter: 'unix' });
  yield (bom ? '\ufeff' : '') + line(columns.map((c) => c.header));
  for (const item of listing.items) yield line(columns.map((c) => csvSafe(cellText(c.value(item)))));
}

/**
 * `{"schema": "threatlens/v1", "kind": KIND, "items": [...]}`, two-space indented, written item by
 * item; the bytes equal JSON.stringify(document, null, 2) of the whole document.
 */
export function renderJson<T>(listing: Listing<T>, extra: Record<string, unknown> = {}): Generator<string> {
  return prettyJsonChunks({ schema: JSON_SCHEMA, kind: listing.kind, ...extra }, [['items', mapped(listing.items, listing.toJson)]]);
}

/** One item per line. */
export function* renderJsonl<T>(listing: Listing<T>): Generator<string> {
  for (const item of listing.items) yield escapeJsonText(JSON.stringify(listing.toJson(item))) + '\n';
}
