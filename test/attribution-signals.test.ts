// Signals on their own: co-timing episodes (one burst is one episode, forwards take no part) with
// what chance gives the pair, sentence families found by containment, and image matching without
// comparing all pairs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timingPairs } from '../src/attribution/signals/timing.js';
import { templateCandidates, textFamilies, sentenceKeys } from '../src/attribution/signals/text.js';
import { closeHashes } from '../src/attribution/signals/media.js';
import { lshCandidates, signature } from '../src/attribution/minhash.js';
import { containment, jaccard, shingleSet, shingleSets, templateText } from '../src/attribution/text.js';
import { TEXTS } from '../bench/campaign.js';
import type { AttributionInput, AttributionMessage, Identity } from '../src/attribution/types.js';
import { DEFAULT_PARAMS } from '../src/attribution/params.js';

const ctx = { params: DEFAULT_PARAMS };
const self = (key: string): string => key;
/** Co-timing evidence of every pair of accounts, episode by episode. */
const timingEvidence = (inp: AttributionInput, eligible: Set<string>, c: typeof ctx) => timingPairs(inp, eligible, self, c).flatMap((p) => p.episodes);

function identity(key: string, victim: string): Identity {
  return { key, platform: key.startsWith('telegram:') ? 'telegram' : 'whatsapp', names: [], phones: [], messages: 0, victims: [victim], firstSeen: null, lastSeen: null, selfOf: [] };
}

function input(messages: Omit<AttributionMessage, 'kind' | 'phones' | 'media' | 'links' | 'where'>[]): AttributionInput {
  const identities = new Map<string, Identity>();
  for (const m of messages) if (!identities.has(m.sender)) identities.set(m.sender, identity(m.sender, m.victim));
  return { identities: [...identities.values()], messages: messages.map((m) => ({ ...m, kind: 'text', phones: [], media: [], links: [] })), accountLinks: [] };
}

const A = 'telegram:user5011111111';
const B = 'phone:+79281112233';
const at = (iso: string): number => Date.parse(iso);

test('co-timing: one burst across a minute boundary is one episode, not two coincidences', () => {
  const burst = [
    { id: 'a1', sender: A, victim: 'anna', at: at('2022-03-04T18:14:50Z'), text: 'Ответь.', forwarded: false },
    { id: 'b1', sender: B, victim: 'boris', at: at('2022-03-04T18:15:05Z'), text: 'Жду.', forwarded: false },
    { id: 'a2', sender: A, victim: 'anna', at: at('2022-03-04T18:15:20Z'), text: 'Думай.', forwarded: false },
    { id: 'b2', sender: B, victim: 'boris', at: at('2022-03-04T18:16:10Z'), text: 'Ну?', forwarded: false },
  ];
  const eligible = new Set([A, B]);
  // Four coincidences in three calendar minutes, all one burst: not "at least twice".
  assert.deepEqual(timingEvidence(input(burst), eligible, ctx), []);
  // A second burst two hours later makes two episodes: two pieces of evidence, one per episode.
  const second = [
    { id: 'a3', sender: A, victim: 'anna', at: at('2022-03-04T20:30:00Z'), text: 'Последний раз говорю.', forwarded: false },
    { id: 'b3', sender: B, victim: 'dmitri', at: at('2022-03-04T20:30:40Z'), text: 'Тик-так.', forwarded: false },
  ];
  const evidence = timingEvidence(input([...burst, ...second]), eligible, ctx);
  assert.equal(evidence.length, 2);
  assert.deepEqual(evidence.map((e) => e.item), ['episode:2022-03-04T18:14:50Z', 'episode:2022-03-04T20:30:00Z']);
  assert.match(evidence[0]!.detail, /^writing to different victims within 60 s at 2022-03-04T18:14:50Z \(3 coincidences\)$/);
  assert.deepEqual(evidence[1]!.refs, ['a3', 'b3']);
  // Writing to the same victim is not co-timing.
  assert.deepEqual(timingEvidence(input([...burst, ...second].map((m) => ({ ...m, victim: 'anna' }))), eligible, ctx), []);
});

