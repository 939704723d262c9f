// The attribution engine's parts on their own: normalization channels, MinHash/LSH, union-find,
// bridges, commonness and saturation, and the cluster rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalText,
  containment,
  foldMixedScriptWord,
  jaccard,
  revealObfuscation,
  shingleSet,
  templateText,
} from '../src/attribution/text.js';
import { estimateJaccard, lshCandidates, lshProbability, lshThreshold, signature } from '../src/attribution/minhash.js';
import { UnionFind } from '../src/attribution/unionfind.js';
import { findBridges } from '../src/attribution/bridges.js';
import { runClustering, scorePair } from '../src/attribution/cluster.js';
import { textIdentifiers } from '../src/attribution/signals/identifiers.js';
import type { AttributionInput, AttributionMessage, Evidence, Identity } from '../src/attribution/types.js';
import { DEFAULT_PARAMS } from '../src/attribution/params.js';

test('canonical text undoes homoglyphs, zero-width characters, case and ё', () => {
  const clean = 'Мы знаем, где живёт твоя мать. Ты нигде не в безопасности.';
  const dirty = 'МЫ  зн\u0061ем, где живет твоя ма\u200bть.\u2060 Ты нигде не в б\u0065зопасности.';
  assert.equal(canonicalText(dirty), canonicalText(clean));
  assert.equal(canonicalText(clean), 'мы знаем, где живет твоя мать. ты нигде не в безопасности.');
  // Pure Latin and pure Cyrillic words are left alone; digits in numbers are never touched.
  assert.equal(foldMixedScriptWord('cop'), 'cop');
  assert.equal(foldMixedScriptWord('сор'), 'сор');
  assert.equal(canonicalText('+7 928 123-45-67, 0l1'), '+7 928 123-45-67, 0l1');
  // Full-width forms fold under NFKC; emoji ZWJ sequences survive.
  assert.equal(canonicalText('ＡＢＣ'), 'abc');
  assert.equal(canonicalText('👨\u200d👩\u200d👧'), '👨\u200d👩\u200d👧');
  assert.equal(revealObfuscation('зн\u0061ем ма\u200bть'), 'зн[a]ем ма⟨U+200B⟩ть');
});

test('template text masks names, numbers, links and handles', () => {
  const a = templateText('Анна, перезвони +7 928 123-45-67 или пиши @secure_line, смотри https://t.me/x/12');
  const b = templateText('Борис, перезвони 8 (999) 765 43 21 или пиши @other_handle, смотри https://example.org/page');
  assert.equal(a, b);
  assert.match(a, /^⟨name⟩, перезвони ⟨num⟩ или пиши ⟨handle⟩ , смотри ⟨url⟩$/);
  assert.equal(templateText('Передай Саше привет'), 'передай ⟨name⟩ привет');
});

test('shingles, Jaccard and containment', () => {
  const a = shingleSet('abcdefgh', 5);
  const b = shingleSet('abcdefgX', 5);
  assert.equal(a.length, 4);
  assert.equal(jaccard(a, a), 1);
  assert.equal(jaccard(a, b), 3 / 5);
  assert.equal(containment(shingleSet('abcdef', 5), shingleSet('abcdefghij', 5)), 1);
});

test('MinHash estimates Jaccard and LSH finds near-duplicates without all pairs', () => {
  const base = 'мы знаем, где живёт твоя мать. ты нигде не в безопасности, удали канал до пятницы';
  const near = base.replace('пятницы', 'субботы');
  const other = 'купи хлеба и молока по дороге домой, вечером позвони бабушке и передай привет';
  const [sa, sb, sc] = [base, near, other].map((t) => shingleSet(t, 5));
  const [ga, gb, gc] = [sa!, sb!, sc!].map((s) => signature(s, 128));
  assert.ok(Math.abs(estimateJaccard(ga!, gb!) - jaccard(sa!, sb!)) < 0.15);
  assert.ok(estimateJaccard(ga!, gc!) < 0.1);
  // The banding the clustering uses (DEFAULT_PARAMS: 25 bands × 5 rows, two band hits).
  const banding = { bands: DEFAULT_PARAMS.lshBands, rows: DEFAULT_PARAMS.lshRows, minHits: DEFAULT_PARAMS.lshMinHits };
  const { pairs } = lshCandidates([ga!, gb!, gc!], banding, DEFAULT_PARAMS.lshMaxBucket);
  assert.deepEqual([...pairs.left, ...pairs.right], [0, 1], 'one pair: the near-duplicates');
  assert.ok(jaccard(sa!, sb!) > 0.8 && lshProbability(jaccard(sa!, sb!), banding) > 0.99);
  assert.ok(lshProbability(0.7, banding) > 0.93 && lshProbability(0.7, banding) < 0.95, 'catches Jaccard 0.7 at 94 %');
  assert.ok(lshProbability(0.5, banding) > 0.17 && lshProbability(0.5, banding) < 0.19, 'and Jaccard 0.5 at 18 %');
  assert.ok(Math.abs(lshThreshold({ bands: 16, rows: 8 }) - 0.707) < 0.01);
  assert.ok(lshProbability(0.8, { bands: 16, rows: 8 }) > 0.94);
});

