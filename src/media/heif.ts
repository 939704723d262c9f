// The EXIF item of a HEIF/HEIC/AVIF file, located by hand (meta → iinf → iloc). exifr ignores the
// iloc base_offset and construction method, so files written by libheif (heif-enc, GIMP, many
// converters), which put the item's position in base_offset, come out as "Malformed EXIF data".

const u32 = (b: Buffer, at: number): number => b.readUInt32BE(at);

/** Reads an unsigned big-endian integer of 0, 4 or 8 bytes (iloc field sizes). */
function uint(b: Buffer, at: number, size: number): number {
  if (size === 0) return 0;
  if (size === 4) return b.readUInt32BE(at);
  if (size === 8) return Number(b.readBigUInt64BE(at));
  if (size === 2) return b.readUInt16BE(at);
  throw new RangeError(`unsupported iloc field size ${size}`);
}

interface Box {
  type: string;
  /** First byte after the header. */
  start: number;
  end: number;
}

function* boxes(b: Buffer, from: number, to: number): Generator<Box> {
  let p = from;
  while (p + 8 <= to) {
    let size = u32(b, p);
    const type = b.toString('latin1', p + 4, p + 8);
    let start = p + 8;
    if (size === 1) {
      if (p + 16 > to) return;
      size = Number(b.readBigUInt64BE(p + 8));
      start = p + 16;
    } else if (size === 0) size = to - p;
    if (size < start - p || p + size > to) return;
    yield { type, start, end: p + size };
    p += size;
  }
}

const child = (b: Buffer, parent: Box, type: string, skip = 0): Box | undefined => {
  for (const box of boxes(b, parent.start + skip, parent.end)) if (box.type === type) return box;
  return undefined;
};

/** Item id of the first `Exif` item in iinf. */
function exifItemId(b: Buffer, iinf: Box): number | null {
  const version = b[iinf.start]!;
  const entriesAt = iinf.start + 4 + (version === 0 ? 2 : 4);
  for (const infe of boxes(b, entriesAt, iinf.end)) {
    if (infe.type !== 'infe') continue;
    const v = b[infe.start]!;
    if (v < 2) continue;
    const idSize = v === 3 ? 4 : 2;
    const id = uint(b, infe.start + 4, idSize);
    const itemType = b.toString('latin1', infe.start + 4 + idSize + 2, infe.start + 4 + idSize + 6);
    if (itemType === 'Exif') return id;
  }
  return null;
}

/** The bytes of one item, following iloc (construction methods 0: file offset, 1: idat). */
function itemBytes(b: Buffer, meta: Box, iloc: Box, wanted: number): Buffer | null {
  const version = b[iloc.start]!;
  let p = iloc.start + 4;
  const offsetSize = b[p]! >> 4;
  const lengthSize = b[p]! & 15;
  const baseOffsetSize = b[p + 1]! >> 4;
  const indexSize = version === 1 || version === 2 ? b[p + 1]! & 15 : 0;
  p += 2;
  const count = version < 2 ? b.readUInt16BE(p) : u32(b, p);
  p += version < 2 ? 2 : 4;
  for (let i = 0; i < count; i++) {
    const id = version < 2 ? b.readUInt16BE(p) : u32(b, p);
    p += version < 2 ? 2 : 4;
    let method = 0;
    if (version === 1 || version === 2) {
      method = b.readUInt16BE(p) & 15;
      p += 2;
    }
    p += 2; // data_reference_index
    const base = uint(b, p, baseOffsetSize);
    p += baseOffsetSize;
    const extents = b.readUInt16BE(p);
    p += 2;
    const parts: Buffer[] = [];
    for (let e = 0; e < extents; e++) {
      p += indexSize;
      const offset = uint(b, p, offsetSize);
      p += offsetSize;
      const length = uint(b, p, lengthSize);
      p += lengthSize;
      if (id !== wanted) continue;
      let from: number;
      if (method === 0) from = base + offset;
      else if (method === 1) {
        const idat = child(b, meta, 'idat', 4);
        if (!idat) return null;
        from = idat.start + base + offset;
      } else return null;
      const to = length === 0 ? b.length : from + length;
      if (to > b.length) return null;
      parts.push(b.subarray(from, to));
    }
    if (id === wanted) return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
  return null;
}

/**
 * The TIFF structure of the file's EXIF item (after its 4-byte header offset), or null when there is
 * none or the boxes are malformed. `file` is the whole file.
 */
export function heifExifTiff(file: Buffer): Buffer | null {
  try {
    const top = { type: 'file', start: 0, end: file.length };
    const meta = child(file, top, 'meta');
    if (!meta) return null;
    // meta is a full box: 4 bytes of version and flags before its children.
    const iinf = child(file, meta, 'iinf', 4);
    const iloc = child(file, meta, 'iloc', 4);
    if (!iinf || !iloc) return null;
    const id = exifItemId(file, iinf);
    if (id === null) return null;
    const item = itemBytes(file, meta, iloc, id);
    if (!item || item.length < 4) return null;
    const tiff = item.subarray(4 + u32(item, 0));
    const order = tiff.toString('latin1', 0, 2);
    return order === 'II' || order === 'MM' ? tiff : null;
  } catch {
    return null; // a truncated box table reads past the end: no EXIF we can trust
  }
}
