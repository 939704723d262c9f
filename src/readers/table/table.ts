// Tables of messages from other tools: CSV with a header row, or JSON Lines (one object per line),
// read with the investigator's column map (--map sender=From,text=Body,time=Date…). A table is
// recognised only with a map, and only when its header (or first object) has every column mapped:
// a spreadsheet among the evidence is never taken for messages by its name.
// Rows that cannot be read (no sender, no readable time, a line that is not an object) are left out
// and reported with their line; the rest are kept.
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import type { ParsedMessage, Platform, ReaderEvent, TimeInfo, Warning } from '../../model.js';
import { parsePhoneNumberFromString } from '../../phone/lib.js';
import type { ColumnMap } from '../../settings.js';
import { InputError } from '../../util/errors.js';
import { shortHash } from '../../util/hash.js';
import { formatWallClock, isoUtc, isValidWallClock, wallClockAsUtcMs, zoneConverter , type ZoneConverter } from '../../util/time.js';
import { checkReadZone, wallClockBasis } from '../kit/clock.js';
import { pumpOfBatches, PumpedEvents } from '../kit/events.js';
import type { InputFile, ReadOptions, Reader, SniffContext } from '../reader.js';
import { OTHER, tableMessageId } from './platform.js';

/** Rows whose problems are listed one by one; beyond, one count. */
const LISTED_PROBLEMS = 50;

