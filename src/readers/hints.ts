// Formats threatlens recognises but does not read: a hint, so the "unrecognised format" error says
// what to do instead.
import { isThreadHead } from './meta/meta-json.js';

/** A hint for files we recognise but cannot read, so the error says what to do instead. */
export function unsupportedHint(head: Buffer, fileName: string): string | null {
  const text = head.toString('utf8', 0, Math.min(head.length, 4096));
  // First pages are read (telegram-html); what is left of tdesktop's HTML is a page that continues
  // another, or a page of a whole-account export's lists.
  if (/<html/i.test(text) && /class="(page_wrap|message default)/.test(text)) {
    return /class="pagination block_link"/.test(text)
      ? 'this page of a Telegram HTML export continues another: name the first page (messages.html) or the export folder, and its pages are read in order'
      : "this is a page of a Telegram HTML export that lists no messages of a chat; name a chat's folder (with its messages.html)";
  }
  if (/^\uFEFF?\[\d{4}-\d{2}-\d{2},? \d{2}:\d{2}(?::\d{2})?\] [^\n:]{1,80}: /m.test(text) || /^Conversation: .*\n(?:.*\n){0,3}?From: /m.test(text)) {
    return "this looks like a Signal export (signal-export's chat.md, or a Signal Desktop text copy), which threatlens does not read yet (it reads sigtop's text export, -f text); it is not a WhatsApp export";
  }
  if (head[0] === 0xff && head[1] === 0xfe) return 'the file is UTF-16; re-save it as UTF-8';
  if (isThreadHead(head)) {
    return /^message_1\.json$/.test(fileName)
      ? "a Messenger or Instagram thread whose app cannot be told from its file: ingest it inside its download (your_instagram_activity/… or your_facebook_activity/…, or a folder named instagram-… or facebook-…)"
      : 'a later file of a Messenger or Instagram thread: it is read with the thread\'s message_1.json (ingest the thread folder)';
  }
  // A table (a CSV header, or a first line that is a JSON object) is read only with its column map.
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (/\.(csv|jsonl|ndjson)$/i.test(fileName) || /^\{".*\}$/.test(first.trim()) || /^[^,\n]{1,60}(,[^,\n]{1,60}){2,}$/.test(first)) {
    return 'a table of messages (CSV with a header row, or JSON Lines) is read with --map sender=COLUMN,text=COLUMN,time=COLUMN naming its columns (and each mapped column must be in it)';
  }
  if (/\.(pdf|docx?|xlsx?)$/i.test(fileName)) return 'documents are not evidence formats threatlens reads';
  return null;
}
