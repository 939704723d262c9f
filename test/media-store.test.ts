// Image facts in the case: what case.sqlite holds agrees with what `media` prints (anomalies judged
// against the message that carried the image, named in the row), hashes and links by kind, camera
// times, the table's anomaly lines, and a schema-4 case upgraded in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../src/store/schema.js';
import { openCase } from '../src/store/case.js';
import { fixturePath, runCli } from './helpers.js';

const SAMPLE = fixturePath('sample-case');
const img = (name: string): string => fixturePath('images', name);

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'threatlens-media-store-'));
}

interface AnomalyRow {
  sha256: string;
  code: string;
  message: string;
  context_message: string | null;
}

function rows(caseDir: string, sql: string): unknown[] {
  const db = new Database(join(caseDir, 'case.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

test('case.sqlite holds every anomaly media prints, context ones with the message they were judged against', async () => {
  const dir = tempDir();
  try {
    const caseDir = join(dir, 'case');
    assert.equal((await runCli(['ingest', SAMPLE, '--case', caseDir])).code, 0);
    const stored = rows(caseDir, 'SELECT sha256, code, message, context_message FROM media_anomalies ORDER BY sha256, code') as AnomalyRow[];
    const printed = JSON.parse((await runCli(['media', '--case', caseDir, '--format', 'json'])).stdout).items as {
      sha256: string;
      anomalyDetails: { code: string; message: string; contextMessage: string | null }[];
      messages: { id: string }[];
    }[];
    const fromJson = printed
      .flatMap((m) => m.anomalyDetails.map((a) => ({ sha256: m.sha256, code: a.code, message: a.message, context_message: a.contextMessage })))
      .sort((a, b) => (a.sha256 + a.code < b.sha256 + b.code ? -1 : 1));
    assert.deepEqual(stored, fromJson);
    const gps = stored.find((r) => r.code === 'gps-in-messenger-image');
    assert.ok(gps, 'the context anomaly is in the database');
    const carrier = printed.find((m) => m.sha256 === gps.sha256)!;
    assert.equal(gps.context_message, carrier.messages[0]!.id);
    assert.ok(stored.filter((r) => r.code === 'metadata-stripped').every((r) => r.context_message === null), 'file facts name no message');
    // The facts JSON no longer carries a partial anomaly list.
    const facts = rows(caseDir, 'SELECT facts FROM media_facts') as { facts: string }[];
    assert.ok(facts.every((f) => !('anomalies' in JSON.parse(f.facts))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('context anomalies are judged again when a later ingest brings the message that carried the image', async () => {
  const dir = tempDir();
  try {
    const caseDir = join(dir, 'case');
    const photo = join(SAMPLE, 'anna', 'ChatExport_2022-01-25', 'files', 'IMG_20220119_153012.jpg');
    assert.equal((await runCli(['ingest', photo, '--case', caseDir])).code, 0);
    const codes = (): string[] => (rows(caseDir, 'SELECT code FROM media_anomalies ORDER BY code') as { code: string }[]).map((r) => r.code);
    assert.deepEqual(codes(), [], 'taken in loose: no message, so no messenger and no message time');
    assert.equal((await runCli(['ingest', join(SAMPLE, 'anna', 'ChatExport_2022-01-25'), '--case', caseDir])).code, 0);
    assert.deepEqual(codes(), ['gps-in-messenger-image'], 'the Telegram message that carried it is now known');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hashes and links are stored by kind; times as instants only with an offset, the wall clock beside', async () => {
  const dir = tempDir();
  try {
    const caseDir = join(dir, 'case');
    const r = await runCli(['ingest', img('canon-80d.jpg'), img('messenger-reencode.jpg'), img('samsung-s21.jpg'), '--case', caseDir]);
    assert.equal(r.code, 0, r.stderr);
    const hashes = rows(caseDir, 'SELECT kind, count(*) AS n FROM media_hashes GROUP BY kind') as { kind: string; n: number }[];
    assert.deepEqual(hashes, [{ kind: 'phash64', n: 3 }]);
    const links = rows(caseDir, 'SELECT kind, distance FROM media_links') as { kind: string; distance: number }[];
    assert.deepEqual(links, [{ kind: 'phash64', distance: 0 }], 'the Canon photo and its messenger copy');
    const times = rows(caseDir, 'SELECT make, taken_at, taken_at_local FROM media_facts WHERE make IS NOT NULL ORDER BY make') as Record<string, string | null>[];
    assert.deepEqual(times, [
      { make: 'Canon', taken_at: '2023-03-14T06:26:53Z', taken_at_local: '2023-03-14T09:26:53' },
      { make: 'samsung', taken_at: null, taken_at_local: '2022-12-30T17:45:10' },
    ]);

    const json = JSON.parse((await runCli(['media', '--case', caseDir, '--format', 'json'])).stdout).items as Record<string, any>[];
    const samsung = json.find((m) => m.exif.make === 'samsung')!;
    assert.equal(samsung.exif.takenAt, null, 'never a zone-less time where the contract promises UTC');
    assert.equal(samsung.exif.takenAtLocal, '2022-12-30T17:45:10');
    const canon = json.find((m) => m.exif.make === 'Canon')!;
    assert.deepEqual(
      [canon.exif.createdAt, canon.exif.createdAtOffset, canon.exif.createdAtRaw, canon.exif.modifiedAtOffset, canon.exif.modifiedAtRaw],
      ['2023-03-14T06:26:53Z', '+03:00', '2023:03:14 09:26:53', '+03:00', '2023:03:14 09:26:53'],
    );
    assert.equal(canon.phash, canon.hashes.phash64, 'the contract\'s phash is the phash64 hash');
    assert.deepEqual(canon.similar.map((s: { kind: string }) => s.kind), ['phash64']);
    for (const m of json) for (const key of ['takenAt', 'createdAt', 'modifiedAt']) assert.ok(m.exif[key] === null || /Z$/.test(m.exif[key]), `${key}: ${m.exif[key]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the media table prints each anomaly in full on its own line beneath the row', async () => {
  const r = await runCli(['media', SAMPLE]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.ok(!lines[0]!.includes('anomalies'), 'no cut-off anomalies column');
  const gps = lines.findIndex((l) => l.startsWith('    gps-in-messenger-image: GPS position 43.317812, 45.694923 survived delivery'));
  assert.ok(gps > 0, r.stdout);
  assert.match(lines[gps - 1]!, /^bdf84e4ee5fb /, 'beneath its image');
  let full = lines[gps]!.trim();
  for (let i = gps + 1; lines[i]!.startsWith('      ') && !lines[i]!.startsWith('       '); i++) full += ` ${lines[i]!.trim()}`;
  assert.ok(lines[gps + 1]!.startsWith('      '), 'long lines wrap, indented under the first');
  assert.match(
    full,
    /^gps-in-messenger-image: GPS position 43\.317812, 45\.694923 survived delivery through a messenger, which strips it from photos: probably sent as a file, straight from the device \[message tg:[0-9a-f]{12}:5012345678:2\]$/,
    'the whole explanation, with the message it was judged against',
  );
  assert.ok(lines.some((l) => /^ {4}similar: 02b92cd1fb52 \(phash64 distance 0\)$/.test(l)));
  assert.ok(!r.stdout.includes('…\n'), 'nothing cut');
  const csv = await runCli(['media', SAMPLE, '--format', 'csv']);
  assert.match(csv.stdout.split('\n')[0]!, /,anomalies,similar$/, 'CSV keeps the codes in columns');
});

test('a schema-4 case is upgraded: hashes and links by kind, wall clocks out of taken_at, old facts read again', async () => {
  const dir = tempDir();
  try {
    const caseDir = join(dir, 'case');
    mkdirSync(caseDir);
    const path = join(dir, 'canon.jpg');
    cpSync(img('canon-80d.jpg'), path);
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    const db = new Database(join(caseDir, 'case.sqlite'));
    for (const m of MIGRATIONS.filter((m) => m.version <= 4)) db.exec(m.sql);
    db.pragma('user_version = 4');
    db.prepare("INSERT INTO evidence VALUES (?, ?, 21318, 'image', NULL, '2024-01-01T00:00:00Z')").run(sha, path);
    // As schema 4 stored it: phash column, anomalies inside the JSON, a wall clock in taken_at.
    const old = { sha256: sha, phash: 'f3b50dcaca2472d2', exif: { takenAt: '2023-03-14T09:26:53' }, anomalies: [] };
    db.prepare(
      "INSERT INTO media_facts (sha256, size, format, phash, taken_at, facts, read_by) VALUES (?, 21318, 'jpeg', 'f3b50dcaca2472d2', '2023-03-14T09:26:53', ?, 'threatlens 0.0.1')",
    ).run(sha, JSON.stringify(old));
    db.prepare('INSERT INTO media_links VALUES (?, ?, 3)').run(sha, 'b'.repeat(64));
    db.close();

    // Opening the case migrates it; `media` reads the image again because its facts are of the old shape.
    const handle = openCase(caseDir, { create: false });
    const migrated = handle.db;
    assert.deepEqual(migrated.prepare('SELECT kind, hash FROM media_hashes').all(), [{ kind: 'phash64', hash: 'f3b50dcaca2472d2' }]);
    assert.deepEqual(migrated.prepare('SELECT kind, distance FROM media_links').all(), [{ kind: 'phash64', distance: 3 }]);
    assert.deepEqual(migrated.prepare('SELECT taken_at, taken_at_local, facts_version FROM media_facts').all(), [
      { taken_at: null, taken_at_local: '2023-03-14T09:26:53', facts_version: 1 },
    ]);
    assert.equal((migrated.prepare("SELECT count(*) AS n FROM pragma_table_info('media_facts') WHERE name = 'phash'").get() as { n: number }).n, 0);
    handle.close();

    const r = await runCli(['media', '--case', caseDir, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const [item] = JSON.parse(r.stdout).items;
    assert.equal(item.exif.takenAt, '2023-03-14T06:26:53Z');
    assert.deepEqual(rows(caseDir, 'SELECT taken_at, taken_at_local, facts_version FROM media_facts'), [
      { taken_at: '2023-03-14T06:26:53Z', taken_at_local: '2023-03-14T09:26:53', facts_version: 2 },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
