// End-to-end attribution on a small planted campaign (bench/campaign.ts): real-format exports are
// generated from a fixed seed, ingested into an in-memory case and clustered with the default
// parameters. The planted actors must come out whole and the traps (relatives saved as "Мама" in
// every phone, the viral chain text, the lone harasser) must not merge anyone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCampaign, type GroundTruth } from '../bench/campaign.js';
import { openCase, type CaseHandle } from '../src/store/case.js';
import { ingest } from '../src/ingest/pipeline.js';
import { loadAttributionInput } from '../src/store/attribution.js';
import { runClustering, scorePair, suspectIdentities } from '../src/attribution/cluster.js';
import { DEFAULT_PARAMS, type AttributionInput, type ClusterResult } from '../src/attribution/types.js';

const SEED = 11;
let dir = '';
let handle: CaseHandle;
let truth: GroundTruth;
let input: AttributionInput;
let result: ClusterResult;

const truthOf = (key: string): string => truth.identities.find((t) => t.key === key)?.truth ?? `unknown:${key}`;
const clusterOf = (key: string): string | null => result.clusters.find((c) => c.members.includes(key))?.id ?? null;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'threatlens-campaign-test-'));
  truth = await generateCampaign(dir, SEED, { victims: 6, actors: 2, harassers: 1, sessions: 6 });
  handle = openCase(null, { create: true });
  const report = await ingest(handle, [dir], { victim: null, tz: null, dateOrder: null, region: null });
  assert.deepEqual(report.errors.map((e) => e.message), [], 'every generated export is accepted');
  input = loadAttributionInput(handle);
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

test("every planted actor's linkable accounts end up in one cluster", () => {
  assert.ok(truth.actors.length === 2);
  for (const actor of truth.actors) {
    const groups = new Map<string, string[]>();
    for (const t of truth.identities.filter((x) => x.truth === actor.id && x.linkable)) {
      groups.set(t.linkGroup!, [...(groups.get(t.linkGroup!) ?? []), t.key]);
    }
    assert.ok(groups.size > 0, `${actor.id} has linkable identities`);
    for (const [group, keys] of groups) {
      const clusters = new Set(keys.map(clusterOf));
      assert.equal(clusters.size, 1, `${group}: ${keys.join(', ')} fall into ${[...clusters].join(', ')}`);
      assert.notEqual([...clusters][0], null, `${group} is clustered`);
    }
  }
});

test('no cluster mixes two truth classes', () => {
  for (const c of result.clusters) {
    const classes = new Set(c.members.map(truthOf));
    assert.equal(classes.size, 1, `cluster ${c.id} mixes ${[...classes].join(' + ')}`);
  }
});

test('the "Мама" of different victims are not merged', () => {
  const mothers = truth.identities.filter((t) => t.kind === 'relative' && t.display === 'Мама');
  assert.ok(mothers.length >= 2, 'several victims have a "Мама" contact');
  const clustered = mothers.map((m) => clusterOf(m.key)).filter((c) => c !== null);
  assert.equal(new Set(clustered).size, clustered.length, 'two mothers share a cluster');
});

test('the viral chain text links no relatives', () => {
  const senders = truth.traps.viralSenders;
  assert.ok(senders.length >= 2, 'the viral text was pasted or forwarded by several relatives');
  const viral = new Set(input.messages.filter((m) => m.text.includes('Перешлите всем родным')).map((m) => m.id));
  // Whatever else two relatives share, the viral text alone gives them neither a link nor a
  // candidate link.
  const viralEvidence = result.evidence.filter((e) => e.refs.length > 0 && e.refs.every((ref) => viral.has(ref)));
  for (let i = 0; i < senders.length; i++) {
    for (let j = i + 1; j < senders.length; j++) {
      const [a, b] = [senders[i]!, senders[j]!].sort() as [string, string];
      const own = viralEvidence.filter((e) => e.between[0] === a && e.between[1] === b);
      const pair = scorePair(a, b, own, DEFAULT_PARAMS);
      assert.ok(!pair.joined && !pair.candidate, `the viral text alone links ${a} and ${b} (${pair.score} bits)`);
    }
  }
  // Forwarded copies (Telegram forwarded_from) are never evidence of authorship.
  const forwarded = new Set(input.messages.filter((m) => m.forwarded).map((m) => m.id));
  assert.ok(forwarded.size > 0, 'some relatives forwarded the viral text on Telegram');
  for (const e of result.evidence) for (const ref of e.refs) assert.ok(!forwarded.has(ref), `forwarded message ${ref} used as ${e.type} evidence`);
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
