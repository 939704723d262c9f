// The investigator's settings for reading exports: --tz, --region and --date-order on the command
// line, "tz", "region" and "dateOrder" in a threatlens.json, and the same fields of a reader's
// options. One check per setting and one message per mistake, whoever asks, so a mistyped zone
// reads the same whether it came from a flag, a notes file or a library call. The caller only says
// where the value came from (`name`: "--region", or `anna/threatlens.json: "region"`).
//
// This sits below the readers (they check their own options, for callers that skip the command
// line), so it may import only util/ and phone/, never ingest/ or cli/.
import { UsageError } from './util/errors.js';
import { isKnownZone } from './util/time.js';
import { regionProblem } from './phone/countries.js';

export const DATE_ORDERS = ['dmy', 'mdy', 'ymd'] as const;
/** How a WhatsApp export writes dates, when the file itself cannot prove it. */
export type DateOrder = (typeof DATE_ORDERS)[number];

const ZONE_HINT = 'use an IANA name such as Europe/Moscow, Asia/Almaty, UTC, or an offset such as +03:00';

/**
 * `value` when it is an IANA zone this Node knows or a fixed offset; else a usage error. `where`
 * (a settings file's name) is put before the message; a flag needs none, the value names it.
 */
export function checkZone(value: string, where: string | null = null): string {
  if (!isKnownZone(value)) throw new UsageError(`${where !== null ? `${where}: ` : ''}unknown time zone "${value}"`, ZONE_HINT);
  return value;
}

/**
 * `value` upper-cased when libphonenumber-js has a numbering plan for it; else a usage error. A code
 * it does not know would otherwise surface as an internal error deep in the phone stage.
 */
export function checkRegion(value: string, name = '--region'): string {
  const problem = regionProblem(value);
  if (problem !== null) throw new UsageError(`${name} "${value}" is ${problem.problem}`, problem.hint);
  return value.trim().toUpperCase();
}

/** `value` when it is one of DATE_ORDERS; else a usage error naming them. */
export function checkDateOrder(value: string, name = '--date-order'): DateOrder {
  if (!(DATE_ORDERS as readonly string[]).includes(value)) throw new UsageError(`${name} is ${DATE_ORDERS.slice(0, -1).join(', ')} or ${DATE_ORDERS.at(-1)}, not "${value}"`);
  return value as DateOrder;
}

/** The fields a table of messages (CSV, JSON Lines) can give, by the columns that hold them (--map). */
export interface ColumnMap {
  /** Who wrote it, as shown (a name, a number). */
  sender: string;
  text: string;
  /** When: ISO 8601 (an instant with Z or an offset, else a wall clock), or Unix seconds or milliseconds. */
  time: string;
  /** The sender's phone number (makes a `phone:` identity, as on WhatsApp and Signal). */
  phone?: string;
  /** A stable id of the sender in the source (kept apart from the name it shows). */
  senderId?: string;
  /** The chat or conversation a row belongs to (default: one chat per file). */
  chat?: string;
  /** The source's own id of the message. */
  id?: string;
}

const MAP_FIELDS: readonly (keyof ColumnMap)[] = ['sender', 'text', 'time', 'phone', 'senderId', 'chat', 'id'];
const MAP_REQUIRED: readonly (keyof ColumnMap)[] = ['sender', 'text', 'time'];
const MAP_HINT = 'for example --map sender=From,text=Body,time=Date (fields: sender, text, time; optional phone, senderId, chat, id)';

/** `field=Column,field=Column…` (--map) as a ColumnMap; a usage error naming the mistake. */
export function parseColumnMap(spec: string, name = '--map'): ColumnMap {
  const map: Partial<Record<keyof ColumnMap, string>> = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const field = (eq < 0 ? part : part.slice(0, eq)).trim();
    const column = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!(MAP_FIELDS as readonly string[]).includes(field)) throw new UsageError(`${name}: unknown field "${field}"`, MAP_HINT);
    if (column === '') throw new UsageError(`${name}: field "${field}" names no column`, MAP_HINT);
    if (map[field as keyof ColumnMap] !== undefined) throw new UsageError(`${name}: field "${field}" is mapped twice`, MAP_HINT);
    map[field as keyof ColumnMap] = column;
  }
  const missing = MAP_REQUIRED.filter((f) => map[f] === undefined);
  if (missing.length > 0) throw new UsageError(`${name}: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required`, MAP_HINT);
  return map as ColumnMap;
}
