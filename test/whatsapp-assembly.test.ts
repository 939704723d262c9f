// Pass 2 of the WhatsApp reader hands messages on in batches and pauses for attachment lookups
// that touch the disk. Whatever falls on a batch boundary or waits for the disk, every message
// keeps its text, time, provenance and attachment, and each warning stays next to its message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { whatsappTxtReader } from '../src/readers/whatsapp/whatsapp-txt.js';
import type { ParsedMessage, ReaderEvent } from '../src/model.js';
import { messagesOf, readAll } from './helpers.js';

const TEXTS = [
  'Мы знаем, где ты живёшь.',
  'Мама, я позвоню вечером после работы.',
  'Did you see what they wrote about the protest?',
  'Перезвони на +7 928 123-45-67, иначе пожалеешь.',
  'Купи хлеб по дороге домой',
];

interface Expected {
  line: number;
  author: string;
  local: string | null;
  text: string;
  /** Attachment name, and whether its file is beside the chat. */
  media: { name: string; present: boolean } | null;
}

/** A chat of `count` messages: attachments (some on disk), captions, multi-line texts, odd lines. */
function buildChat(dir: string, count: number): { text: string; expected: Expected[]; notesAfter: Map<number, number> } {
  const lines: string[] = [];
  const expected: Expected[] = [];
  /** Message index -> number of timestamp-in-text notes that must follow it. */
  const notesAfter = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const day = 1 + Math.floor(i / 200);
    const minute = i % 200;
    const hh = String(8 + Math.floor(minute / 60)).padStart(2, '0');
    const mm = String(minute % 60).padStart(2, '0');
    const dd = String(day).padStart(2, '0');
    const author = i % 3 === 0 ? 'Борис' : 'Anna';
    // An impossible date now and then, right at and around the batch boundaries.
    const invalid = i === 255 || i === 256 || i === 511;
    const date = invalid ? '31/02/2024' : `${dd}/03/2024`;
    const line = lines.length + 1;
    let text = TEXTS[i % TEXTS.length]!;
    let media: Expected['media'] = null;
    if (i % 7 === 3 || i === 256 || i === 257 || i === 512 || i === 514) {
      const name = `IMG-202403${dd}-WA${String(i).padStart(4, '0')}.jpg`;
      const present = i % 2 === 0;
      if (present) writeFileSync(join(dir, name), `jpeg bytes of photo ${i}`);
      lines.push(`${date}, ${hh}:${mm} - ${author}: ${name} (file attached)`);
      lines.push(text); // the caption
      media = { name, present };
    } else if (i % 11 === 5) {
      lines.push(`${date}, ${hh}:${mm} - ${author}: ${text}`);
      lines.push('');
      lines.push('Второй абзац того же сообщения.');
      text = `${text}\n\nВторой абзац того же сообщения.`;
    } else {
      lines.push(`${date}, ${hh}:${mm} - ${author}: ${text}`);
    }
    if (i === 254 || i === 510) {
      // A line that looks like a header in a style the file does not use.
      lines.push('[01.03.24, 09:00:00] Борис: это цитата из другого чата');
      text = `${text}\n[01.03.24, 09:00:00] Борис: это цитата из другого чата`;
      notesAfter.set(i, 1);
    }
    expected.push({ line, author, local: invalid ? null : `2024-03-${dd}T${hh}:${mm}:00`, text, media });
  }
  return { text: `${lines.join('\n')}\n`, expected, notesAfter };
}

function check(events: ReaderEvent[], dir: string, expected: Expected[], notesAfter: Map<number, number>): void {
  const msgs = messagesOf(events);
  assert.equal(msgs.length, expected.length);
  msgs.forEach((m: ParsedMessage, i) => {
    const want = expected[i]!;
    assert.equal(m.source.line, want.line, `line of message ${i}`);
    assert.equal(m.sender?.raw, want.author, `author of message ${i}`);
    assert.equal(m.time.local, want.local, `time of message ${i}`);
    assert.equal(m.text, want.text, `text of message ${i}`);
    if (want.media === null) {
      assert.deepEqual(m.media, [], `media of message ${i}`);
    } else {
      assert.equal(m.kind, 'media');
      assert.equal(m.media.length, 1);
      const media = m.media[0]!;
      assert.equal(media.name, want.media.name);
      if (want.media.present) {
        const bytes = Buffer.from(`jpeg bytes of photo ${i}`);
        assert.equal(media.missing, null, `attachment of message ${i} is beside the chat`);
        assert.equal(media.path, `${dir}/${want.media.name}`);
        assert.equal(media.sha256, createHash('sha256').update(bytes).digest('hex'));
        assert.equal(media.size, bytes.length);
      } else {
        assert.equal(media.missing, 'not-included', `attachment of message ${i} is not beside the chat`);
      }
    }
  });
  // Each warning about a header's time comes right before its message; each note about a line
  // in a message right after it.
  const index = new Map(msgs.map((m, i) => [m, i]));
  events.forEach((e, at) => {
    if (e.type !== 'warning') return;
    if (e.warning.code === 'invalid-date') {
      const next = events[at + 1]!;
      assert.equal(next.type, 'message');
      assert.equal(next.type === 'message' && next.message.source.line, e.warning.line);
      assert.equal(next.type === 'message' && next.message.time.utc, null);
    } else if (e.warning.code === 'timestamp-in-text') {
      const before = events[at - 1]!;
      assert.equal(before.type, 'message');
      const i = before.type === 'message' ? index.get(before.message)! : -1;
      assert.equal(notesAfter.get(i), 1, `note after message ${i}`);
    }
  });
  const codes = events.flatMap((e) => (e.type === 'warning' ? [e.warning.code] : []));
  assert.equal(codes.filter((c) => c === 'invalid-date').length, 3);
  assert.equal(codes.filter((c) => c === 'timestamp-in-text').length, notesAfter.size);
}

test('batches and attachment lookups: every message whole, in order, warnings beside their messages', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'threatlens-wa-assembly-'));
  try {
    const { text, expected, notesAfter } = buildChat(dir, 900);
    const file = join(dir, 'WhatsApp Chat with Борис.txt');
    writeFileSync(file, text);
    const events = await readAll(whatsappTxtReader, file, { tz: 'Europe/Moscow' });
    assert.equal(events[0]!.type, 'export');
    assert.equal(events[1]!.type, 'chat');
    check(events, dir, expected, notesAfter);
    // Twice in a row: the second read finds the lookups already cached and must agree.
    const again = await readAll(whatsappTxtReader, file, { tz: 'Europe/Moscow' });
    assert.deepEqual(again, events);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a chat ending with an attachment on disk keeps it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'threatlens-wa-assembly-'));
  try {
    const name = 'IMG-20240312-WA0007.jpg';
    writeFileSync(join(dir, name), 'jpeg bytes');
    const file = join(dir, 'chat.txt');
    writeFileSync(file, `12/03/2024, 10:00 - Anna: Привет\n12/03/2024, 10:01 - Борис: ${name} (file attached)`);
    const msgs = messagesOf(await readAll(whatsappTxtReader, file, {}));
    assert.equal(msgs.length, 2);
    assert.equal(msgs[1]!.media[0]!.missing, null);
    assert.equal(msgs[1]!.media[0]!.sha256, createHash('sha256').update('jpeg bytes').digest('hex'));
    assert.equal(msgs[1]!.source.line, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
