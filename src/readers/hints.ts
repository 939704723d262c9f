// Formats threatlens recognises but does not read: a hint, so the "unrecognised format" error says
// what to do instead.

/** A hint for files we recognise but cannot read, so the error says what to do instead. */
export function unsupportedHint(head: Buffer, fileName: string): string | null {
  const text = head.toString('utf8', 0, Math.min(head.length, 4096));
  if (/<html/i.test(text) && /class="(page_wrap|message default)/.test(text)) {
    return 'this is a Telegram HTML export; threatlens reads the JSON export (Telegram Desktop > Settings > Advanced > Export Telegram data > Format: Machine-readable JSON)';
  }
  if (/^\uFEFF?\[\d{4}-\d{2}-\d{2},? \d{2}:\d{2}(?::\d{2})?\] [^\n:]{1,80}: /m.test(text) || /^Conversation: .*\n(?:.*\n){0,3}?From: /m.test(text)) {
    return 'this looks like a Signal export (Signal Desktop text, sigtop or signal-export), which threatlens does not read yet; it is not a WhatsApp export';
  }
  if (head[0] === 0xff && head[1] === 0xfe) return 'the file is UTF-16; re-save it as UTF-8';
  if (/\.(pdf|docx?|xlsx?)$/i.test(fileName)) return 'documents are not evidence formats threatlens reads';
  return null;
}
