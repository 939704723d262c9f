// `threatlens phones`: filter or case, decided the same way every time; typed numbers that are not
// valid are reported with the reason; a hint when national numbers were not read for want of a region.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath, runCli } from './helpers.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'threatlens-phones-cli-'));
const items = (stdout: string): { e164: string; valid: boolean; validity: string; raw: string }[] =>
  stdout.trim() === '' ? [] : stdout.trimEnd().split('\n').map((l) => JSON.parse(l));

/** A case holding the same-number fixture: one number, +79281234567. */
async function sameNumberCase(dir: string, name = 'case'): Promise<string> {
  const caseDir = join(dir, name);
  const r = await runCli(['ingest', '--case', caseDir, fixturePath('cases', 'same-number')]);
  assert.equal(r.code, 0, r.stderr);
  return caseDir;
}

const PIPED = 'Новый номер 8 (916) 765-43-21\n';

test('no TEXT and $THREATLENS_CASE set: the case is listed, also when stdin is not a terminal', async () => {
  const caseDir = await sameNumberCase(tempDir());
  for (const stdin of ['', PIPED]) {
    const r = await runCli(['phones', '--format', 'jsonl'], { stdin, env: { THREATLENS_CASE: caseDir } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(items(r.stdout).map((p) => p.e164), ['+79281234567'], `stdin ${JSON.stringify(stdin)}`);
  }
  // "-" reads the piped text whatever case is set.
  const dash = await runCli(['phones', '-', '--region', 'RU', '--format', 'jsonl'], { stdin: PIPED, env: { THREATLENS_CASE: caseDir } });
  assert.deepEqual(items(dash.stdout).map((p) => p.e164), ['+79167654321']);
});

test('no TEXT, no --case, no $THREATLENS_CASE: piped text is filtered; nothing piped lists ./threatlens-case', async () => {
  const dir = tempDir();
  await sameNumberCase(dir, 'threatlens-case');
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const empty = await runCli(['phones', '--format', 'jsonl'], { stdin: '' });
    assert.equal(empty.code, 0, empty.stderr);
    assert.deepEqual(items(empty.stdout).map((p) => p.e164), ['+79281234567'], 'the default case, as for every command');
    const piped = await runCli(['phones', '--region', 'RU', '--format', 'jsonl'], { stdin: PIPED });
    assert.equal(piped.code, 0, piped.stderr);
    assert.deepEqual(items(piped.stdout).map((p) => p.e164), ['+79167654321'], 'cat notes.txt | threatlens phones stays a filter');
  } finally {
    process.chdir(cwd);
  }
  // And with no case anywhere the pipeline filter works as before.
  const elsewhere = await runCli(['phones', '--region', 'RU', '--format', 'jsonl'], { stdin: PIPED });
  assert.deepEqual(items(elsewhere.stdout).map((p) => p.e164), ['+79167654321']);
});

test('TEXT with --case is a usage error; --min-victims does not apply to TEXT', async () => {
  const both = await runCli(['phones', '--case', tempDir(), '+7 928 123 45 67']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /TEXT and --case exclude each other/);
  const minVictims = await runCli(['phones', '+7 928 123 45 67', '--min-victims', '2']);
  assert.equal(minVictims.code, 2);
});

test('a number that is not valid is reported, with the reason, when the argument or line is nothing but it', async () => {
  for (const [arg, e164, validity] of [
    ['+7 123 456 78 90', '+71234567890', 'no pattern matches'],
    ['+7 928 123', '+7928123', 'too short'],
    ['+7 928 123 45 67 89', '+7928123456789', 'invalid length'],
  ] as const) {
    const r = await runCli(['phones', arg, '--format', 'jsonl']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(items(r.stdout).map((p) => [p.e164, p.valid, p.validity, p.raw]), [[e164, false, validity, arg]], arg);
  }
  // In running text only valid numbers count, as in a chat: a number-shaped run there that matches
  // no pattern is more often something else (an id, a time) than a mistyped number.
  const mixed = await runCli(['phones', '--region', 'RU', 'Звони 8 928 123 45 67, не 8 928 123; 12.03.2022, 15 000 руб', '--format', 'jsonl']);
  assert.deepEqual(items(mixed.stdout).map((p) => [p.raw, p.validity]), [['8 928 123 45 67', 'valid pattern']]);
  const sentence = await runCli(['phones', 'звонили с +7 928 123 45 67 89', '--format', 'jsonl']);
  assert.deepEqual(items(sentence.stdout), []);
  // The same for standard input, line by line: a list of numbers shows the bad ones, a chat does not.
  const list = await runCli(['phones', '--region', 'RU', '--format', 'jsonl'], { stdin: '8 928 123 45 67\n  +7 123 456 78 90 \nне +7 123 456 78 90, а +7 916 765 43 21\n' });
  assert.deepEqual(items(list.stdout).map((p) => [p.e164, p.valid]), [['+79281234567', true], ['+71234567890', false], ['+79167654321', true]]);
  const piped = await runCli(['phones', '--format', 'jsonl'], { stdin: 'не +7 123 456 78 90, а +7 928 123 45 67\n' });
  assert.deepEqual(items(piped.stdout).map((p) => p.e164), ['+79281234567']);
});

test('a Unix time in running text is not a phone number (nor a number skipped for want of a region)', async () => {
  const text = 'message_id 4821 отправлено 1640170800';
  const ru = await runCli(['phones', '--region', 'RU', text, '--format', 'jsonl']);
  assert.equal(ru.code, 0, ru.stderr);
  assert.deepEqual(items(ru.stdout), []);
  // Brazil and Germany read 1640170800 as a valid number: still not one in running text.
  for (const region of ['BR', 'DE']) {
    const r = await runCli(['phones', '--region', region, text, '--format', 'jsonl']);
    assert.deepEqual(items(r.stdout), [], region);
  }
  const piped = await runCli(['phones', '--format', 'jsonl'], { stdin: `${text}\nlast_seen: 1712345678, status ok\n` });
  assert.equal(piped.stdout, '');
  assert.equal(piped.stderr, '', 'no "written without + was not read" hint for timestamps');
  // Real numbers stay: a São Paulo landline after a phone word, written with formatting, or alone;
  // 11 digits with the trunk 8, or with +.
  const br = await runCli(['phones', '--region', 'BR', '--format', 'jsonl'], {
    stdin: 'tel. 1133334444\nliga (11) 3333-4444 amanhã\n1133334444\n',
  });
  assert.deepEqual(items(br.stdout).map((p) => p.e164), ['+551133334444', '+551133334444', '+551133334444']);
  const plus = await runCli(['phones', '--region', 'RU', 'звони +7 928 164 01 70 или 89281640170, отправлено 1640170800', '--format', 'jsonl']);
  assert.deepEqual(items(plus.stdout).map((p) => p.e164), ['+79281640170', '+79281640170']);
});

test('national numbers without --region: nothing is guessed, and stderr says why', async () => {
  const r = await runCli(['phones', '8 928 123 45 67', '--format', 'jsonl']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /1 number written without \+ was not read: .*--region CC/);
  const piped = await runCli(['phones', '--format', 'jsonl'], { stdin: 'Звони 8 928 123 45 67 или 8 916 765 43 21, либо +49 1512 3456789\n' });
  assert.deepEqual(items(piped.stdout).map((p) => p.e164), ['+4915123456789']);
  assert.match(piped.stderr, /2 numbers written without \+ were not read/);
  const withRegion = await runCli(['phones', '8 928 123 45 67', '--region', 'RU', '--format', 'jsonl']);
  assert.deepEqual(items(withRegion.stdout).map((p) => p.e164), ['+79281234567']);
  assert.equal(withRegion.stderr, '');
});

/** Writes a WhatsApp Android export (English, 24 h) for `victim` under `dir`. */
function whatsApp(dir: string, victim: string, lines: string[]): string {
  const folder = join(dir, 'evidence', victim);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `WhatsApp Chat with ${victim}.txt`), lines.map((l) => `${l}\n`).join(''));
  return folder;
}

