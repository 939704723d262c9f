// End-to-end attribution on a planted campaign (bench/campaign.ts): real-format exports (Telegram
// JSON, WhatsApp Android .txt and iOS .zip with media) are generated from a fixed seed, ingested into
// an in-memory case and clustered with the default parameters. What the issue asks the fixture to
// plant is checked to be there and to produce evidence: several actors, each with accounts on both
// platforms, template threats with homoglyphs and zero-width characters, a callback number written
// in several formats, and each actor's photo re-sent recompressed. The actors must be recovered, and
// the traps (relatives saved as "Мама", the viral chain text, common greetings, the public hotline,
// the relatives' New Year postcard, the lone harasser) must not merge or even link anyone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCampaign, type GroundTruth } from '../bench/campaign.js';
import { openCase, type CaseHandle } from '../src/store/case.js';
import { ingest } from '../src/ingest/pipeline.js';
import { loadAttributionInput } from '../src/store/attribution.js';
import { runClustering, suspectIdentities } from '../src/attribution/cluster.js';
import type { AttributionInput, AttributionMessage, ClusterResult, Evidence } from '../src/attribution/types.js';
import { DEFAULT_PARAMS } from '../src/attribution/params.js';

const SEED = 11;
let dir = '';
let handle: CaseHandle;
let truth: GroundTruth;
let input: AttributionInput;
let result: ClusterResult;
let byId: Map<string, AttributionMessage>;

const truthOf = (key: string): string => truth.identities.find((t) => t.key === key)?.truth ?? `unknown:${key}`;
const clusterOf = (key: string): string | null => result.clusters.find((c) => c.members.includes(key))?.id ?? null;
const actorKeys = (actor: string): string[] => truth.identities.filter((t) => t.truth === actor && t.kind === 'actor').map((t) => t.key);
/** Every piece of evidence between identities of a set, as the clustering scores their accounts. */
const evidenceAmong = (list: string[]): Evidence[] => {
  const keys = new Set(list);
  const out = new Map<string, Evidence>();
  const sorted = [...keys].sort();
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      for (const e of result.scoreAccounts(sorted[i]!, sorted[j]!).evidence) {
        if (keys.has(e.between[0]) && keys.has(e.between[1])) out.set(`${e.type} ${e.item} ${e.between.join(' ')} ${e.refs.join(' ')}`, e);
      }
    }
  }
  for (const e of result.evidence) if (keys.has(e.between[0]) && keys.has(e.between[1])) out.set(`${e.type} ${e.item} ${e.between.join(' ')} ${e.refs.join(' ')}`, e);
  return [...out.values()];
};
/** Evidence between two identities of one actor (the evidence that recovers the actor). */
const actorEvidence = (actor: string): Evidence[] => evidenceAmong(actorKeys(actor));
const MIXED_SCRIPT = /[а-яё][a-z]|[a-z][а-яё]/i;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'threatlens-campaign-test-'));
  truth = await generateCampaign(dir, SEED, { victims: 8, actors: 3, harassers: 1, sessions: 6 });
  handle = openCase(null, { create: true });
  const report = await ingest(handle, [dir], { victim: null, tz: null, dateOrder: null, region: null });
  assert.deepEqual(report.errors.map((e) => e.message), [], 'every generated export is accepted');
  input = loadAttributionInput(handle);
  byId = new Map(input.messages.map((m) => [m.id, m]));
  result = runClustering(input, DEFAULT_PARAMS);
});

after(() => {
  handle?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the case holds exactly the identities the generator planted', () => {
  const keys = new Set(input.identities.map((i) => i.key));
  const planted = truth.identities.filter((t) => t.kind !== 'self').map((t) => t.key);
  assert.deepEqual(planted.filter((k) => !keys.has(k)), [], 'planted identities missing from the case');
  assert.deepEqual([...keys].filter((k) => !truth.identities.some((t) => t.key === k)), [], 'identities the generator did not plant');
  const selfKeys = truth.identities.filter((t) => t.kind === 'self').map((t) => t.key);
  const suspects = suspectIdentities(input);
  assert.deepEqual(selfKeys.filter((k) => suspects.has(k)), [], "victims' own accounts are marked self");
});

