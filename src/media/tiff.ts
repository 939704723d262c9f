// The TIFF structure inside an EXIF block: just enough of it to neutralise entries that make exifr
// lose data. exifr throws on one IFD0 entry with an unknown value type (a Sony DSC-HX5V does this,
// MEDIA.md §1) and then loses Make, Model, dates and the GPS pointer together; in the EXIF, GPS,
// Interop and IFD1 directories it stops at such an entry without a word and keeps only what came
// before it. exiftool warns and reads on. Here such entries are found by our own walk, turned into
// empty UNDEFINED values in a copy so the rest can be parsed, and each one is reported. Nothing is
// invented: a directory whose entry count runs past the block is reported, not shortened.

const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];
const SUB_IFDS: Record<number, string> = { 0x8769: 'ExifIFD', 0x8825: 'GPS', 0xa005: 'Interop' };

export interface TiffRepair {
  /** A repaired copy of the TIFF block. */
  tiff: Buffer;
  /** One line per problem found (neutralised entries, directories running past the block). */
  notes: string[];
}

/**
 * Walks IFD0, IFD1 and the EXIF, GPS and Interop directories. Returns a repaired copy when some
 * entry was bad (or a directory overran the block, then the copy equals the source), or null when
 * the structure is sound or is not TIFF. Reads the source only; copies only when there is a problem.
 */
export function repairTiff(source: Buffer): TiffRepair | null {
  if (source.length < 8) return null;
  const order = source.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const u16 = (at: number): number => (le ? source.readUInt16LE(at) : source.readUInt16BE(at));
  const u32 = (at: number): number => (le ? source.readUInt32LE(at) : source.readUInt32BE(at));
  if (u16(2) !== 42) return null;
  const notes: string[] = [];
  /** Entries to neutralise: their offsets, and whether the type too is bad (else only the count). */
  const fixes: { at: number; badType: boolean }[] = [];
  const seen = new Set<number>();
  const walk = (offset: number, name: string, followNext: boolean): void => {
    if (offset < 8 || offset + 2 > source.length || seen.has(offset)) return;
    seen.add(offset);
    const count = u16(offset);
    if (offset + 2 + count * 12 > source.length) {
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
        fixes.push({ at, badType: true });
        continue;
      }
      if (size * n > 4 && u32(at + 8) + size * n > source.length) {
        notes.push(`${name} entry ${i} (tag ${tagHex}) points outside the EXIF block; ignored`);
        fixes.push({ at, badType: false });
        continue;
      }
      const sub = SUB_IFDS[tag];
      if (sub !== undefined) walk(u32(at + 8), sub, false);
    }
    if (followNext && offset + 2 + count * 12 + 4 <= source.length) {
      const next = u32(offset + 2 + count * 12);
      if (next !== 0) walk(next, 'IFD1', false);
    }
  };
  walk(u32(4), 'IFD0', true);
  if (notes.length === 0) return null;
  const tiff = Buffer.from(source);
  for (const { at, badType } of fixes) {
    if (badType) void (le ? tiff.writeUInt16LE(7, at + 2) : tiff.writeUInt16BE(7, at + 2));
    void (le ? tiff.writeUInt32LE(0, at + 4) : tiff.writeUInt32BE(0, at + 4));
  }
  return { tiff, notes };
}

/** The embedded JPEG thumbnail at ThumbnailOffset/ThumbnailLength (relative to the TIFF start), checked to start with SOI. */
export function sliceThumbnail(tiff: Buffer, offset: unknown, length: unknown): Buffer | null {
  if (typeof offset !== 'number' || typeof length !== 'number') return null;
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset <= 0 || length < 4) return null;
  if (offset + length > tiff.length) return null;
  const thumb = tiff.subarray(offset, offset + length);
  return thumb[0] === 0xff && thumb[1] === 0xd8 ? thumb : null;
}
