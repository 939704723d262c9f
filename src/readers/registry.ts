// The one list of format readers. A new format is one folder in readers/ and one line here; a new
// platform also adds its name to model.ts PLATFORMS, which this module checks against the list.
import { PLATFORMS, type Platform } from '../model.js';
import type { PlatformInfo, Reader, SniffContext } from './reader.js';
import { telegramJsonReader } from './telegram/telegram-json.js';
import { telegramHtmlReader } from './telegram/telegram-html.js';
import { sigtopTextReader } from './signal/sigtop-text.js';
import { signalMdReader } from './signal/signal-md.js';
import { discordDceJsonReader } from './discord/dce-json.js';
import { discordDceCsvReader } from './discord/dce-csv.js';
import { instagramJsonReader, messengerJsonReader } from './meta/meta-json.js';
import { tableCsvReader, tableJsonlReader } from './table/table.js';
import { whatsappZipReader } from './whatsapp/whatsapp-zip.js';
import { whatsappTxtReader } from './whatsapp/whatsapp-txt.js';

/** Tried in this order; the first whose sniff() accepts the file reads it (tables only with --map). */
export const READERS: readonly Reader[] = [telegramJsonReader, telegramHtmlReader, sigtopTextReader, signalMdReader, discordDceJsonReader, discordDceCsvReader, messengerJsonReader, instagramJsonReader, tableCsvReader, tableJsonlReader, whatsappZipReader, whatsappTxtReader];

/** Each platform's facts, from its readers. */
const PLATFORM_INFO: ReadonlyMap<Platform, PlatformInfo> = platformTable(READERS);

/**
 * The platforms the readers declare, checked against model.ts PLATFORMS (the names the model's
 * types allow): each name has a reader, each reader's platform is a known name, and the readers of
 * one platform agree on its facts. A mismatch is a programming error, caught on first import.
 */
export function platformTable(readers: readonly Reader[]): Map<Platform, PlatformInfo> {
  const table = new Map<Platform, PlatformInfo>();
  for (const reader of readers) {
    const info = reader.platform;
    if (!(PLATFORMS as readonly string[]).includes(info.name)) {
      throw new Error(`reader ${reader.name}: platform "${info.name}" is not in model.ts PLATFORMS`);
    }
    const known = table.get(info.name);
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(info)) {
      throw new Error(`reader ${reader.name}: its facts of platform "${info.name}" differ from another reader's`);
    }
    table.set(info.name, info);
  }
  for (const name of PLATFORMS) if (!table.has(name)) throw new Error(`platform "${name}" of model.ts PLATFORMS has no reader`);
  return table;
}

export function findReader(head: Buffer, fileName: string, context: SniffContext = { map: null }): Reader | undefined {
  return READERS.find((reader) => reader.sniff(head, fileName, context));
}

export function readerNames(): string {
  return READERS.map((r) => r.name).join(', ');
}

/** The facts of a platform. */
export function platformInfo(name: Platform): PlatformInfo {
  return PLATFORM_INFO.get(name)!;
}

/**
 * How a platform's account ids become identity keys, and its name in ledgers; undefined for a
 * platform whose exports name no account ids.
 */
export function accountIds(name: Platform): { keyPrefix: string; label: string } | undefined {
  const info = PLATFORM_INFO.get(name);
  return info?.accountKeyPrefix == null ? undefined : { keyPrefix: info.accountKeyPrefix, label: info.displayName };
}

/** The files at the top of a whole-account export read chat by chat (`export_results.html`). */
export function accountMarkers(): ReadonlySet<string> {
  return new Set(READERS.flatMap((r) => r.accountMarkers ?? []));
}

/** The files that mark the top of a folder export (`result.json`, `export_results.html`). */
export function folderMarkers(): ReadonlySet<string> {
  return new Set(READERS.flatMap((r) => [...(r.folderMarker === null ? [] : [r.folderMarker]), ...(r.accountMarkers ?? [])]));
}

/** `threatlens reads Telegram Desktop JSON exports, WhatsApp .txt/.zip exports and images`. */
export function readsHint(): string {
  const reads = [...new Set(READERS.map((r) => r.reads))];
  return `threatlens reads ${reads.join(', ')} and images`;
}