/** The first line of the head, without a BOM. */
function firstLine(head: Buffer): string {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const end = text.search(/\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

function mappedColumns(map: ColumnMap): string[] {
  return Object.values(map).filter((c): c is string => typeof c === 'string');
}

/** A CSV header (parsed as CSV, by csv-parse) holding every mapped column. */
function sniffCsv(head: Buffer, _name: string, context?: SniffContext): boolean {
  const map = context?.map ?? null;
  if (map === null) return false;
  const line = firstLine(head);
  if (line.startsWith('{')) return false;
  let header: string[];
  try {
    // Loaded only with a map given: its synchronous form, for one line.
    const { parse } = createRequire(import.meta.url)('csv-parse/sync') as typeof import('csv-parse/sync');
    header = ((parse(line, { relax_column_count: true }) as string[][])[0] ?? []).map((h) => h.trim());
  } catch {
    return false;
  }
  return mappedColumns(map).every((c) => header.includes(c));
}

/** A first line that is a JSON object with every mapped key. */
function sniffJsonl(head: Buffer, _name: string, context?: SniffContext): boolean {
  const map = context?.map ?? null;
  if (map === null) return false;
  const line = firstLine(head).trim();
  if (!line.startsWith('{')) return false;
  try {
    const first = JSON.parse(line) as unknown;
    return typeof first === 'object' && first !== null && !Array.isArray(first) && mappedColumns(map).every((c) => c in first);
  } catch {
    return false;
  }
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** A time cell: ISO 8601 (instant with Z or an offset, else a wall clock), or Unix seconds or milliseconds. */
export function tableTime(value: string, zone: ZoneConverter | null, tz: string | null): TimeInfo | null {
  const v = value.trim();
  // Ten digits are seconds (2001-2286), thirteen milliseconds: no messenger dates before 2001.
  if (/^\d{10}$/.test(v) || /^\d{13}$/.test(v)) {
    const ms = v.length <= 10 ? Number(v) * 1000 : Number(v);
    return { utc: isoUtc(ms), local: null, basis: 'instant', zone: null };
  }
  const m = ISO.exec(v);
  if (m === null) return null;
  const wall = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: +(m[6] ?? 0) };
  if (!isValidWallClock(wall)) return null;
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const local = formatWallClock(wall);
  const offsetText = m[8];
  if (offsetText !== undefined) {
    const offset = offsetText.toUpperCase() === 'Z' ? 0 : (offsetText[0] === '-' ? -1 : 1) * (Number(offsetText.slice(1, 3)) * 60 + Number(offsetText.slice(-2)));
    if (Math.abs(offset) > 14 * 60) return null;
    const zoneText = offset === 0 && offsetText.toUpperCase() === 'Z' ? null : `${offsetText.slice(0, 3)}:${offsetText.slice(-2)}`;
    return { utc: isoUtc(wallClockAsUtcMs(wall) + fraction - offset * 60_000), local: zoneText === null ? null : local, basis: 'instant', zone: zoneText };
  }
  if (zone === null) return { utc: isoUtc(wallClockAsUtcMs(wall) + fraction), local, basis: wallClockBasis(tz), zone: null };
  return { utc: isoUtc(zone.toUtc(wall).ms + fraction), local, basis: 'zone', zone: zone.zone };
}

type Row = { line: number; get: (column: string) => string | null };

/** The platform of a table's rows, and how its sender ids become keys (null: ids stay in the victim's scope). */
export interface TableSource {
  platform: Platform;
  accountKeyPrefix: string | null;
}

const OTHER_SOURCE: TableSource = { platform: 'other', accountKeyPrefix: null };

export class TableRead {
  private readonly scope: string;
  private readonly sha12: string;
  private readonly zone: ZoneConverter | null;
  private readonly chats = new Set<string>();
  private problems = 0;
  private readonly fileChat: string;

  constructor(
    private readonly input: InputFile,
    private readonly options: ReadOptions,
    private readonly map: ColumnMap,
    private readonly reader: string,
    /** Whose table it is: `other` (the investigator's map), or a platform whose tool writes it with its account ids. */
    private readonly source: TableSource = OTHER_SOURCE,
  ) {
    checkReadZone(options);
    this.scope = options.senderScope ?? shortHash(input.sha256);
    this.sha12 = shortHash(input.sha256);
    this.zone = options.tz === null ? null : zoneConverter(options.tz);
    this.fileChat = input.displayPath.slice(input.displayPath.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  }

  opening(): ReaderEvent {
    return { type: 'export', info: { platform: this.source.platform, reader: this.reader, ownerKey: null, ownerName: null, ownerPhoneRaw: null, facts: { columns: JSON.stringify(this.map) } } };
  }

  /** How far the file is read, for the progress line. */
  progress(bytes: number): void {
    this.options.progress?.(Math.min(bytes, this.input.size));
  }

  /** A row left out, reported with its line (the first LISTED_PROBLEMS; the rest counted). */
  problem(line: number, message: string): ReaderEvent[] {
    this.problems++;
    if (this.problems > LISTED_PROBLEMS) return [];
    const warning: Warning = { file: this.input.displayPath, line, code: 'table-row', message: `${message}; the row is left out` };
    return [{ type: 'warning', warning }];
  }

  /** The events of one row: its chat the first time, then its message (or the problem). */
  row(row: Row): ReaderEvent[] {
    const cell = (column: string | undefined): string | null => {
      if (column === undefined) return null;
      const v = row.get(column);
      return v === null || v.trim() === '' ? null : v;
    };
    const senderShown = cell(this.map.sender);
    const timeText = cell(this.map.time);
    if (senderShown === null) return this.problem(row.line, `no sender in column "${this.map.sender}"`);
    if (timeText === null) return this.problem(row.line, `no time in column "${this.map.time}"`);
    const time = tableTime(timeText, this.zone, this.options.tz);
    if (time === null) return this.problem(row.line, `unreadable time ${JSON.stringify(timeText.slice(0, 40))} in column "${this.map.time}" (ISO 8601, or Unix seconds or milliseconds)`);
    const phoneText = cell(this.map.phone);
    const parsed = phoneText === null ? undefined : parsePhoneNumberFromString(phoneText.replace(/[^\d+]/g, '').replace(/^(?!\+)/, '+'));
    const phone = parsed !== undefined && parsed.isPossible() ? parsed.number : null;
    const name = senderShown.trim();
    const senderId = cell(this.map.senderId);
    const key =
      phone !== null
        ? `phone:${phone}`
        : senderId !== null && this.source.accountKeyPrefix !== null
          ? `${this.source.accountKeyPrefix}${senderId}`
          : `name:${this.scope}:${senderId ?? name}`;
    const chatName = cell(this.map.chat) ?? this.fileChat;
    const chatId = `${this.source.platform}:${this.sha12}:${chatName}`;
    const out: ReaderEvent[] = [];
    if (!this.chats.has(chatId)) {
      this.chats.add(chatId);
      out.push({ type: 'chat', chat: { id: chatId, name: chatName, platform: this.source.platform, type: 'table' } });
    }
    const id = cell(this.map.id);
    const message: ParsedMessage = {
      platform: this.source.platform,
      kind: 'text',
      chat: { id: chatId, name: chatName },
      sender: { key, name, raw: senderShown, phone },
      outgoing: null,
      time,
      edited: false,
      editedAt: null,
      text: cell(this.map.text) ?? '',
      markedPhones: [],
      links: [],
      media: [],
      forwarded: false,
      forwardedFrom: null,
      replyTo: null,
      action: null,
      location: null,
      contact: null,
      source: { file: this.input.displayPath, sha256: this.input.sha256, line: row.line, ...(id !== null ? { messageId: id } : {}) },
    };
    out.push({ type: 'message', message });
    return out;
  }

  closing(): ReaderEvent[] {
    if (this.problems <= LISTED_PROBLEMS) return [];
    const warning: Warning = { file: this.input.displayPath, code: 'table-row', message: `${this.problems - LISTED_PROBLEMS} more rows could not be read and were left out` };
    return [{ type: 'warning', warning }];
  }
}

function requireMap(options: ReadOptions, input: InputFile): ColumnMap {
  if (options.map == null) throw new InputError(input.displayPath, 'a table of messages is read only with a column map', {}, 'pass --map sender=COLUMN,text=COLUMN,time=COLUMN');
  return options.map;
}

/** Rows of a CSV with a header row, read as `read` says (the investigator's map, or a tool's fixed one). */
export async function* csvBatches(input: InputFile, read: TableRead): AsyncGenerator<ReaderEvent[], void, undefined> {
  yield [read.opening()];
  const { parse } = await import('csv-parse'); // loaded for a table only
  const parser = createReadStream(input.absPath, { flags: 'r' }).pipe(
    parse({ bom: true, columns: (header: string[]) => header.map((h) => h.trim()), relax_column_count: true, relax_quotes: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n'], raw: true, info: true }),
  );
  let out: ReaderEvent[] = [];
  // Line numbers: the header is line 1; a row starts after the previous one's lines (a quoted cell
  // may hold line breaks) and the empty lines skipped since.
  let next = 2;
  let empty = 0;
  try {
    for await (const entry of parser as AsyncIterable<{ record: Record<string, string>; raw: string; info: { empty_lines: number; bytes: number } }>) {
      next += entry.info.empty_lines - empty;
      empty = entry.info.empty_lines;
      const line = next;
      // (csv-parse's raw text ends with the record's line break, or only its \r: not counted.)
      next += 1 + (entry.raw.replace(/\r?\n$/, '').match(/\n/g) ?? []).length;
      out.push(...read.row({ line, get: (c) => entry.record[c] ?? null }));
      if (out.length >= 512) {
        read.progress(entry.info.bytes);
        yield out;
        out = [];
      }
    }
  } catch (error) {
    const e = error as { code?: string; lines?: number; message: string };
    if (typeof e.code === 'string' && e.code.startsWith('CSV_')) throw new InputError(input.displayPath, `not a readable CSV table: ${e.message.replace(/^Invalid [^:]*: /, '')}`, e.lines !== undefined ? { line: e.lines } : {});
    throw error;
  }
  out.push(...read.closing());
  if (out.length > 0) yield out;
}

async function* jsonlBatches(input: InputFile, options: ReadOptions): AsyncGenerator<ReaderEvent[], void, undefined> {
  const read = new TableRead(input, options, requireMap(options, input), 'table-jsonl');
  yield [read.opening()];
  const lines = createInterface({ input: createReadStream(input.absPath, { flags: 'r', encoding: 'utf8' }), crlfDelay: Infinity });
  let out: ReaderEvent[] = [];
  let n = 0;
  let bytes = 0;
  for await (const raw of lines) {
    n++;
    bytes += Buffer.byteLength(raw) + 1;
    const text = (n === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    if (text === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      out.push(...read.problem(n, 'not a JSON object'));
      continue;
    }
    const object = value as Record<string, unknown>;
    const get = (c: string): string | null => {
      const v = object[c];
      return v === undefined || v === null ? null : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
    };
    out.push(...read.row({ line: n, get }));
    if (out.length >= 512) {
      read.progress(bytes);
      yield out;
      out = [];
    }
  }
  out.push(...read.closing());
  if (out.length > 0) yield out;
}

const CAPABILITIES = { accountIds: false, phones: true, zones: true, media: false, forwards: false };

export const tableCsvReader: Reader = {
  name: 'table-csv',
  platform: OTHER,
  folderMarker: null,
  stableChatIds: false,
  messageId: tableMessageId,
  capabilities: CAPABILITIES,
  reads: 'tables of messages (CSV, JSON Lines) with --map',
  description: 'a CSV table of messages with a header row, read with --map sender=…,text=…,time=…',
  sniff: sniffCsv,
  read(input, options) {
    return new PumpedEvents(pumpOfBatches(csvBatches(input, new TableRead(input, options, requireMap(options, input), 'table-csv'))));
  },
};

export const tableJsonlReader: Reader = {
  name: 'table-jsonl',
  platform: OTHER,
  folderMarker: null,
  stableChatIds: false,
  messageId: tableMessageId,
  capabilities: CAPABILITIES,
  reads: 'tables of messages (CSV, JSON Lines) with --map',
  description: 'JSON Lines, one message object per line, read with --map sender=…,text=…,time=…',
  sniff: sniffJsonl,
  read(input, options) {
    return new PumpedEvents(pumpOfBatches(jsonlBatches(input, options)));
  },
};
