// The analyst's decisions (issue 16): a rejected link stays apart in every later run, whatever the
// evidence and however much evidence is added, and is not offered again; no chain of other links
// brings it back together; a confirmed link is a hard link marked as the analyst's; a decision that
// cannot apply (a hard link ties the two) says so; withdrawn, the evidence decides again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fixturePath, runCli, scratchDir } from './helpers.js';
import { runClustering } from '../src/attribution/cluster.js';
import type { AnalystDecision, AttributionInput, AttributionMessage, Identity } from '../src/attribution/types.js';

const TG_A = 'telegram:user5098765432';
const TG_B = 'telegram:user5012345678';
const PHONE = 'phone:+79281234567';

interface ClusterDoc {
  items: { id: string; members: { key: string }[] }[];
  candidates: { between: string[] }[];
  decisions: { id: number; verdict: string; applied: boolean; effect: string }[];
}

async function clusters(caseDir: string): Promise<ClusterDoc> {
  const r = await runCli(['cluster', '--case', caseDir, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as ClusterDoc;
}
const together = (doc: ClusterDoc, a: string, b: string): boolean =>
  doc.items.some((c) => c.members.some((m) => m.key === a) && c.members.some((m) => m.key === b));

test('review reject: the link stays apart after re-clustering and after more evidence; explain says why; withdrawn, it joins again', async () => {
  const caseDir = join(scratchDir('review'), 'case');
  assert.equal((await runCli(['ingest', '--case', caseDir, fixturePath('sample-case')])).code, 0);
  const before = await clusters(caseDir);
  assert.ok(together(before, TG_A, TG_B), 'the evidence joins them');

  const r = await runCli(['review', 'reject', TG_A, TG_B, '--case', caseDir, '--note', 'checked with both victims: different people', '--examiner', 'A. Petrova', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /decision #1 recorded: every later `threatlens cluster` keeps apart telegram:user5012345678 telegram:user5098765432/);
  const decision = (JSON.parse(r.stdout) as { items: { id: number; keys: string[]; examiner: string; note: string }[] }).items[0]!;
  assert.deepEqual([decision.id, decision.keys, decision.examiner], [1, [TG_B, TG_A], 'A. Petrova']);

  const after = await clusters(caseDir);
  assert.equal(together(after, TG_A, TG_B), false, 'rejected: never joined');
  assert.ok(!after.candidates.some((c) => c.between.includes(TG_A)), 'and not offered again as a candidate');
  assert.deepEqual(after.decisions.map((d) => [d.id, d.verdict, d.applied, d.effect]), [[1, 'reject', true, '1 link kept apart']]);

  const explained = await runCli(['explain', TG_A, TG_B, '--case', caseDir]);
  assert.match(explained.stdout, /rejected by the analyst \(decision #1, A\. Petrova, \d{4}-\d\d-\d\d: checked with both victims: different people\): never joined, whatever the evidence/);

  // More evidence arrives (through analyze, whose report shows the decision): the decision is kept.
  const report = await runCli(['analyze', fixturePath('cases', 'disguise'), '--case', caseDir, '--format', 'html']);
  assert.equal(report.code, 0, report.stderr);
  assert.match(report.stdout, /<h2 id="decisions">Analyst decisions \(1\)<\/h2>/);
  assert.match(report.stdout, /checked with both victims: different people/);
  assert.equal(together(await clusters(caseDir), TG_A, TG_B), false, 'still apart with more evidence');

  // Deciding again is refused; the opposite needs the first withdrawn.
  const again = await runCli(['review', 'reject', TG_B, TG_A, '--case', caseDir]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already decided: decision #1/);
  const opposite = await runCli(['review', 'confirm', TG_A, TG_B, '--case', caseDir]);
  assert.equal(opposite.code, 2);
  assert.match(opposite.stderr, /decision #1 rejected .*; withdraw it first/);

  assert.equal((await runCli(['review', 'withdraw', '1', '--case', caseDir, '--note', 'victim corrected herself'])).code, 0);
  assert.ok(together(await clusters(caseDir), TG_A, TG_B), 'withdrawn: the evidence decides again');
  const list = await runCli(['review', 'list', '--case', caseDir, '--all', '--format', 'jsonl']);
  assert.match(list.stdout, /"withdrawnAt":"\d{4}-/);
  assert.equal((await runCli(['review', 'list', '--case', caseDir, '--format', 'jsonl'])).stdout, '', 'nothing in force');
  const custody = await runCli(['custody', '--case', caseDir, '--format', 'jsonl']);
  assert.match(custody.stdout, /"command":"review withdraw","arguments":\["1","--case",/);
  assert.match(custody.stdout, /"note":"victim corrected herself"/);
});

test('review confirm: two "Мама" of different victims joined as one account, marked as the analyst\'s; a rejection a hard link contradicts is not applied, and says why', async () => {
  const caseDir = join(scratchDir('review-confirm'), 'case');
  assert.equal((await runCli(['ingest', '--case', caseDir, fixturePath('sample-case')])).code, 0);
  const senders = JSON.parse((await runCli(['senders', '--case', caseDir, '--format', 'json'])).stdout) as { items: { key: string }[] };
  const mothers = senders.items.map((s) => s.key).filter((k) => k.endsWith(':Мама')).sort();
  assert.equal(mothers.length, 2);
  assert.equal((await runCli(['review', 'confirm', mothers[0]!, mothers[1]!, '--case', caseDir, '--note', 'the same woman: she wrote to both'])).code, 0);
  const doc = await clusters(caseDir);
  assert.ok(together(doc, mothers[0]!, mothers[1]!));
  const ledger = await runCli(['explain', mothers[0]!, mothers[1]!, '--case', caseDir]);
  assert.match(ledger.stdout, /analyst-confirmed: confirmed by the analyst \(decision #1, \d{4}-\d\d-\d\d\): the same woman: she wrote to both/);
  assert.match(ledger.stdout, /against: an analyst's judgement/);

  // The number and the Telegram account are one account by an address book entry: a rejection cannot undo that.
  assert.equal((await runCli(['review', 'reject', PHONE, TG_B, '--case', caseDir])).code, 0);
  const conflict = (await clusters(caseDir)).decisions.find((d) => d.id === 2)!;
  assert.equal(conflict.applied, false);
  assert.match(conflict.effect, /^not applied: phone:\+79281234567 and telegram:user5012345678 are one account \(address book entry "Угрозы 928"/);

  // Mistakes are usage errors that say what to type.
  const unknown = await runCli(['review', 'reject', 'telegram:user1', TG_B, '--case', caseDir]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no sender "telegram:user1" in this case\n  use the keys `threatlens senders --case DIR` lists/);
  const noCluster = await runCli(['review', 'reject', 'C-0000000000', '--case', caseDir]);
  assert.equal(noCluster.code, 2);
  assert.match(noCluster.stderr, /no cluster C-0000000000 in the latest clustering run/);
});

test('review reject CLUSTER: each pair of its members is kept apart, also through other links (held apart, shown as candidates)', () => {
  const threat = (name: string) => `${name}, мы знаем, где живёт твоя мать. Ты нигде не в безопасности, иначе пожалеешь.`;
  const other = (name: string) => `${name}, твой брат под нашим присмотром. Удали канал до пятницы.`;
  const id = (key: string, victim: string): Identity => ({ key, platform: 'telegram', names: [], phones: [], messages: 2, victims: [victim], firstSeen: null, lastSeen: null, selfOf: [] });
  const msg = (mid: string, sender: string, victim: string, at: number, text: string, phones: string[] = []): AttributionMessage => ({
    id: mid, sender, victim, at, kind: 'text', text, forwarded: false, phones, media: [], links: [],
  });
  // u1 and u2 share a threat, a number and a channel; u2 and u3 another threat, number and channel;
  // u1 and u3 nothing. Ten benign accounts of the same victims around them.
  const input: AttributionInput = {
    identities: [id('telegram:user1', 'anna'), id('telegram:user2', 'boris'), id('telegram:user3', 'dmitri')],
    messages: [
      msg('a1', 'telegram:user1', 'anna', 1_000, threat('Анна')),
      msg('a2', 'telegram:user1', 'anna', 5_000_000, 'мой номер +7 928 111-22-33, канал @vozmezdie_77', ['+79281112233']),
      msg('b1', 'telegram:user2', 'boris', 2_000, threat('Борис')),
      msg('b2', 'telegram:user2', 'boris', 7_000_000, 'Для связи: 8 928 111 22 33, только вечером. Читай @vozmezdie_77', ['+79281112233']),
      msg('b3', 'telegram:user2', 'boris', 50_000_000, other('Борис')),
      msg('b4', 'telegram:user2', 'boris', 60_000_000, 'пиши в вотсап +7 918 444-55-66 или @nablyudatel_05', ['+79184445566']),
      msg('c1', 'telegram:user3', 'dmitri', 50_001_000, other('Дмитрий')),
      msg('c2', 'telegram:user3', 'dmitri', 70_000_000, 'Номер для перевода 89184445566, вопросы к @nablyudatel_05', ['+79184445566']),
    ],
    accountLinks: [],
  };
  const benign = ['Привет, как дела?', 'Купи хлеба по дороге', 'Завтра в девять у школы', 'Спасибо, получила', 'Позвони бабушке', 'Мы уже дома', 'Когда приедешь?', 'С днём рождения!', 'Сегодня дождь', 'Перезвоню позже'];
  benign.forEach((text, i) => {
    const victim = ['anna', 'boris', 'dmitri'][i % 3]!;
    input.identities.push(id(`telegram:user10${i}`, victim));
    input.messages.push(msg(`x${i}`, `telegram:user10${i}`, victim, 3_000_000 * (i + 1), text));
  });
  const free = runClustering(input);
  assert.deepEqual(free.clusters.map((c) => c.members), [['telegram:user1', 'telegram:user2', 'telegram:user3']], 'a chain of two joins');
  const rejectEnds: AnalystDecision = { id: 7, verdict: 'reject', subject: 'link', clusterId: null, keys: ['telegram:user1', 'telegram:user3'], note: 'different people', examiner: null, decidedAt: '2026-12-01T10:00:00Z' };
  const held = runClustering({ ...input, decisions: [rejectEnds] });
  assert.ok(held.clusters.every((c) => !(c.members.includes('telegram:user1') && c.members.includes('telegram:user3'))), 'no chain brings the rejected pair together');
  assert.equal(held.clusters.length, 1, 'the stronger join stands');
  const heldApart = held.candidates.filter((p) => p.heldApartBy !== undefined);
  assert.equal(heldApart.length, 1, 'the other join is held apart, offered as a candidate');
  assert.deepEqual(heldApart[0]!.heldApartBy, [7]);
  assert.match(held.decisions[0]!.effect, /1 further join held apart/);

  const rejectCluster: AnalystDecision = { ...rejectEnds, id: 8, subject: 'cluster', clusterId: free.clusters[0]!.id, keys: free.clusters[0]!.members };
  assert.deepEqual(runClustering({ ...input, decisions: [rejectCluster] }).clusters, [], 'a rejected cluster: none of its members together');
});