test('union-find is order independent; bridges are found', () => {
  const x = new UnionFind();
  const y = new UnionFind();
  for (const [a, b] of [['c', 'd'], ['a', 'b'], ['b', 'c']]) x.union(a!, b!);
  for (const [a, b] of [['b', 'c'], ['a', 'b'], ['c', 'd']]) y.union(a!, b!);
  assert.deepEqual(x.groups(), [['a', 'b', 'c', 'd']]);
  assert.deepEqual(x.groups(), y.groups());
  const bridges = findBridges(['a', 'b', 'c', 'd'], [['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd']]);
  assert.deepEqual([...bridges], ['c\u0000d']);
});

test('identifiers in text: handles, t.me links, URLs, e-mail, wallets', () => {
  assert.deepEqual(
    textIdentifiers('пиши @Secure_Line или t.me/secure_line, почта x.y@mail.ru, кошелёк TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE, https://www.Example.org/a/?q=1.'),
    ['email:x.y@mail.ru', 'telegram:secure_line', 'url:example.org/a?q=1', 'wallet:TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE'],
  );
  // Written to evade: upper case, full-width letters and signs (NFKC folds them), no scheme.
  assert.deepEqual(
    textIdentifiers('ПИШИ В T.ME/Secure_Line, ＠Secure＿Line, ｔ．ｍｅ／ｓｅｃｕｒｅ＿ｌｉｎｅ, ＨＴＴＰＳ：／／VK.COM/id123 x.y＠ＭＡＩＬ.ru'),
    ['email:x.y@mail.ru', 'profile:vk.com/id123', 'telegram:secure_line'],
  );
  assert.deepEqual(textIdentifiers('Мы знаем, где живёт твоя мать. Перезвони 8 (928) 123-45-67'), []);
});

test('repeats of an item type saturate, one item counts once per pair, and the rule adds the look-elsewhere correction', () => {
  const e = (type: Evidence['type'], weight: number, item: string): Evidence => ({
    type, between: ['a', 'b'], weight, bits: weight, commonness: 1, df: 2, holders: ['a', 'b'], item, detail: '', refs: [`${item}-a`, `${item}-b`], against: '',
  });
  const pair = scorePair('a', 'b', [e('identical-media', 8, 'p1'), e('identical-media', 8, 'p2'), e('identical-media', 8, 'p3')], DEFAULT_PARAMS);
  assert.equal(pair.byType['identical-media']!.bits, 14);
  assert.equal(pair.joined, false, 'one family never joins');
  // The same item shown through two identity pairs counts once.
  const twice = scorePair('a', 'b', [e('own-identifier', 9, 'id:x'), e('shared-identifier', 9, 'id:x'), e('camera-serial', 9, 's1')], DEFAULT_PARAMS);
  assert.equal(twice.families.identifier, 9);
  assert.equal(twice.score, 18);
  assert.equal(twice.joined, true, `18 bits from two families reach ${DEFAULT_PARAMS.joinBits} when nothing else was compared`);
  // Among 64 account pairs compared, 6 more bits are needed.
  const among = scorePair('a', 'b', [e('own-identifier', 9, 'id:x'), e('camera-serial', 9, 's1')], DEFAULT_PARAMS, [], Math.log2(64));
  assert.deepEqual(among.needed, { join: DEFAULT_PARAMS.joinBits + 6, candidate: DEFAULT_PARAMS.candidateBits + 6 });
  assert.equal(among.joined, 18 >= DEFAULT_PARAMS.joinBits + 6);
  const far = scorePair('a', 'b', [e('own-identifier', 9, 'id:x'), e('camera-serial', 9, 's1')], DEFAULT_PARAMS, [], Math.log2(2 ** 20));
  assert.equal(far.joined, false);
  assert.equal(far.candidate, false, 'beyond the candidate threshold too');
  const candidate = scorePair('a', 'b', [e('own-identifier', 9, 'id:x'), e('camera-serial', 9, 's1')], DEFAULT_PARAMS, [], 18 - DEFAULT_PARAMS.candidateBits);
  assert.equal(candidate.joined, false);
  assert.equal(candidate.candidate, true);
  // One family alone never joins, however strong; a shared picture alone can be a candidate, shared sentences alone cannot.
  const picture = scorePair('a', 'b', [e('identical-media', 30, 'p9')], DEFAULT_PARAMS);
  assert.equal(picture.joined, false);
  assert.equal(picture.candidate, true);
  // A null-model family gives its figure's bits, shared out over its items for the ledger.
  const text = scorePair('a', 'b', [e('template-text', 3, 't1'), e('template-text', 3, 't2')], DEFAULT_PARAMS, [
    { family: 'text', observed: 2, expected: 0.01, bits: 12.3, basis: '2 sentence families shared' },
  ]);
  assert.equal(text.families.text, 12.3);
  assert.deepEqual(text.evidence.map((x) => x.weight), [6.15, 6.15]);
  assert.match(text.evidence[0]!.chance!, /^2 sentence families shared; family p = /);
});