test('three actors, each with accounts on both platforms, each recovered as one cluster spanning both', () => {
  assert.equal(truth.actors.length, 3);
  for (const actor of truth.actors) {
    assert.ok(actor.accounts.some((a) => a.platform === 'telegram') && actor.accounts.some((a) => a.platform === 'whatsapp'), `${actor.id} has accounts on both platforms`);
    const keys = actorKeys(actor.id);
    const platforms = new Set(input.identities.filter((i) => keys.includes(i.key)).map((i) => i.platform));
    assert.deepEqual([...platforms].sort(), ['telegram', 'whatsapp'], `${actor.id}'s identities in the case are on both platforms`);
    // The identities the generator linked to another by two evidence families: one cluster holds most
    // of them. One left out (its evidence short of the join threshold for a case of this size) stays
    // alone and shows its evidence to the actor in `explain`: two families with bits.
    const linkable = truth.identities.filter((t) => t.truth === actor.id && t.linkable).map((t) => t.key);
    assert.ok(linkable.length >= 2, `${actor.id} has linkable identities`);
    const counts = new Map<string, number>();
    for (const key of linkable) if (clusterOf(key)) counts.set(clusterOf(key)!, (counts.get(clusterOf(key)!) ?? 0) + 1);
    const [main, held] = [...counts].sort((x, y) => y[1] - x[1])[0] ?? [null, 0];
    assert.ok(main !== null && held >= Math.ceil((2 * linkable.length) / 3), `${actor.id}: ${linkable.join(', ')} fall into ${linkable.map(clusterOf).join(', ')}`);
    const cluster = result.clusters.find((c) => c.id === main)!;
    for (const key of linkable.filter((k) => clusterOf(k) !== main)) {
      assert.equal(clusterOf(key), null, `${actor.id}: ${key} is in another cluster`);
      const best = cluster.members.map((m) => result.scoreAccounts(key, m)).sort((x, y) => y.score - x.score)[0]!;
      assert.ok(Object.values(best.families).filter((b) => b > 0).length >= 2 && best.score >= 10, `${actor.id}: ${key} shows ${best.score} bits to its actor`);
    }
    assert.deepEqual(cluster.members.filter((k) => truthOf(k) !== actor.id), [], `${actor.id}'s cluster holds no one else`);
    const clusterPlatforms = new Set(input.identities.filter((i) => cluster.members.includes(i.key)).map((i) => i.platform));
    assert.equal(clusterPlatforms.size, 2, `${actor.id}'s cluster spans Telegram and WhatsApp`);
  }
});

test('no cluster mixes two truth classes, and no candidate link joins two', () => {
  for (const c of result.clusters) {
    const classes = new Set(c.members.map(truthOf));
    assert.equal(classes.size, 1, `cluster ${c.id} mixes ${[...classes].join(' + ')}`);
  }
  for (const p of result.candidates) assert.equal(truthOf(p.a), truthOf(p.b), `candidate link ${p.a} — ${p.b} crosses truth classes`);
});

test('homoglyphs and zero-width characters are planted in every actor and their threats still match', () => {
  const textTypes = new Set(['near-duplicate-text', 'template-text']);
  for (const actor of truth.actors) {
    const keys = new Set(actorKeys(actor.id));
    const own = input.messages.filter((m) => keys.has(m.sender));
    const homoglyphs = own.filter((m) => m.text.split(/\s+/).some((w) => MIXED_SCRIPT.test(w)));
    const zeroWidth = own.filter((m) => m.text.includes('\u200b'));
    assert.ok(homoglyphs.length > 0 && zeroWidth.length > 0, `${actor.id} writes homoglyphs (${homoglyphs.length}) and zero-width spaces (${zeroWidth.length})`);
    const cited = new Set(actorEvidence(actor.id).filter((e) => textTypes.has(e.type)).flatMap((e) => e.refs));
    assert.ok(homoglyphs.some((m) => cited.has(m.id)), `${actor.id}: a threat with homoglyphs is text evidence`);
    assert.ok(zeroWidth.some((m) => cited.has(m.id)), `${actor.id}: a threat with a zero-width space is text evidence`);
  }
});

test("each actor's callback number is written in several formats and links its writers", () => {
  for (const actor of truth.actors) {
    const digits = actor.callback.slice(2);
    const forms = [
      `+7 ${digits.slice(0, 3)} ${digits.slice(3, 6)}-${digits.slice(6, 8)}-${digits.slice(8)}`,
      `8 (${digits.slice(0, 3)}) ${digits.slice(3, 6)} ${digits.slice(6, 8)} ${digits.slice(8)}`,
      `8${digits}`,
      `+7(${digits.slice(0, 3)})${digits.slice(3)}`,
      `8 ${digits.slice(0, 3)} ${digits.slice(3, 6)}-${digits.slice(6, 8)}-${digits.slice(8)}`,
    ];
    const formOf = (m: AttributionMessage): string | undefined => forms.find((f) => m.text.includes(f));
    const writing = input.messages.filter((m) => m.phones.includes(actor.callback));
    const written = new Set(writing.map(formOf).filter((f) => f !== undefined));
    assert.ok(written.size >= 2, `${actor.id} writes its number in ${written.size} formats`);
    // Every format was read as the same E.164 number, and the evidence cites messages in different formats.
    assert.equal(writing.filter((m) => formOf(m) === undefined).length, 0);
    const evidence = actorEvidence(actor.id).filter((e) => e.item === `id:phone:${actor.callback}`);
    assert.ok(evidence.length > 0, `${actor.id}'s callback number is identifier evidence`);
    const citedForms = new Set(evidence.flatMap((e) => e.refs).map((r) => byId.get(r)).filter((m) => m !== undefined).map(formOf));
    assert.ok(citedForms.size >= 2, `${actor.id}: the evidence cites the number in ${citedForms.size} formats`);
  }
});

