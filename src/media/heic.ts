// HEIC pixels through heic-decode (libheif compiled to WASM): sharp's prebuilt libvips has no HEVC
// decoder (MEDIA.md §3). libheif applies the container's irot/imir transforms itself, so the pixels
// come out upright and EXIF Orientation must not be applied again. The decoder is loaded on first
// use (the WASM bundle is large) and works synchronously: call it from a worker thread.

import { createRequire } from 'node:module';

export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row by row. */
  data: Uint8ClampedArray;
}

type HeicDecode = (input: { buffer: Uint8Array }) => Promise<RgbaImage>;

let decode: HeicDecode | null = null;

/** Decodes the primary image of a HEIC/HEIF file. Rejects on corrupt input or a non-HEVC payload. */
export async function decodeHeic(buffer: Uint8Array): Promise<RgbaImage> {
  decode ??= createRequire(import.meta.url)('heic-decode') as HeicDecode;
  return decode({ buffer });
}
