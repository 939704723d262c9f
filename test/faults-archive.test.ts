// Archives that lie and inputs that would exhaust the machine: zip entries failing their CRC-32,
// duplicate and extra entries, one message holding a million phone-like numbers, links to pipes and
// devices, and the temporary copies of evidence a killed ingest leaves. Through the CLI, in a child
// process where the exit code or the temporary folder matters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { fixturePath, repoRoot, runCli, scratchDir } from './helpers.js';
import { openCase } from '../src/store/case.js';
import { loadAttributionInput } from '../src/store/attribution.js';
import { withReadablePaths } from '../src/ingest/media-stage.js';
import { crc32, crc32Table } from '../src/util/crc32.js';
import { PHONE_SIGHTINGS_PER_MESSAGE } from '../src/ingest/phone-stage.js';

const BIN = join(repoRoot, 'bin', 'threatlens.js');
const faults = (name: string): string => fixturePath('whatsapp', 'archive-faults', name);
const BORIS_ZIP = fixturePath('whatsapp', 'zip', 'WhatsApp Chat - Boris Petrov.zip');

/** threatlens in a child process; a hang fails the test instead of holding the suite. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(r.error, undefined, `threatlens did not finish: ${String(r.error)}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (stderr: string): void => assert.doesNotMatch(stderr, /^\s+at \S+ \(|Error: .*\n\s+at /m, stderr);

interface JsonMedia {
  name: string;
  path: string | null;
  sha256: string | null;
  note?: string;
}
interface JsonMessage {
  text: string;
  chat: { id: string; name: string };
  media: JsonMedia[];
}

async function messagesJson(caseDir: string): Promise<JsonMessage[]> {
  const r = await runCli(['messages', '--case', caseDir, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { items: JsonMessage[] }).items;
}

type MediaJson = { sha256: string; victims: string[]; messages: { victim: string }[] }[];

/** The items of `media --format json` (in this process; in a child of its own when it needs its own environment). */
async function mediaJson(args: string[], env?: NodeJS.ProcessEnv): Promise<MediaJson> {
  const r = env === undefined ? await runCli(['media', '--format', 'json', ...args]) : cli(['media', '--format', 'json', ...args], env);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { items: MediaJson }).items;
}

test('crc32: zlib.crc32 and the table fallback agree (the fallback serves Node before 20.15)', () => {
  const bytes = Buffer.from('20/01/2022, 18:16 - +7 928 123-45-67: Мы знаем, где живёт твоя мать\n', 'utf8');
  assert.equal(crc32Table(bytes), zlib.crc32(bytes) >>> 0);
  assert.equal(crc32(bytes), zlib.crc32(bytes) >>> 0);
  // Incrementally, as entries are streamed.
  assert.equal(crc32(bytes.subarray(20), crc32(bytes.subarray(0, 20))), crc32(bytes));
  assert.equal(crc32Table(bytes.subarray(20), crc32Table(bytes.subarray(0, 20))), crc32(bytes));
});

test('CRC-32: a chat text failing its check rejects the archive, naming archive and entry (exit 1, nothing recorded)', async () => {
  const dir = join(scratchDir('crc-chat'), 'case');
  const r = await runCli(['ingest', '--case', dir, faults('crc-chat.zip')]);
  assert.equal(r.code, 1, r.stderr);
  noStack(r.stderr);
  assert.match(r.stderr, /rejected .*crc-chat\.zip!_chat\.txt: entry "_chat\.txt" fails its CRC-32 check \(the archive declares 50a861de, the content gives [0-9a-f]{8}\)/);
  assert.match(r.stderr, /ask for the original export/);
  // Not a message of the altered text reached the case.
  if (existsSync(join(dir, 'case.sqlite'))) assert.deepEqual(await messagesJson(dir), []);
});

