// The TIFF structure inside an EXIF block: just enough of it to neutralise entries that make exifr
// abandon the whole block. exifr throws on one entry with an unknown value type (a Sony DSC-HX5V
// does this, MEDIA.md §1) and then loses Make, Model, dates and the GPS pointer together; exiftool
// warns and reads on. Here such entries are turned into empty UNDEFINED values in a copy, so the
// rest of the block can be parsed, and each one is reported.

const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];
const SUB_IFDS: Record<number, string> = { 0x8769: 'ExifIFD', 0x8825: 'GPS', 0xa005: 'Interop' };

export interface TiffRepair {
  /** A repaired copy of the TIFF block. */
  tiff: Buffer;
  /** One line per neutralised entry. */
  notes: string[];
}

/** Returns a repaired copy when some entry was bad, or null when nothing needed repair or the block is not TIFF. */
export function repairTiff(source: Buffer): TiffRepair | null {
  if (source.length < 8) return null;
  const order = source.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const tiff = Buffer.from(source);
  const le = order === 'II';
  const u16 = (at: number): number => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number): number => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const w16 = (at: number, v: number): void => void (le ? tiff.writeUInt16LE(v, at) : tiff.writeUInt16BE(v, at));
  const w32 = (at: number, v: number): void => void (le ? tiff.writeUInt32LE(v, at) : tiff.writeUInt32BE(v, at));
  if (u16(2) !== 42) return null;
  const notes: string[] = [];
  const seen = new Set<number>();
  const walk = (offset: number, name: string, followNext: boolean): void => {
    if (offset < 8 || offset + 2 > tiff.length || seen.has(offset)) return;
    seen.add(offset);
    const count = u16(offset);
    if (offset + 2 + count * 12 > tiff.length) {
      notes.push(`${name}: ${count} entries run past the end of the EXIF block`);
      return;
    }
    for (let i = 0; i < count; i++) {
      const at = offset + 2 + i * 12;
      const tag = u16(at);
      const type = u16(at + 2);
      const n = u32(at + 4);
      const size = TYPE_SIZE[type];
      const tagHex = `0x${tag.toString(16).padStart(4, '0')}`;
      if (size === undefined || size === 0) {
        notes.push(`${name} entry ${i} (tag ${tagHex}) has invalid TIFF type ${type}; ignored`);
        w16(at + 2, 7);
        w32(at + 4, 0);
        continue;
      }
      if (size * n > 4 && u32(at + 8) + size * n > tiff.length) {
        notes.push(`${name} entry ${i} (tag ${tagHex}) points outside the EXIF block; ignored`);
        w32(at + 4, 0);
        continue;
      }
      const sub = SUB_IFDS[tag];
      if (sub !== undefined) walk(u32(at + 8), sub, false);
    }
    if (followNext && offset + 2 + count * 12 + 4 <= tiff.length) {
      const next = u32(offset + 2 + count * 12);
      if (next !== 0) walk(next, 'IFD1', false);
    }
  };
  walk(u32(4), 'IFD0', true);
  return notes.length > 0 ? { tiff, notes } : null;
}

/** The embedded JPEG thumbnail at ThumbnailOffset/ThumbnailLength (relative to the TIFF start), checked to start with SOI. */
export function sliceThumbnail(tiff: Buffer, offset: unknown, length: unknown): Buffer | null {
  if (typeof offset !== 'number' || typeof length !== 'number') return null;
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset <= 0 || length < 4) return null;
  if (offset + length > tiff.length) return null;
  const thumb = tiff.subarray(offset, offset + length);
  return thumb[0] === 0xff && thumb[1] === 0xd8 ? thumb : null;
}