test("each actor's photo reaches a second victim recompressed and links the two accounts", () => {
  for (const actor of truth.actors) {
    const similar = actorEvidence(actor.id).filter((e) => e.type === 'similar-image');
    assert.ok(similar.length > 0, `${actor.id}: the recompressed photo is similar-image evidence`);
    const [x, y] = similar[0]!.refs.map((r) => byId.get(r)!);
    assert.notEqual(x!.media[0]!.sha256, y!.media[0]!.sha256, 'two different files');
    assert.notEqual(x!.victim, y!.victim, 'to two victims');
    assert.match(similar[0]!.detail, /perceptual hash distance \d/);
  }
  // Each actor's picture is its own: no image evidence between two actors.
  const actorOf = new Map(truth.identities.filter((t) => t.kind === 'actor').map((t) => [t.key, t.truth]));
  for (const e of result.evidence.filter((x) => x.item.startsWith('picture:'))) {
    const [a, b] = e.between.map((k) => actorOf.get(k));
    if (a && b) assert.equal(a, b, 'one picture shown by two actors');
  }
});

/** Traps: the evidence exists (the trap is real) but neither joins nor makes a candidate link. */
function assertTrap(name: string, senders: string[], evidence: (e: Evidence) => boolean): void {
  assert.ok(senders.length >= 2, `${name}: several relatives (${senders.length})`);
  const set = new Set(senders);
  const produced = evidenceAmong(senders).filter(evidence);
  assert.ok(produced.length > 0, `${name}: the trap produces evidence between relatives`);
  for (const key of senders) assert.equal(clusterOf(key), null, `${name}: ${key} was clustered`);
  const pairs = result.pairs.filter((p) => set.has(p.a) || set.has(p.b));
  assert.deepEqual(pairs.filter((p) => p.joined || p.candidate).map((p) => `${p.a} ${p.b} ${p.score}`), [], `${name}: joined or candidate links`);
}

test('the "Мама" of different victims are not merged', () => {
  const mothers = truth.identities.filter((t) => t.kind === 'relative' && t.display === 'Мама').map((t) => t.key);
  assertTrap('Мама', mothers, (e) => e.type === 'display-name' && e.detail.includes('мама'));
});

test('the viral chain text links no relatives, and forwarded copies are never evidence', () => {
  const viral = new Set(input.messages.filter((m) => m.text.includes('Перешлите всем родным')).map((m) => m.id));
  assertTrap('viral text', truth.traps.viralSenders, (e) => e.refs.some((r) => viral.has(r)));
  const forwarded = new Set(input.messages.filter((m) => m.forwarded).map((m) => m.id));
  assert.ok(forwarded.size > 0, 'some relatives forwarded the viral text on Telegram');
  for (const e of evidenceAmong(truth.traps.viralSenders)) for (const ref of e.refs) assert.ok(!forwarded.has(ref), `forwarded message ${ref} used as ${e.type} evidence`);
});

test('common greetings link no relatives', () => {
  const greeting = (m: AttributionMessage): boolean => m.text.startsWith('С Новым годом') || m.text.startsWith('Доброе утро');
  const relatives = new Set(truth.identities.filter((t) => t.kind === 'relative').map((t) => t.key));
  const greeters = [...new Set(input.messages.filter((m) => relatives.has(m.sender) && greeting(m)).map((m) => m.sender))].sort();
  const ids = new Set(input.messages.filter(greeting).map((m) => m.id));
  assertTrap('greetings', greeters, (e) => e.type.endsWith('-text') && e.refs.every((r) => ids.has(r)));
});

test('the public hotline identifies no one', () => {
  // The number is read and typed toll-free, and a toll-free number is not evidence.
  const phone = handle.db.prepare('SELECT type FROM phones WHERE e164 = ?').get(truth.traps.hotline) as { type: string } | undefined;
  assert.equal(phone?.type, 'toll-free');
  assert.ok(truth.traps.hotlineSenders.length >= 2);
  assert.equal(result.evidence.filter((e) => e.item === `id:phone:${truth.traps.hotline}`).length, 0);
  // The ready-made hotline notices they paste are text evidence, and link no one either.
  const hotline = new Set(input.messages.filter((m) => m.text.includes('800') && m.text.includes('2000')).map((m) => m.id));
  assertTrap('hotline notices', truth.traps.hotlineSenders, (e) => e.refs.some((r) => hotline.has(r)));
});

test("the relatives' New Year postcard links no one", () => {
  assertTrap('postcard', truth.traps.postcardSenders, (e) => e.item.startsWith('picture:'));
});

test('the lone harasser stays alone', () => {
  const harassers = truth.identities.filter((t) => t.kind === 'harasser');
  assert.equal(harassers.length, 1);
  for (const h of harassers) assert.equal(clusterOf(h.key), null, `${h.key} was clustered`);
});

test('clustering the same case twice gives byte-identical JSON', () => {
  const again = runClustering(loadAttributionInput(handle), DEFAULT_PARAMS);
  assert.equal(JSON.stringify(again), JSON.stringify(result));
});
