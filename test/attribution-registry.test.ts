// The signal registry: every evidence type is declared by one signal, the tables derived from the
// declarations cover every type, and keys recorded before the registry keep their recorded order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGAINST, EVIDENCE_TYPES, FAMILIES, FAMILY_OF, inRecordedOrder, NULL_FAMILIES, PRIOR_BITS, SCORED_FAMILIES, SIGNALS } from '../src/attribution/signals/index.js';
import type { EvidenceType, Family } from '../src/attribution/types.js';
import { DEFAULT_PARAMS } from '../src/attribution/params.js';
import { clusteringMethod } from '../src/attribution/method.js';

test('every evidence type belongs to one signal and one declared family', () => {
  const declared = SIGNALS.flatMap((s) => Object.keys(s.types));
  assert.equal(new Set(declared).size, declared.length);
  assert.deepEqual([...declared].sort(), [...EVIDENCE_TYPES].sort());
  for (const type of EVIDENCE_TYPES) {
    assert.ok(FAMILIES.has(FAMILY_OF[type]), type);
    assert.ok(AGAINST[type].length > 0, type);
    assert.equal(DEFAULT_PARAMS.bits[type], PRIOR_BITS[type]);
  }
  for (const s of SIGNALS) {
    if (s.phase === 'items') assert.equal(typeof s.items, 'function', s.name);
    if (s.phase === 'pairs') assert.equal(typeof s.pairs, 'function', s.name);
    // A pair signal's families are weighed by its null model; an item signal's item by item.
    for (const f of Object.keys(s.families) as Family[]) assert.equal(NULL_FAMILIES.has(f), s.phase === 'pairs', `${s.name}: ${f}`);
  }
});

test('evidence types are a closed union derived from the declarations', () => {
  // @ts-expect-error: no signal declares this type
  const bogus: EvidenceType = 'no-such-type';
  assert.ok(!EVIDENCE_TYPES.includes(bogus));
});

test('recorded keys keep their order: parameters and method compare as JSON with earlier runs', () => {
  assert.deepEqual(Object.keys(DEFAULT_PARAMS.bits), [
    'same-account',
    'own-identifier',
    'shared-identifier',
    'camera-serial',
    'identical-media',
    'similar-image',
    'near-duplicate-text',
    'template-text',
    'co-timing',
    'display-name',
    'camera-model',
    'analyst-confirmed', // added after runs were recorded: after them
    'identical-video',
    'similar-video',
  ]);
  const method = clusteringMethod() as { nullModels: Record<string, string> };
  assert.deepEqual(Object.keys(method.nullModels), ['text', 'timing', 'names', 'identifiers']);
  assert.deepEqual(
    Object.keys(method).filter((k) => ['text', 'images', 'timing'].includes(k)),
    ['text', 'images', 'timing'],
  );
  assert.deepEqual(SCORED_FAMILIES.slice().sort(), ['camera', 'identifier', 'image', 'text', 'timing']);
  // A new key follows the recorded ones.
  assert.deepEqual(inRecordedOrder(['new', 'b', 'a'], ['a', 'b']), ['a', 'b', 'new']);
});
