// The one list of format readers. A new format is one file in readers/ and one line here.
import type { Reader } from './reader.js';
import { telegramJsonReader } from './telegram/telegram-json.js';
import { whatsappZipReader } from './whatsapp/whatsapp-zip.js';
import { whatsappTxtReader } from './whatsapp/whatsapp-txt.js';

/** Tried in this order; the first whose sniff() accepts the file reads it. */
export const READERS: readonly Reader[] = [telegramJsonReader, whatsappZipReader, whatsappTxtReader];

export function findReader(head: Buffer, fileName: string): Reader | undefined {
  return READERS.find((reader) => reader.sniff(head, fileName));
}

export function readerNames(): string {
  return READERS.map((r) => r.name).join(', ');
}
