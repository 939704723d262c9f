// One small fixture per defect of the WhatsApp reader (fixtures/whatsapp/defects/ and
// fixtures/cases/reexport/, written by fixtures/whatsapp/variants/make-fixtures.py; README.md in
// fixtures/whatsapp/ says what each holds). Written test-first: each states the correct behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { whatsappTxtReader } from '../src/readers/whatsapp/whatsapp-txt.js';
import type { ParsedMessage, ReaderEvent } from '../src/model.js';
import { fixturePath, messagesOf, readAll, runCli, warningsOf } from './helpers.js';

const defect = (...p: string[]): string => fixturePath('whatsapp', 'defects', ...p);
const read = (name: string, tz: string | null = null): Promise<ReaderEvent[]> =>
  readAll(whatsappTxtReader, defect(name), { tz, dateOrder: null });
const tempDir = (): string => mkdtempSync(join(tmpdir(), 'threatlens-wa-defects-'));
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The bytes a message's source points at, as text. */
function rawOf(path: string, m: ParsedMessage): string {
  const { offset, length } = m.source;
  assert.ok(offset !== undefined && length !== undefined);
  return readFileSync(path).subarray(offset, offset + length).toString('utf8');
}

const THREAT_KEY = 'phone:+79281234567';
const THREAT_TEXT = 'Мы знаем, где живёт твоя мать';
/** Every invisible format character the fixtures put in texts, removed to compare what is shown. */
const INVISIBLE = /[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const shown = (s: string): string => s.replace(INVISIBLE, '');

/** The marked texts of android-marked-texts.txt and ios-marked-texts.txt, in file order. */
const MARKED: ReadonlyArray<readonly [string, string]> = [
  ['U+200E', THREAT_TEXT],
  ['U+200F', THREAT_TEXT],
  ['U+202A', '+7 928 123-45-67 — запомни этот номер'],
  ['U+202B', THREAT_TEXT],
  ['U+202C', THREAT_TEXT],
  ['U+202D', THREAT_TEXT],
  ['U+202E', THREAT_TEXT],
  ['U+2066', THREAT_TEXT],
  ['U+2067', THREAT_TEXT],
  ['U+2068', THREAT_TEXT],
  ['U+2069', THREAT_TEXT],
  ['U+FEFF', THREAT_TEXT],
  ['U+200B', THREAT_TEXT],
  ['U+200E U+200F U+200E', THREAT_TEXT],
  ['U+FEFF U+200E', THREAT_TEXT],
  ['U+200B U+202A', THREAT_TEXT],
];
/** Marked texts that merely contain a word system lines use ("удалил", "added"). */
const SYSTEMISH = ['Я удалил твои фото, но у меня есть копии', 'you were added to our list'];

function assertAuthoredThreat(m: ParsedMessage | undefined, label: string, text: string): void {
  assert.ok(m, `${label}: no message`);
  assert.equal(m.kind, 'text', `${label}: read as ${m.kind} (action ${m.action}), sender ${JSON.stringify(m.sender)}`);
  assert.equal(m.sender?.key, THREAT_KEY, `${label}: sender`);
  assert.equal(m.sender?.phone, '+79281234567', label);
  assert.equal(m.action, null, label);
  assert.equal(shown(m.text), text, `${label}: text`);
}

// 1. A text that begins with an invisible mark is the sender's text. Today a leading U+200E or
//    U+200F makes any authored line a `service` line with no sender: an attacker (or a paste)
//    can hide a threat from every per-sender view.

test('defect 1: Android texts beginning with invisible marks are authored by the number that wrote them', async () => {
  const msgs = messagesOf(await read('android-marked-texts.txt'));
  assert.equal(msgs.length, 1 + MARKED.length + SYSTEMISH.length);
  assert.equal(msgs[0]!.sender?.name, 'Анна');
  MARKED.forEach(([label, text], i) => assertAuthoredThreat(msgs[1 + i], `Android, text starting with ${label}`, text));
});

test('defect 1: iOS texts beginning with invisible marks are authored; iOS system lines under the group stay service', async () => {
  const msgs = messagesOf(await read('ios-marked-texts.txt'));
  const byLine = new Map(msgs.map((m) => [m.source.line, m]));
  // Real system lines: under the group's name (lines 1, 4 and the last) or the actor (line 2).
  for (const [line, action] of [[1, 'encryption-notice'], [4, 'member-added'], [5 + MARKED.length + SYSTEMISH.length, 'member-left']] as const) {
    const m = byLine.get(line)!;
    assert.equal(m.kind, 'service', `line ${line}`);
    assert.equal(m.sender, null, `line ${line}: a system line under the group's name has no author`);
    assert.equal(m.action, action, `line ${line}`);
  }
  assert.equal(byLine.get(2)!.kind, 'service');
  assert.notEqual(byLine.get(2)!.sender?.key, THREAT_KEY);
  assert.equal(byLine.get(3)!.sender?.name, 'Анна');
  MARKED.forEach(([label, text], i) => assertAuthoredThreat(byLine.get(5 + i), `iOS line ${5 + i}, text starting with ${label}`, text));
  for (const m of msgs) assert.notEqual(m.sender?.name, 'Семья', `line ${m.source.line}: the group's name is not a sender`);
});

test('defect 1: a marked text that merely contains a system-ish word is authored (the phrase decides, not the mark)', async () => {
  const android = messagesOf(await read('android-marked-texts.txt'));
  const ios = messagesOf(await read('ios-marked-texts.txt'));
  SYSTEMISH.forEach((text, i) => {
    assertAuthoredThreat(android[1 + MARKED.length + i], `Android "${text}"`, text);
    assertAuthoredThreat(ios.find((m) => m.source.line === 5 + MARKED.length + i), `iOS "${text}"`, text);
  });
});

// 2. U+FEFF where a header starts: inside the iOS bracket (`[\ufeff29.01.18, …]`) the line is
//    today glued to the message before it; at the very start of a line it is already read.

test('defect 2: a BOM inside the iOS bracket or at a line start mid-file never glues a message to the one before', async () => {
  const path = defect('ios-bom-in-header.txt');
  const msgs = messagesOf(await read('ios-bom-in-header.txt'));
  assert.deepEqual(
    msgs.map((m) => [m.source.line, m.sender?.name ?? null, m.kind, m.text, m.time.local]),
    [
      [1, 'Alice', 'text', 'Hallo zusammen', '2018-01-29T12:24:02'],
      [2, 'Dave', 'text', 'Test test', '2018-01-29T12:24:03'],
      [3, 'Bob', 'text', 'Noch ein Test', '2018-01-29T12:24:04'],
      [4, 'Bob', 'media', '', '2018-01-29T12:24:05'],
      [5, 'Alice', 'text', 'Ende', '2018-01-29T12:26:03'],
    ],
  );
  assert.equal(rawOf(path, msgs[0]!), '[29.01.18, 12:24:02] Alice: Hallo zusammen\r\n');
  assert.ok(rawOf(path, msgs[1]!).startsWith('[\ufeff29.01.18, 12:24:03] Dave'));
  assert.ok(rawOf(path, msgs[2]!).startsWith('\ufeff[29.01.18, 12:24:04] Bob'));
});

// 3. `23:59 PM`: a 24-hour hour with a day-half marker (WhatsR's englishandroidampm.txt). Today
//    the message gets no time at all (invalid-date), while `00:04 AM` is read as 00:04 silently.

test('defect 3: "23:59 PM" is read as 23:59 with a warning quoting the header as written', async () => {
  const events = await read('android-24h-hour-with-pm.txt');
  const msgs = messagesOf(events);
  assert.deepEqual(msgs.map((m) => m.time.local), ['2018-01-29T23:59:00', '2018-01-29T23:59:00', '2018-01-30T00:00:00', '2018-01-30T00:04:00']);
  assert.equal(msgs[1]!.time.utc, '2018-01-29T23:59:00Z');
  assert.equal(msgs[1]!.text, 'late');
  const w = warningsOf(events).filter((x) => x.line === 2);
  assert.equal(w.length, 1, JSON.stringify(warningsOf(events)));
  assert.match(w[0]!.message, /1\/29\/18, 23:59 PM/);
  // `00:04 AM` is read as 00:04 today, as it should stay.
  assert.equal(msgs[3]!.time.local, '2018-01-30T00:04:00');
});

// 4. Blank lines after a message belong to its bytes, not to its text.

for (const [name, first, last] of [
  [
    'android-trailing-blank-lines.txt',
    "1/30/18, 12:12 AM - Dave: Sorry guys, I'm not comfortable with this.\n\nMaybe next time!\n\n\n",
    '1/30/18, 12:23 AM - Dave: Maybe next time!\n\n\n',
  ],
  [
    'ios-trailing-blank-lines.txt',
    "[1/30/18, 12:12:03\u202fAM] Dave: Sorry guys, I'm not comfortable with this.\n\nMaybe next time!\n\n\r\n",
    '[1/30/18, 12:23:03\u202fAM] Dave: Maybe next time!\n\n\r\n',
  ],
] as const) {
  test(`defect 4: trailing blank lines are not text, but stay in source offset/length (${name})`, async () => {
    const path = defect(name);
    const msgs = messagesOf(await read(name));
    assert.deepEqual(msgs.map((m) => m.text), ["Sorry guys, I'm not comfortable with this.\n\nMaybe next time!", 'No problem Dave!', 'Maybe next time!']);
    assert.equal(rawOf(path, msgs[0]!), first);
    assert.equal(rawOf(path, msgs[2]!), last);
    assert.equal(msgs[2]!.source.offset! + msgs[2]!.source.length!, readFileSync(path).length);
  });
}

// 5. Another messenger's text export that merely looks like chat lines is not WhatsApp.

test('defect 5: a Signal text export (signal-export index.md) is rejected as unrecognised, with a hint naming Signal', async () => {
  const file = defect('signal-export', 'Анна', 'index.md');
  const caseDir = tempDir();
  const r = await runCli(['ingest', file, '--case', caseDir]);
  assert.equal(r.code, 1, `exit ${r.code}; stdout: ${r.stdout}`);
  assert.match(r.stderr, /unrecognised format/);
  assert.match(r.stderr, /Signal/);
  const listed = await runCli(['messages', '--case', caseDir, '--format', 'json']);
  assert.equal(JSON.parse(listed.stdout).items.length, 0);
});

// 6. The same chat exported twice. Messages are kept once, with every place they were read from.

interface CliMessage {
  id: string;
  text: string;
  sender: { key: string; name: string } | null;
  sentAt: string | null;
  media: { name: string; path: string | null; sha256: string | null; missing: string | null }[];
  source: Record<string, unknown> & { file: string };
  sources?: (Record<string, unknown> & { file: string })[];
}

test('defect 6a: a re-export overlapping an earlier export: each message once, with both sources; one "Мама"', async () => {
  const caseDir = tempDir();
  const anna = fixturePath('cases', 'reexport', 'anna');
  const first = join(anna, '2024-03-01', 'WhatsApp Chat with Мама.txt');
  const second = join(anna, '2024-03-20', 'WhatsApp Chat with Мама.txt');
  const opts = ['--case', caseDir, '--victim', 'anna', '--tz', 'Europe/Moscow', '--region', 'RU', '--format', 'json'];
  const r1 = await runCli(['ingest', first, ...opts]);
  assert.equal(r1.code, 0, r1.stderr);
  const r2 = await runCli(['ingest', second, ...opts]);
  assert.equal(r2.code, 0, r2.stderr);
  const item = JSON.parse(r2.stdout).items.find((i: { path: string }) => i.path === second);
  assert.ok(item, r2.stdout);
  assert.equal(item.status, 'ingested');
  // The ingest output names the earlier export and how many messages were new.
  assert.match(item.detail ?? '', /overlap/i, `detail: ${item.detail}`);
  assert.match(item.detail ?? '', /2024-03-01/, `detail: ${item.detail}`);
  assert.match(item.detail ?? '', /\b5 new\b/, `detail: ${item.detail}`);

  const listed = await runCli(['messages', '--case', caseDir, '--format', 'json']);
  assert.equal(listed.code, 0, listed.stderr);
  const msgs: CliMessage[] = JSON.parse(listed.stdout).items;
  assert.equal(msgs.length, 17, msgs.map((m) => `${m.sentAt} ${m.text}`).join('\n'));
  assert.equal(new Set(msgs.map((m) => m.id)).size, 17);
  assert.equal(new Set(msgs.map((m) => `${m.sentAt} ${m.sender?.key} ${m.text}`)).size, 17);
  const old = msgs.filter((m) => m.source.file === first);
  const fresh = msgs.filter((m) => m.source.file === second);
  assert.equal(old.length, 12);
  assert.equal(fresh.length, 5);
  for (const m of old) {
    assert.equal(m.sources?.length, 2, `${m.id} ${m.text}: sources ${JSON.stringify(m.sources)}`);
    assert.deepEqual(m.sources![0], m.source);
    assert.equal(m.sources![1]!.file, second);
    assert.equal(m.sources![1]!.sha256, sha256(readFileSync(second)));
  }
  for (const m of fresh) assert.deepEqual(m.sources ?? [m.source], [m.source], m.id);

  const senders = await runCli(['senders', '--case', caseDir, '--format', 'json']);
  const mama = JSON.parse(senders.stdout).items.filter((s: { names: string[] }) => s.names.includes('Мама'));
  assert.equal(mama.length, 1, JSON.stringify(mama));
  assert.equal(mama[0].messages, msgs.filter((m) => m.sender?.name === 'Мама').length);
  assert.equal(mama[0].messages, 10);
  assert.deepEqual(mama[0].victims, ['anna']);
});

test('defect 6b: the .txt and the .zip of one iOS export: messages once, the photo linked from the zip', async () => {
  const caseDir = tempDir();
  const boris = fixturePath('cases', 'reexport', 'boris');
  const txt = join(boris, 'mail-2024-03-21', '_chat.txt');
  const zip = join(boris, 'WhatsApp Chat - Серёжа.zip');
  const opts = ['--case', caseDir, '--victim', 'boris', '--tz', 'Europe/Moscow', '--region', 'RU', '--format', 'json'];
  for (const path of [txt, zip]) {
    const r = await runCli(['ingest', path, ...opts]);
    assert.equal(r.code, 0, r.stderr);
  }
  const listed = await runCli(['messages', '--case', caseDir, '--format', 'json']);
  const msgs: CliMessage[] = JSON.parse(listed.stdout).items;
  assert.equal(msgs.length, 6, msgs.map((m) => `${m.sentAt} ${m.text}`).join('\n'));
  const photoName = '00000004-PHOTO-2024-03-18-19-42-10.jpg';
  const photo = msgs.filter((m) => m.media.some((x) => x.name === photoName));
  assert.equal(photo.length, 1);
  const media = photo[0]!.media[0]!;
  const jpeg = readFileSync(fixturePath('whatsapp', 'android-en-media', 'IMG-20240312-WA0001.jpg'));
  assert.equal(media.missing, null);
  assert.equal(media.sha256, sha256(jpeg));
  assert.ok(media.path?.endsWith(`WhatsApp Chat - Серёжа.zip!${photoName}`), media.path ?? 'null');
  const txtSha = sha256(readFileSync(txt));
  for (const m of msgs) {
    assert.equal(m.source.file, txt, m.id);
    assert.equal(m.sources?.length, 2, `${m.id}: sources ${JSON.stringify(m.sources)}`);
    assert.deepEqual(m.sources![0], m.source);
    assert.equal(m.sources![1]!.file, zip);
    assert.equal(m.sources![1]!.entry, '_chat.txt');
    // The archive's chat text is the very file mailed on its own.
    assert.equal(m.sources![1]!.entrySha256, txtSha);
  }
});

test('a file that ends without a line break says it was probably cut (cut-short): inside a header, the fragment is quoted', async () => {
  const events = await read('android-cut-in-header.txt', 'Europe/Moscow');
  const msgs = messagesOf(events);
  assert.equal(msgs.length, 3);
  assert.equal(msgs[2]!.text, 'Перезвони до пятницы.\n20.01.2022, 18:');
  const cut = warningsOf(events).filter((w) => w.code === 'cut-short');
  assert.equal(cut.length, 1);
  assert.equal(cut[0]!.line, 4);
  assert.match(cut[0]!.message, /"20\.01\.2022, 18:".*cut short/);
  // Cut inside the text of the last message: its header is read, and the warning says the text may be incomplete.
  const dir = tempDir();
  const inText = join(dir, 'cut-in-text.txt');
  writeFileSync(inText, readFileSync(defect('android-cut-in-header.txt'), 'utf8').replace(/\n20\.01\.2022, 18:$/, '\n20.01.2022, 18:20 - +7 928 123-45-67: Мы зна'));
  const inTextEvents = await readAll(whatsappTxtReader, inText, { tz: 'Europe/Moscow', dateOrder: null });
  assert.equal(messagesOf(inTextEvents).length, 4);
  const inTextCut = warningsOf(inTextEvents).filter((w) => w.code === 'cut-short');
  assert.equal(inTextCut.length, 1);
  assert.equal(inTextCut[0]!.line, 4);
  assert.match(inTextCut[0]!.message, /ends without a line break: .*last message, whose text may be incomplete/);
  // The same file with its line break: nothing is said.
  const whole = join(dir, 'whole.txt');
  writeFileSync(whole, readFileSync(inText, 'utf8') + 'ем\n');
  const wholeEvents = await readAll(whatsappTxtReader, whole, { tz: 'Europe/Moscow', dateOrder: null });
  assert.equal(messagesOf(wholeEvents).length, 4);
  assert.deepEqual(warningsOf(wholeEvents).filter((w) => w.code === 'cut-short'), []);
});