test('co-timing never cites forwarded messages', () => {
  const messages = [
    { id: 'a1', sender: A, victim: 'anna', at: at('2022-03-04T18:00:00Z'), text: 'Ответь.', forwarded: false },
    { id: 'b1', sender: B, victim: 'boris', at: at('2022-03-04T18:00:30Z'), text: 'Срочно! Перешлите всем родным!', forwarded: true },
    { id: 'b1x', sender: B, victim: 'boris', at: at('2022-03-04T18:00:40Z'), text: 'Жду.', forwarded: false },
    { id: 'a2', sender: A, victim: 'anna', at: at('2022-03-05T18:00:00Z'), text: 'Думай.', forwarded: false },
    { id: 'b2', sender: B, victim: 'boris', at: at('2022-03-05T18:00:20Z'), text: 'Срочно! Перешлите всем родным!', forwarded: true },
  ];
  const eligible = new Set([A, B]);
  // The second episode rests only on a forward: one episode left, no evidence.
  assert.deepEqual(timingEvidence(input(messages), eligible, ctx), []);
  const authored = timingEvidence(input(messages.map((m) => ({ ...m, forwarded: false }))), eligible, ctx);
  assert.equal(authored.length, 2);
  assert.deepEqual(authored[0]!.refs, ['a1', 'b1']);
});

test('template candidates: a threat and the same threat plus a callback sentence are always compared', () => {
  // Containment 1.0 but Jaccard about 0.5–0.6: whole-template banding misses many of these pairs.
  let wholeMisses = 0;
  let pairs = 0;
  for (const [t, template] of TEXTS.templates.entries()) {
    for (const [c, phrase] of TEXTS.callbackPhrases.entries()) {
      const plain = template.replace('{name}', 'Анна');
      const extended = `${template.replace('{name}', 'Борис')} ${phrase.replace('{phone}', '8 (928) 123-45-67')}`;
      const groups = [plain, extended].map((text) => {
        const masked = templateText(text);
        return { template: masked, shingles: shingleSet(masked, DEFAULT_PARAMS.shingleK) };
      });
      assert.equal(containment(groups[0]!.shingles, groups[1]!.shingles), 1, `${t}/${c}: contained`);
      assert.ok(jaccard(groups[0]!.shingles, groups[1]!.shingles) < 0.75);
      pairs++;
      const whole = lshCandidates(
        groups.map((g) => signature(g.shingles, DEFAULT_PARAMS.minhashBins)),
        { bands: DEFAULT_PARAMS.lshBands, rows: DEFAULT_PARAMS.lshRows, minHits: DEFAULT_PARAMS.lshMinHits },
        DEFAULT_PARAMS.lshMaxBucket,
      );
      if (whole.pairs.left.length === 0) wholeMisses++;
      const texts = groups.map((g) => g.template);
      const found = templateCandidates(texts, shingleSets(texts, DEFAULT_PARAMS.shingleK), DEFAULT_PARAMS).pairs;
      assert.deepEqual([...found.left, ...found.right], [0, 1], `${t}/${c}: the pair is a candidate`);
    }
  }
  assert.ok(wholeMisses > pairs / 5, `whole-template banding alone misses ${wholeMisses} of ${pairs}: the sentence pass is what finds them`);
  // End to end: two accounts, a template threat and the same template with a callback number.
  const messages = [
    { id: 'x1', sender: A, victim: 'anna', at: 0, text: 'Анна, удали свой канал до пятницы, иначе твоей семье будет очень плохо.', forwarded: false },
    { id: 'y1', sender: B, victim: 'boris', at: 9_000_000, text: 'Борис, удали свой канал до пятницы, иначе твоей семье будет очень плохо. Наш номер: +7 928 123-45-67. Ждём звонка до вечера.', forwarded: false },
  ];
  const evidence = textFamilies(input(messages), new Set([A, B]), ctx).piecesBetween(A, B);
  assert.equal(evidence.length, 1);
  assert.equal(evidence[0]!.type, 'template-text');
  assert.match(evidence[0]!.detail, /^one sentence family of 2 variants, same template after masking/);
});

