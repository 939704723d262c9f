// Content sniffing for WhatsApp chat text (the first header-looking line decides) and for .zip
// exports (a chat text entry among the first local headers).
import { constants as zlibConstants, inflateRawSync } from 'node:zlib';
import { parseHeaderLine } from './header.js';
import { decodeHead } from './lines.js';

/** Non-header lines allowed before the first header (a title line, a pasted note). */
const MAX_SKIPPED = 5;

/** True when `text` (the beginning of a file) reads as a WhatsApp export. */
export function looksLikeChatText(text: string): boolean {
  let skipped = 0;
  let start = 0;
  for (let n = 0; n < 50 && start < text.length; n++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (line.replace(/[\s\uFEFF\u200E\u200F]/g, '') === '') continue;
    if (parseHeaderLine(line) !== null) return true;
    if (++skipped > MAX_SKIPPED) return false;
  }
  return false;
}

const LOCAL_HEADER = 0x04034b50;
/** Compressed bytes of a text entry inflated for sniffing, and the most text kept. */
const SNIFF_INPUT = 4096;
const SNIFF_OUTPUT = 8 * 1024 * 1024;

/**
 * True when a zip's first bytes hold a WhatsApp chat text: `_chat.txt`, or a `.txt` entry whose
 * beginning (inflated from the head) reads as a chat. The file name is only a tie-breaker.
 */
export function looksLikeChatZip(head: Buffer, fileName: string): boolean {
  if (head.length < 30 || head.readUInt32LE(0) !== LOCAL_HEADER) return false;
  let pos = 0;
  while (pos + 30 <= head.length && head.readUInt32LE(pos) === LOCAL_HEADER) {
    const flags = head.readUInt16LE(pos + 6);
    const method = head.readUInt16LE(pos + 8);
    const compressed = head.readUInt32LE(pos + 18);
    const nameLength = head.readUInt16LE(pos + 26);
    const extraLength = head.readUInt16LE(pos + 28);
    const name = head.toString('utf8', pos + 30, Math.min(head.length, pos + 30 + nameLength));
    const dataStart = pos + 30 + nameLength + extraLength;
    if (/\.txt$/i.test(name)) {
      if (/(^|\/)_chat\.txt$/i.test(name)) return true;
      const data = head.subarray(dataStart, Math.min(head.length, dataStart + (compressed || SNIFF_INPUT), dataStart + SNIFF_INPUT));
      const text = inflateForSniff(data, method);
      if (text !== null && looksLikeChatText(decodeHead(text))) return true;
    }
    if ((flags & 0x08) !== 0) break; // sizes follow the data: the next header cannot be found
    pos = dataStart + compressed;
  }
  return /whatsapp/i.test(fileName.split(/[\\/]/).pop() ?? '');
}

function inflateForSniff(data: Buffer, method: number): Buffer | null {
  if (method === 0) return data;
  if (method !== 8) return null;
  try {
    return inflateRawSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: SNIFF_OUTPUT });
  } catch {
    return null;
  }
}
