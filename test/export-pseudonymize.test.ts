// Sharing safely (issue 16): `export --pseudonymize` writes the findings with victims, people who are
// not suspects, their numbers, chat names and paths replaced by stable pseudonyms and the texts of
// messages that are not evidence withheld; the suspects' evidence is kept; the key file, kept apart,
// says what each pseudonym stands for and gives the same pseudonyms again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath, runCli, scratchDir } from './helpers.js';

const FILES = ['findings.json', 'messages.jsonl', 'senders.jsonl', 'README.txt'];

test('export --pseudonymize: none of the replaced strings is left; the suspects and their evidence are; the same key gives the same pseudonyms', async () => {
  const root = scratchDir('export');
  const caseDir = join(root, 'case');
  assert.equal((await runCli(['ingest', '--case', caseDir, fixturePath('sample-case')])).code, 0);
  mkdirSync(join(root, 'keys'));
  const keyFile = join(root, 'keys', 'case.key.json');
  const out = join(root, 'share');
  const r = await runCli(['export', '--case', caseDir, '--pseudonymize', '-o', out, '--key', keyFile]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /exported 58 messages \(\d+ texts withheld\) and 1 cluster .*: \d+ values replaced by pseudonyms, 3 suspects kept/);
  const text = FILES.map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
  const key = JSON.parse(readFileSync(keyFile, 'utf8')) as { secret: string; entries: { pseudonym: string; kind: string; original: string }[] };
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);

  // Every value the key lists as replaced is gone (texts withheld are listed by message id, which stays).
  const replaced = key.entries.filter((e) => e.kind !== 'text');
  assert.ok(replaced.length > 20);
  const bare = text.replace(/\b(?:victim|person|phone|chat|file|T)-[0-9a-f]{10}\b/g, ' ');
  for (const e of replaced) assert.ok(!bare.includes(e.original), `${e.kind} "${e.original}" is left in the export`);
  // Named checks: victims' labels and own names, a mother's saved name, a benign text, the evidence paths.
  for (const gone of ['"anna"', 'elena', 'Anna Petrova', 'Мама', 'С Новым годом, сынок!', 'fixtures/sample-case', 'WhatsApp Chat with']) {
    assert.ok(!text.includes(gone), `${gone} is left`);
  }
  // The suspects and their evidence are kept.
  for (const kept of ['telegram:user5012345678', 'phone:+79281234567', 'Служба Безопасности', 'мы знаем, где живёт твоя мать']) assert.ok(text.includes(kept), `${kept} is kept`);
  const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as { clusters: { members: { key: string }[]; evidence: { refs: string[] }[] }[] };
  assert.deepEqual(findings.clusters[0]!.members.map((m) => m.key), ['phone:+79281234567', 'telegram:user5012345678', 'telegram:user5098765432']);
  const messages = readFileSync(join(out, 'messages.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; text: string; source: { sha256: string } });
  const cited = new Set(findings.clusters[0]!.evidence.flatMap((e) => e.refs));
  assert.ok(messages.some((m) => cited.has(m.id) && m.text.includes('знаем')), 'cited messages keep their text');
  assert.ok(messages.filter((m) => !cited.has(m.id) && m.text !== '').every((m) => /^⟨withheld T-[0-9a-f]{10}⟩$/.test(m.text)));
  assert.ok(messages.every((m) => /^[0-9a-f]{64}$/.test(m.source.sha256)), 'every message still points at its evidence by SHA-256');

  // Again with the same key: the same pseudonyms.
  const again = join(root, 'share-2');
  assert.equal((await runCli(['export', '--case', caseDir, '--pseudonymize', '-o', again, '--key', keyFile])).code, 0);
  assert.equal(readFileSync(join(again, 'messages.jsonl'), 'utf8'), readFileSync(join(out, 'messages.jsonl'), 'utf8'));

  // Refused: without --pseudonymize, a key inside the export, an export folder that is not empty.
  const plain = await runCli(['export', '--case', caseDir, '-o', join(root, 'x'), '--key', join(root, 'k.json')]);
  assert.equal(plain.code, 2);
  assert.match(plain.stderr, /add --pseudonymize/);
  const inside = await runCli(['export', '--case', caseDir, '--pseudonymize', '-o', join(root, 'y'), '--key', join(root, 'y', 'k.json')]);
  assert.equal(inside.code, 2);
  assert.match(inside.stderr, /is inside the export/);
  const full = await runCli(['export', '--case', caseDir, '--pseudonymize', '-o', out, '--key', keyFile]);
  assert.equal(full.code, 2);
  assert.match(full.stderr, /is not an empty folder/);
  // A key in a folder that does not exist (here under /proc, where a recursive mkdir of Node 20 never
  // returns): refused before any work.
  const nowhere = await runCli(['export', '--case', caseDir, '--pseudonymize', '-o', join(root, 'z'), '--key', '/proc/no-such-folder/k.json']);
  assert.equal(nowhere.code, 2);
  assert.match(nowhere.stderr, /--key: the folder \/proc\/no-such-folder does not exist/);
});