test('image matching finds every pair within the threshold without comparing all pairs', () => {
  let seed = 99;
  const next32 = (): number => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0);
  const n = 4000;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % 10 === 0) {
      // A re-encoding of an earlier picture: 0–12 bits flipped.
      const j = next32() % i;
      hi[i] = hi[j]!;
      lo[i] = lo[j]!;
      for (let f = next32() % 13; f > 0; f--) {
        const bit = next32() % 64;
        if (bit < 32) hi[i] = (hi[i]! ^ (1 << bit)) >>> 0;
        else lo[i] = (lo[i]! ^ (1 << (bit - 32))) >>> 0;
      }
    } else {
      hi[i] = next32();
      lo[i] = next32();
    }
  }
  const popcount = (x: number): number => {
    let v = x - ((x >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
  };
  // Checked against itself on a few values: the brute force below must be right to be a reference.
  for (const [x, bits] of [[0, 0], [1, 1], [0xffffffff, 32], [0x80000001, 2], [0x0f0f0f0f, 16]] as const) assert.equal(popcount(x >>> 0), bits);
  /** Every pair within the threshold, by comparing all pairs. */
  const allPairs = (his: Uint32Array, los: Uint32Array, threshold: number): [number, number, number][] => {
    const found: [number, number, number][] = [];
    for (let i = 0; i < his.length; i++) {
      for (let j = i + 1; j < his.length; j++) {
        const d = popcount((his[i]! ^ his[j]!) >>> 0) + popcount((los[i]! ^ los[j]!) >>> 0);
        if (d <= threshold) found.push([i, j, d]);
      }
    }
    return found;
  };
  // All pairs within the widest threshold once; the narrower ones are its subsets.
  const within15 = allPairs(hi, lo, 15);
  for (const threshold of [0, 4, 10, 15]) {
    const expected = within15.filter(([, , d]) => d <= threshold);
    const { pairs, comparisons } = closeHashes(hi, lo, threshold);
    assert.deepEqual(pairs, expected, `threshold ${threshold}`);
    assert.ok(expected.length > (threshold >= 10 ? 200 : 20), 'the planted re-encodings are found');
    // All pairs would be n(n-1)/2 = 8 million comparisons.
    assert.ok(comparisons < (n * (n - 1)) / 2 / (threshold <= 10 ? 100 : 20), `threshold ${threshold}: ${comparisons} comparisons`);
  }
  // Thresholds beyond what four chunks can index fall back to all pairs, with the same answer.
  const wide = closeHashes(hi.subarray(0, 300), lo.subarray(0, 300), 24);
  assert.equal(wide.comparisons, (300 * 299) / 2);
  assert.deepEqual(wide.pairs, allPairs(hi.subarray(0, 300), lo.subarray(0, 300), 24));
});

test('sentence keys: letters, digits and slots kept, every other run one space, sentences where .!?… meet whitespace; long templates and short ones after them', () => {
  const sentences = (template: string): string[] => {
    const { key, starts, ends } = sentenceKeys(template);
    return starts.map((start, i) => key.slice(start, ends[i]));
  };
  const threat = 'Мы знаем, где ты живёшь. Позвони 𝐀𝐁 сейчас!  Иначе… пожалеешь';
  assert.equal(sentenceKeys(threat).key, 'Мы знаем где ты живёшь Позвони 𝐀𝐁 сейчас Иначе пожалеешь');
  assert.deepEqual(sentences(threat), ['Мы знаем где ты живёшь', 'Позвони 𝐀𝐁 сейчас', 'Иначе', 'пожалеешь']);
  assert.deepEqual(sentenceKeys('... !!! —').starts, [], 'no letters, no sentence');
  // Longer than the working buffer at first and than one piece of the key's making (8,192 units).
  const long = 'слово, '.repeat(3000) + 'конец.';
  assert.equal(sentenceKeys(long).key, `${'слово '.repeat(3000)}конец`);
  assert.deepEqual(sentences('Ok. Bye'), ['Ok', 'Bye'], 'nothing of the long one left in the buffer');
});
