// The key two copies of one message share when a chat is exported twice (a re-export, or the .txt
// and the .zip of one export): the platform's message id when the export gives one, else what the
// message says and when and by whom, to the minute (the finest grain every WhatsApp export has).
// A 53-bit hash, so that the case can index it; matches are verified field by field.

/** The fields of a stored message the key is made of. */
export interface KeyFields {
  /** The platform's own message id, when the export gives one (Telegram). */
  messageId: string | null;
  /** The wall clock as written, else the UTC instant. */
  local: string | null;
  utc: string | null;
  senderKey: string | null;
  kind: string;
  text: string;
}

/** What the key hashes: readable, for tests and for the field-by-field check. */
export function overlapForm(f: KeyFields): string {
  if (f.messageId !== null) return `id|${f.messageId}`;
  const minute = (f.local ?? f.utc ?? '').slice(0, 16);
  return `c|${minute}|${f.senderKey ?? ''}|${f.kind}|${f.text.trimEnd()}`;
}

/** The key: a 53-bit hash of overlapForm (two independent 32-bit FNV-style lanes, mixed). */
export function overlapKey(f: KeyFields): number {
  const s = overlapForm(f);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