test('messages --phone without --region reads a national number with each export\'s recorded region', async () => {
  // Sample case: regions from threatlens.json (RU) and inferred (dmitri's account export).
  const sample = JSON.parse((await runCli(['messages', fixturePath('sample-case'), '--phone', '8 928 123 45 67', '--format', 'json'])).stdout).items;
  assert.deepEqual(sample.map((m: { victim: string }) => m.victim), ['anna', 'dmitri']);

  // Two exports, two countries: '0151 23456789' is German only where the export is German.
  const dir = tempDir();
  whatsApp(dir, 'klaus', [
    '14/02/2022, 10:00 - Unbekannt: Ruf an: +49 30 1234567',
    '14/02/2022, 10:01 - Unbekannt: Oder Handy 0151 23456789',
  ]);
  whatsApp(dir, 'olga', [
    '14/02/2022, 11:00 - Незнакомец: Звони +7 928 123 45 67',
    '14/02/2022, 11:01 - Незнакомец: или 8 916 765-43-21',
  ]);
  const caseDir = join(dir, 'case');
  const ingest = await runCli(['ingest', '--case', caseDir, join(dir, 'evidence'), '--tz', 'UTC']);
  assert.equal(ingest.code, 0, ingest.stderr);
  const find = async (phone: string) => {
    const r = await runCli(['messages', '--case', caseDir, '--phone', phone, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).items.map((m: { victim: string; text: string }) => `${m.victim}: ${m.text}`);
  };
  assert.deepEqual(await find('0151 23456789'), ['klaus: Oder Handy 0151 23456789']);
  assert.deepEqual(await find('8 (916) 765-43-21'), ['olga: или 8 916 765-43-21']);
  assert.deepEqual(await find('+4915123456789'), ['klaus: Oder Handy 0151 23456789']);

  // A case whose exports have no region: say what to do.
  const bare = tempDir();
  whatsApp(bare, 'ivan', ['14/02/2022, 10:00 - Незнакомец: Звони 8 928 123 45 67']);
  const bareCase = join(bare, 'case');
  await runCli(['ingest', '--case', bareCase, join(bare, 'evidence'), '--tz', 'UTC']);
  const r = await runCli(['messages', '--case', bareCase, '--phone', '8 928 123 45 67']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no export of this case has a phone region/);
});

test('a number in a sender\'s display name makes it the sender of that number ("is sender"), not a writer', async () => {
  const dir = tempDir();
  whatsApp(dir, 'anna', [
    '14/02/2022, 10:00 - Такси 8 928 123-45-67: Машина у подъезда',
    '14/02/2022, 10:05 - Сосед: Это такси +7 928 123 45 67?',
  ]);
  const caseDir = join(dir, 'case');
  const ingest = await runCli(['ingest', '--case', caseDir, join(dir, 'evidence'), '--tz', 'UTC', '--region', 'RU']);
  assert.equal(ingest.code, 0, ingest.stderr);
  const [number] = JSON.parse((await runCli(['phones', '--case', caseDir, '--format', 'json'])).stdout).items;
  assert.equal(number.e164, '+79281234567');
  const keyOf = (name: string): string => number.sources.find((s: { sender: string }) => s.sender.endsWith(`:${name}`)).sender;
  assert.deepEqual(number.owners, [keyOf('Такси 8 928 123-45-67')]);
  assert.deepEqual(number.writers, [keyOf('Сосед')]);
  const table = await runCli(['phones', '--case', caseDir]);
  assert.match(table.stdout, /is sender +written by/);
});