test('CRC-32: a photo failing its check is recorded as crc-mismatch, gets no image facts and links to nothing', async () => {
  const dir = join(scratchDir('crc-photo'), 'case');
  const r = await runCli(['ingest', '--case', dir, '--victim', 'olga', faults('ru-crc-photo.zip')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /ru-crc-photo\.zip: entry "IMG-20220120-WA0003\.jpg" fails its CRC-32 check .*recorded with the note crc-mismatch.*\[zip-crc-mismatch\]/);
  const messages = await messagesJson(dir);
  assert.ok(messages.some((m) => m.text === 'Мы знаем, где живёт твоя мать'));
  const withPhoto = messages.find((m) => m.media.some((x) => x.name === 'IMG-20220120-WA0003.jpg'))!;
  assert.equal(withPhoto.media.length, 1);
  assert.equal(withPhoto.media[0]!.note, 'crc-mismatch');
  assert.match(withPhoto.media[0]!.path!, /ru-crc-photo\.zip!IMG-20220120-WA0003\.jpg$/);
  assert.deepEqual(await mediaJson(['--case', dir]), [], 'no image facts from a file whose bytes are not the archive\'s');

  // The same bytes arrive intact in another victim's export: that copy gets facts, and the damaged
  // one is not taken for it (no identical-media link between the two senders).
  const again = await runCli(['ingest', '--case', dir, '--victim', 'anna', BORIS_ZIP]);
  assert.equal(again.code, 0, again.stderr);
  const listed = await mediaJson(['--case', dir]);
  assert.equal(listed.length, 1);
  assert.equal(listed[0]!.sha256, withPhoto.media[0]!.sha256, 'the damaged entry holds the same bytes as the intact photo');
  assert.deepEqual(listed[0]!.victims, ['anna']);
  assert.deepEqual(listed[0]!.messages.map((m) => m.victim), ['anna']);
  const handle = openCase(dir, { create: false, access: 'read' });
  try {
    const input = loadAttributionInput(handle);
    const olga = input.messages.filter((m) => m.victim === 'olga');
    assert.ok(olga.length > 0);
    assert.ok(olga.every((m) => m.media.length === 0), 'a crc-mismatch attachment is no media evidence');
    assert.ok(input.messages.some((m) => m.victim === 'anna' && m.media.length === 1));
  } finally {
    handle.close();
  }
});

test('duplicate entries: two _chat.txt entries are both read, each a chat of its own, and named in warnings', async () => {
  const dir = join(scratchDir('dup-chat'), 'case');
  const r = await runCli(['ingest', '--case', dir, faults('duplicate-chat.zip')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /holds 2 entries named "_chat\.txt" \(entries 1, 3 of its directory\); each is read on its own, as "_chat\.txt#1", "_chat\.txt#3".*\[zip-duplicate-entry\]/);
  assert.match(r.stderr, /holds 2 chat texts, each read as a chat of its own: "_chat\.txt#1", "_chat\.txt#3".*\[zip-several-chats\]/);
  const messages = await messagesJson(dir);
  const texts = messages.map((m) => m.text);
  // The first entry's messages (what most unzip tools would overwrite) and the second's.
  assert.ok(texts.includes('You are not safe anywhere.'));
  assert.ok(texts.includes('I know where your brother works.'));
  assert.equal(new Set(messages.map((m) => m.chat.id)).size, 2);
});

test('extra entries: a second chat .txt beside the export\'s own is read too (Cyrillic Android export)', async () => {
  const dir = join(scratchDir('two-chats'), 'case');
  const r = await runCli(['ingest', '--case', dir, faults('ru-two-chats.zip')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /holds 2 chat texts, each read as a chat of its own: "WhatsApp Chat with \+7 928 123-45-67\.txt", "WhatsApp Chat with Мама\.txt"/);
  const messages = await messagesJson(dir);
  const byChat = new Map<string, string[]>();
  for (const m of messages) byChat.set(m.chat.id, [...(byChat.get(m.chat.id) ?? []), m.text]);
  assert.equal(byChat.size, 2);
  assert.ok(messages.some((m) => m.text === 'Мы знаем, где живёт твоя мать'));
  assert.ok(messages.some((m) => m.text === 'Оля, мне сегодня звонили с незнакомого номера, спрашивали про тебя.'));
  // The .txt a message attaches (two-chats.zip) is a document, and an unrelated .txt is named as not read.
  const other = await runCli(['ingest', '--case', join(scratchDir('two-chats-en'), 'case'), faults('two-chats.zip')]);
  assert.equal(other.code, 0, other.stderr);
  assert.match(other.stderr, /entry "readme\.txt" is a \.txt that no message attaches and that does not read as a WhatsApp chat: not read/);
  assert.doesNotMatch(other.stderr, /00000005-list\.txt.*not read/);
});

test('duplicate entries: two photos of one name are both recorded as ambiguous-name, with a warning, and link to nothing', async () => {
  const dir = join(scratchDir('dup-media'), 'case');
  const r = await runCli(['ingest', '--case', dir, faults('duplicate-media.zip')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /an attachment named "00000003-PHOTO-2024-03-12-10-01-00\.jpg" matches 2 entries with different contents/);
  assert.match(r.stderr, /\[zip-ambiguous-media\]/);
  const withPhoto = (await messagesJson(dir)).find((m) => m.media.some((x) => x.name === '00000003-PHOTO-2024-03-12-10-01-00.jpg'))!;
  assert.deepEqual(
    withPhoto.media.map((x) => [x.path!.replace(/^.*!/, ''), x.note]),
    [
      ['00000003-PHOTO-2024-03-12-10-01-00.jpg#2', 'ambiguous-name'],
      ['00000003-PHOTO-2024-03-12-10-01-00.jpg#3', 'ambiguous-name'],
    ],
  );
  assert.notEqual(withPhoto.media[0]!.sha256, withPhoto.media[1]!.sha256);
  const handle = openCase(dir, { create: false, access: 'read' });
  try {
    assert.ok(loadAttributionInput(handle).messages.every((m) => m.media.length === 0));
    assert.equal(handle.db.prepare('SELECT count(*) FROM media_facts').pluck().get(), 0);
  } finally {
    handle.close();
  }
});

test('resource limit: a 2 MB message of phone numbers records the first 1000 and says how many were skipped', async () => {
  const dir = scratchDir('phones-cap');
  // A WhatsApp export (Android, Russian) whose one message lists ~110,000 distinct numbers.
  const numbers: string[] = [];
  for (let n = 0, len = 0; len < 2_000_000; n++) {
    const s = `+7 928 ${100 + (n % 900)}-${String(n % 100).padStart(2, '0')}-${String(Math.floor(n / 900) % 100).padStart(2, '0')}`;
    numbers.push(s);
    len += s.length + 2;
  }
  const chat = [
    '20/01/2022, 18:16 - +7 928 123-45-67: Мы знаем, где живёт твоя мать',
    `20/01/2022, 18:17 - +7 928 123-45-67: Вот все номера твоей семьи: ${numbers.join(', ')}`,
    '20/01/2022, 18:20 - Ольга: Кто это?',
    '',
  ].join('\n');
  const file = join(dir, 'WhatsApp Chat with +7 928 123-45-67.txt');
  writeFileSync(file, chat);
  const caseDir = join(dir, 'case');
  const r = await runCli(['ingest', '--case', caseDir, file]);
  assert.equal(r.code, 0, r.stderr);
  const skipped = numbers.length - PHONE_SIGHTINGS_PER_MESSAGE;
  assert.match(
    r.stderr,
    new RegExp(`WhatsApp Chat with \\+7 928 123-45-67\\.txt:2: a message holds more phone numbers than the limit of 1000 per message: the first 1000 were recorded, ${skipped} more were skipped; .*messages --search.*\\[phones-capped\\]`),
  );
  const handle = openCase(caseDir, { create: false, access: 'read' });
  try {
    const perMessage = handle.db
      .prepare("SELECT m.src_line AS line, count(*) AS n FROM message_phones p JOIN messages m ON m.rowid = p.message_rowid WHERE p.role = 'text' GROUP BY m.rowid ORDER BY line")
      .all() as { line: number; n: number }[];
    assert.deepEqual(perMessage, [{ line: 2, n: PHONE_SIGHTINGS_PER_MESSAGE }]);
    // The message itself is kept whole: the numbers past the cap are still in its text.
    const text = handle.db.prepare('SELECT text FROM messages WHERE src_line = 2').pluck().get() as string;
    assert.ok(text.endsWith(numbers.at(-1)!));
  } finally {
    handle.close();
  }
});

test('a link named on the command line to a FIFO or /dev/zero is refused with a clear message (no hang)', (t) => {
  const dir = scratchDir('fifo-link');
  const fifo = join(dir, 'chat.fifo');
  try {
    execFileSync('mkfifo', [fifo]);
  } catch (error) {
    t.skip(`skipped: mkfifo is not available here (${String(error)})`);
    return;
  }
  symlinkSync(fifo, join(dir, 'WhatsApp Chat.txt'));
  symlinkSync('/dev/zero', join(dir, 'result.json'));
  const caseDir = join(dir, 'case');
  const viaFifo = cli(['ingest', '--case', caseDir, join(dir, 'WhatsApp Chat.txt')]);
  assert.equal(viaFifo.code, 1, viaFifo.stderr);
  noStack(viaFifo.stderr);
  assert.match(viaFifo.stderr, /rejected .*WhatsApp Chat\.txt: a symbolic link to a FIFO \(named pipe\), not to a regular file or folder: not read \(name a regular file or folder/);
  const viaZero = cli(['ingest', '--case', caseDir, join(dir, 'result.json')]);
  assert.equal(viaZero.code, 1, viaZero.stderr);
  assert.match(viaZero.stderr, /rejected .*result\.json: a symbolic link to a character device, not to a regular file or folder/);
  const direct = cli(['ingest', '--case', caseDir, fifo]);
  assert.equal(direct.code, 1, direct.stderr);
  assert.match(direct.stderr, /rejected .*chat\.fifo: a FIFO \(named pipe\), not a regular file or folder/);
  // A link to a real export is still followed.
  symlinkSync(faults('ru-crc-photo.zip'), join(dir, 'evidence.zip'));
  const followed = cli(['ingest', '--case', caseDir, join(dir, 'evidence.zip')]);
  assert.equal(followed.code, 0, followed.stderr);
  assert.match(followed.stdout, /ingested/);
});

test('a FIFO inside an evidence folder is skipped with a notice, the rest is read', async (t) => {
  const dir = scratchDir('fifo-folder');
  const evidence = join(dir, 'olga');
  mkdirSync(evidence);
  try {
    execFileSync('mkfifo', [join(evidence, 'WhatsApp Chat with Мама.txt')]);
  } catch (error) {
    t.skip(`skipped: mkfifo is not available here (${String(error)})`);
    return;
  }
  writeFileSync(join(evidence, 'WhatsApp Chat with +7 928 123-45-67.txt'), '20/01/2022, 18:16 - +7 928 123-45-67: Мы знаем, где живёт твоя мать\n');
  const r = cli(['ingest', '--case', join(dir, 'case'), evidence]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /skipped .*olga\/WhatsApp Chat with Мама\.txt: a FIFO \(named pipe\), not a regular file: not read/);
  assert.match(r.stdout, /ingested .*67\.txt +whatsapp-txt +olga +1 +1 /);
});

test('temporary copies: inside the case folder while in use, nothing left after ingest, leftovers of a killed run removed at the next ingest', async () => {
  const dir = scratchDir('temp-copies');
  const caseDir = join(dir, 'case');
  const systemTmp = join(dir, 'system-tmp');
  mkdirSync(systemTmp);
  const first = cli(['ingest', '--case', caseDir, BORIS_ZIP], { TMPDIR: systemTmp });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(existsSync(join(caseDir, 'tmp')), false, 'no tmp folder left in the case');
  assert.deepEqual(readdirSync(systemTmp), [], 'no copy of evidence in the system temporary folder');

  // Where the copies go while they are in use: the case's own tmp folder.
  const handle = openCase(caseDir, { create: false, access: 'write' });
  try {
    const sha = handle.db.prepare("SELECT sha256 FROM message_media WHERE sha256 IS NOT NULL AND name LIKE '%PHOTO%'").pluck().get() as string;
    const path = handle.db.prepare('SELECT path FROM message_media WHERE sha256 = ?').pluck().get(sha) as string;
    const seen = await withReadablePaths(handle, [{ sha256: sha, path }], () => undefined, async (jobs) => jobs.map((j) => j.readPath));
    assert.equal(seen.length, 1);
    assert.ok(seen[0]!.startsWith(join(caseDir, 'tmp') + '/'), seen[0]);
    assert.equal(existsSync(seen[0]!), false);
  } finally {
    handle.close();
  }

  // What a kill -9 leaves: a folder of a process that no longer runs, with a copy in it. A folder
  // of a process still running (this test) is another ingest's, and stays.
  const host = hostname().replace(/[^A-Za-z0-9_]/g, '_') || 'host';
  const dead = join(caseDir, 'tmp', `media-${host}-2147483646-Ab12Cd`);
  const live = join(caseDir, 'tmp', `media-${host}-${process.pid}-Xy34Zw`);
  mkdirSync(dead, { recursive: true });
  mkdirSync(live, { recursive: true });
  writeFileSync(join(dead, '0'), Buffer.alloc(1024, 0xff));
  const second = cli(['ingest', '--case', caseDir, faults('ru-crc-photo.zip')], { TMPDIR: systemTmp });
  assert.equal(second.code, 0, second.stderr);
  assert.equal(existsSync(dead), false, 'the dead run\'s copies are removed');
  assert.equal(existsSync(live), true, 'a running ingest\'s folder is left alone');

  // Without a case folder the copies go to the system's temporary folder and are gone at exit.
  assert.equal((await mediaJson([BORIS_ZIP], { TMPDIR: systemTmp })).length, 1);
  assert.deepEqual(readdirSync(systemTmp), []);
});
