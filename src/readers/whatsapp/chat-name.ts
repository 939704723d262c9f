// The chat name WhatsApp puts in export file names: `WhatsApp Chat with X.txt`,
// `WhatsApp Chat - X.zip`, `WhatsApp-Chat mit X.txt`, `Чат WhatsApp с X.txt` …
import { EXPORT_NAME_PREFIXES } from './locale.js';

/** The chat name in an export's file name, or null when the name is not WhatsApp's. */
export function chatNameFromFileName(fileName: string): string | null {
  const base = (fileName.split(/[\\/]/).pop() ?? '').normalize('NFC');
  let stem = base.replace(/\.(txt|zip)$/i, '');
  if (stem === base) return null;
  // Downloads of the same file get " (1)"; some tools write underscores for spaces.
  stem = stem.replace(/\s*\(\d+\)$/, '');
  const spaced = stem.includes(' ') ? stem : stem.replace(/_/g, ' ');
  const lower = spaced.toLowerCase();
  for (const prefix of EXPORT_NAME_PREFIXES) {
    if (lower.startsWith(prefix)) {
      const name = spaced.slice(prefix.length).trim();
      return name === '' ? null : name;
    }
  }
  return null;
}

/** The file name without directories and extension. */
export function fileStem(fileName: string): string {
  const base = (fileName.split(/[\\/]/).pop() ?? '').normalize('NFC');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
