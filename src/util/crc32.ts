// CRC-32 (IEEE 802.3, the zip checksum), incrementally: zlib.crc32 where Node has it (20.15+,
// 22.2+), else a table-driven fallback that gives the same values.
import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, value?: number) => number;

let table: Uint32Array | null = null;

/** The byte-at-a-time table of the reflected polynomial 0xEDB88320. */
function crcTable(): Uint32Array {
  if (table !== null) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** The table-driven CRC-32 (exported for tests, which check it against zlib's). */
export function crc32Table(data: Uint8Array, value = 0): number {
  const t = crcTable();
  let c = (value ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const native = (zlib as unknown as { crc32?: Crc32 }).crc32;

/** CRC-32 of `data`, continuing from `value` (the CRC of the bytes before it; 0 to start). */
export const crc32: Crc32 = typeof native === 'function' ? (data, value = 0) => native(data, value) >>> 0 : crc32Table;
