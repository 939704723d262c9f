// Text hygiene shared by readers and outputs.

/**
 * Invisible format characters that exporters sprinkle around names and numbers:
 * LRM/RLM, ALM, LRE..RLO, LRI..PDI, BOM, zero-width space/joiners, word joiner.
 */
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u061C\uFEFF]/g;

export function stripInvisible(s: string): string {
  return s.replace(INVISIBLE, '');
}

/** Spaces that are not U+0020 (NBSP, narrow NBSP, thin spaces) become a plain space. */
export function plainSpaces(s: string): string {
  return s.replace(/[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, ' ');
}

/**
 * Cleaned display name: invisible marks removed, odd spaces made plain, WhatsApp's `~ ` push-name
 * prefix dropped, whitespace collapsed and trimmed.
 */
export function cleanName(raw: string): string {
  let s = plainSpaces(stripInvisible(raw)).trim();
  if (s.startsWith('~')) s = s.slice(1).trim();
  return s.replace(/\s+/g, ' ');
}

/** Persian (U+06F0..) and Arabic-Indic (U+0660..) digits become ASCII digits. */
export function asciiDigits(s: string): string {
  return s.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const c = d.charCodeAt(0);
    return String(c >= 0x06f0 ? c - 0x06f0 : c - 0x0660);
  });
}