function identity(key: string, victims: string[], selfOf: string[] = []): Identity {
  return { key, platform: key.startsWith('telegram') ? 'telegram' : 'whatsapp', names: [], phones: key.startsWith('phone:') ? [key.slice(6)] : [], messages: 1, victims, firstSeen: null, lastSeen: null, selfOf };
}
function message(id: string, sender: string, victim: string, at: number, text: string, extra: Partial<AttributionMessage> = {}): AttributionMessage {
  return { id, sender, victim, at, kind: 'text', text, forwarded: false, phones: [], media: [], links: [], ...extra };
}

test('forwarded copies never link; victims are never clustered; the result is deterministic', () => {
  const viral = 'Срочно! С 22:00 до 6:00 в городе отключат мобильный интернет. Перешлите всем родным!';
  const input: AttributionInput = {
    identities: [identity('telegram:user1', ['anna']), identity('telegram:user2', ['boris']), identity('telegram:user9', ['anna'], ['anna'])],
    messages: [
      message('m1', 'telegram:user1', 'anna', 0, viral, { forwarded: true }),
      message('m2', 'telegram:user2', 'boris', 10_000, viral, { forwarded: true }),
      message('m3', 'telegram:user9', 'anna', 20_000, viral),
    ],
    accountLinks: [],
  };
  const result = runClustering(input);
  assert.equal(result.evidence.filter((e) => e.type !== 'co-timing').length, 0);
  assert.equal(result.clusters.length, 0);
  assert.equal(JSON.stringify(runClustering(input)), JSON.stringify(result));
});

test('two accounts with an identifier and a template join; a bridge is flagged', () => {
  const threat = (name: string) => `${name}, мы знаем, где живёт твоя мать. Ты нигде не в безопасности.`;
  const input: AttributionInput = {
    identities: ['telegram:user1', 'telegram:user2', 'phone:+79281234567'].map((k, i) => identity(k, [['anna', 'boris', 'dmitri'][i]!])),
    messages: [
      message('a1', 'telegram:user1', 'anna', 1_000, threat('Анна')),
      message('a2', 'telegram:user1', 'anna', 2_000, 'Звони 8 928 123 45 67', { phones: ['+79281234567'] }),
      message('b1', 'telegram:user2', 'boris', 3_000, threat('Борис')),
      message('b2', 'telegram:user2', 'boris', 4_000, 'Перезвони +7 928 123-45-67', { phones: ['+79281234567'] }),
      message('c1', 'phone:+79281234567', 'dmitri', 9_000_000, 'Привет'),
    ],
    accountLinks: [{ a: 'telegram:user1', b: 'phone:+79281234567', detail: 'contact', refs: ['x'] }],
  };
  const result = runClustering(input);
  assert.equal(result.clusters.length, 1);
  assert.deepEqual(result.clusters[0]!.members, ['phone:+79281234567', 'telegram:user1', 'telegram:user2']);
  const soft = result.clusters[0]!.links.filter((l) => Number.isFinite(l.score));
  assert.equal(soft.length, 1);
  assert.equal(soft[0]!.bridge, true);
  assert.ok(soft[0]!.families.identifier! >= 9 && soft[0]!.families.text! > 0);
});
