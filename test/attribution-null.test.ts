// The null models behind the bits: every link is weighed against what chance gives two unrelated
// accounts of this case. Chatty people coincide and share everyday sentences by chance; a few
// messages that coincide or share sentences do not. No join ever changes a weight (no cascades),
// saved names score nothing, and links to public hosts are no identifiers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runClustering } from '../src/attribution/cluster.js';
import { effectiveWindow, poissonTailBits } from '../src/attribution/null-model.js';
import { urlIdentifier } from '../src/attribution/signals/identifiers.js';
import type { AttributionInput, AttributionMessage, Identity, PairScore } from '../src/attribution/types.js';
import { DEFAULT_PARAMS } from '../src/attribution/params.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2022, 2, 1, 15, 0, 0);

function identity(key: string, victims: string[], names: string[] = []): Identity {
  return { key, platform: key.startsWith('telegram:') ? 'telegram' : 'whatsapp', names, phones: [], messages: 0, victims, firstSeen: null, lastSeen: null, selfOf: [] };
}

/** A small deterministic generator. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
}

const STOCK = [
  'Ты поела сегодня? Не забывай про обед.',
  'Позвони, как проснёшься, мы волнуемся.',
  'Как погода у вас? У нас опять дождь весь день.',
  'Береги себя и не выходи поздно вечером.',
  'Мы все молимся за тебя каждый вечер.',
  'Папа передаёт привет, он сегодня на работе.',
  'Бабушка спрашивает, когда ты приедешь домой.',
  'Купили новые лекарства, дорогие очень стали.',
];
const WHO = ['соседка Марьям', 'дядя Руслан', 'бабушка Хеда', 'брат Умар', 'учительница Аминат', 'сосед Ваха', 'младшая Седа', 'дедушка Муса', 'кум Адам', 'тётя Зина', 'внучка Лейла', 'почтальон Саид'];
const DID = ['принесла', 'купил', 'нашла', 'подарил', 'продала', 'починил', 'потеряла', 'испекла', 'привёз', 'забыла'];
const WHAT = ['пирог с тыквой', 'новые шторы', 'мешок картошки', 'банку мёда', 'варенье из айвы', 'корзину яблок', 'тёплое одеяло', 'котёнка', 'сыр из деревни', 'курагу', 'ковёр', 'самовар', 'велосипед', 'старый телевизор'];
const WHERE = ['в селе', 'на даче', 'в Шали', 'в Гудермесе', 'на рынке', 'у мечети', 'в Назрани', 'на почте', 'в Аргуне', 'у школы', 'в банке', 'на вокзале'];

interface Population {
  input: AttributionInput;
  relatives: string[];
  actors: string[];
}

/**
 * `relatives` chatty relatives (one per victim pair of labels), each writing `volume` messages over a
 * month in the evenings, a share of them from a stock of everyday sentences; plus, unless `actors` is
 * 0, two actor accounts writing a few threats to different victims, twice within the same minute.
 */
function population(relatives: number, volume: number, stockShare: number, actors = 2): Population {
  const next = random(relatives * 1000 + volume);
  const pick = (list: readonly string[]): string => list[Math.floor(next() * list.length)]!;
  const identities: Identity[] = [];
  const messages: AttributionMessage[] = [];
  let id = 0;
  const add = (sender: string, victim: string, at: number, text: string): void => {
    messages.push({ id: `m${++id}`, sender, victim, at, kind: 'text', text, forwarded: false, phones: [], media: [], links: [] });
  };
  const relativeKeys: string[] = [];
  for (let r = 0; r < relatives; r++) {
    const key = `telegram:user${5_300_000_000 + r}`;
    const victim = `v${r}`;
    relativeKeys.push(key);
    identities.push(identity(key, [victim], ['Мама']));
    for (let i = 0; i < volume; i++) {
      const at = T0 + Math.floor(next() * 30) * DAY + Math.floor((3 + next() * 5) * HOUR) + Math.floor(next() * 3600) * 1000;
      const text =
        next() < stockShare
          ? STOCK[Math.floor(next() * STOCK.length)]!
          : `${pick(WHO)} ${pick(DID)} ${pick(WHAT)} ${pick(WHERE)}, а потом ${pick(WHO)} ${pick(DID)} ${pick(WHAT)}.`;
      add(key, victim, at, text);
    }
  }
  const actorKeys: string[] = [];
  for (let a = 0; a < actors; a++) {
    const key = `phone:+7928100000${a}`;
    actorKeys.push(key);
    identities.push(identity(key, [`v${a}`, `v${a + 2}`]));
  }
  if (actors === 2) {
    for (const [day, offset] of [
      [3, 0],
      [9, 20_000],
    ] as const) {
      const at = T0 + day * DAY + 2 * HOUR;
      add(actorKeys[0]!, 'v0', at, 'Анна, мы знаем, где живёт твоя мать. Удали канал до пятницы.');
      add(actorKeys[1]!, 'v3', at + offset + 15_000, 'Дмитрий, мы знаем, где живёт твоя мать. Удали канал до пятницы.');
    }
  }
  return { input: { identities, messages, accountLinks: [] }, relatives: relativeKeys, actors: actorKeys };
}

function pairOf(pairs: PairScore[], a: string, b: string): PairScore | undefined {
  const [x, y] = a < b ? [a, b] : [b, a];
  return pairs.find((p) => p.a === x && p.b === y);
}

test('the Poisson tail: bits are -log2 P(X >= k | λ)', () => {
  assert.equal(poissonTailBits(0, 0.3), 0);
  // P(X >= 1 | 0.5) = 1 - e^-0.5.
  assert.ok(Math.abs(poissonTailBits(1, 0.5) - -Math.log2(1 - Math.exp(-0.5))) < 1e-9);
  // P(X >= 2 | 0.31) = 1 - e^-0.31 (1 + 0.31).
  assert.ok(Math.abs(poissonTailBits(2, 0.31) - -Math.log2(1 - Math.exp(-0.31) * 1.31)) < 1e-9);
  // Deep tails stay finite and exact in log space.
  const deep = poissonTailBits(12, 0.001);
  assert.ok(deep > 100 && Number.isFinite(deep));
  // A whole-minute clock: a 60 s window spans three minute values.
  assert.equal(effectiveWindow(60, 60), 180);
  assert.equal(effectiveWindow(60, 1), 121);
});

test('chatty relatives who coincide by chance get few timing bits; two actors bursting twice get many', () => {
  const pop = population(12, 400, 0.3);
  const result = runClustering(pop.input);
  const actorPair = pairOf(result.pairs, pop.actors[0]!, pop.actors[1]!) ?? result.scoreAccounts(pop.actors[0]!, pop.actors[1]!);
  const actorTiming = actorPair.nulls.find((n) => n.family === 'timing')!;
  assert.equal(actorTiming.observed, 2);
  // Each actor writes two messages: its own coincident message alone makes its local rate (so λ errs high).
  assert.ok(actorTiming.expected < 0.05, `actors expect ${actorTiming.expected}`);
  assert.ok(actorTiming.bits > 12, `actors: ${actorTiming.bits} bits`);
  // Every pair of relatives with two or more episodes: expected is high, bits are few.
  const relatives = new Set(pop.relatives);
  let chattyPairs = 0;
  for (let i = 0; i < pop.relatives.length; i++) {
    for (let j = i + 1; j < pop.relatives.length; j++) {
      const pair = result.scoreAccounts(pop.relatives[i]!, pop.relatives[j]!);
      const timing = pair.nulls.find((n) => n.family === 'timing');
      if (!timing) continue;
      chattyPairs++;
      assert.ok(timing.expected > 0.5, `${pair.a}–${pair.b}: ${timing.observed} episodes, ${timing.expected} expected`);
      assert.ok(timing.bits < 8, `${pair.a}–${pair.b}: ${timing.bits} bits from chance coincidences`);
    }
  }
  assert.ok(chattyPairs >= 5, `the relatives coincide by chance (${chattyPairs} pairs with two episodes or more)`);
  for (const c of result.clusters) assert.ok(!c.members.some((m) => relatives.has(m)), `relative clustered: ${c.members.join(', ')}`);
});

test('everyday sentences shared by chatty relatives are expected; a shared threat between two quiet accounts is not', () => {
  const pop = population(12, 200, 0.6);
  const result = runClustering(pop.input);
  const model = result.weighing.textModel;
  assert.ok(model.observed[3]! > 20, 'the relatives share stock sentences across victims');
  const relatives = new Set(pop.relatives);
  for (const p of result.pairs) {
    if (!relatives.has(p.a) || !relatives.has(p.b)) continue;
    const text = p.nulls.find((n) => n.family === 'text');
    if (text) assert.ok(text.bits < 5, `${p.a}–${p.b}: ${text.observed} shared, ${text.expected} expected, ${text.bits} bits`);
    assert.equal(p.joined, false);
    assert.equal(p.candidate, false);
  }
  const actorPair = result.scoreAccounts(pop.actors[0]!, pop.actors[1]!);
  const text = actorPair.nulls.find((n) => n.family === 'text')!;
  assert.equal(text.observed, 1, 'the two threats are variants of one sentence family');
  assert.ok(text.bits > 8, `actors: ${text.bits} bits`);
  assert.match(actorPair.evidence.find((e) => e.type.endsWith('-text'))!.chance!, /^1 sentence family shared, .* expected by chance: the two write 1 and 1 families that 1 and 1 times also come from other accounts/);
});

test('no cascades: every pair scores the same whether or not anything joins', () => {
  const pop = population(10, 150, 0.5);
  const normal = runClustering(pop.input);
  const never = runClustering(pop.input, { ...DEFAULT_PARAMS, joinBits: 1000, candidateBits: 0 });
  assert.equal(never.clusters.length, 0);
  for (const p of normal.pairs) {
    const q = pairOf(never.pairs, p.a, p.b)!;
    assert.equal(q.score, p.score, `${p.a}–${p.b}`);
    assert.deepEqual(q.families, p.families);
  }
});

test('the victim\'s saved name scores nothing, and the chance check is part of the run', () => {
  const pop = population(8, 20, 0.2, 0);
  const result = runClustering(pop.input);
  const names = result.evidence.filter((e) => e.type === 'display-name');
  assert.ok(names.length > 0, '"Мама" in every phone is shown');
  for (const p of result.pairs) assert.ok(!('name' in p.families) || p.families.name === 0);
  assert.equal(result.clusters.length, 0);
  assert.ok(result.chance.expectedJoins < 0.5);
  assert.equal(result.chance.pairs, (8 * 7) / 2);
  assert.deepEqual(result.chance.families.map((f) => f.atLeast), [5, 10]);
});

test('links to public hosts are content, personal pages and private links are identifiers', () => {
  assert.equal(urlIdentifier('https://meduza.io/news/2022/03/01/something'), null);
  assert.equal(urlIdentifier('https://www.youtube.com/watch?v=dQw4w9WgXcQ'), null);
  assert.equal(urlIdentifier('https://m.vk.com/wall-12345_678'), null);
  assert.equal(urlIdentifier('https://vk.com/ivan_petrov_95'), 'profile:vk.com/ivan_petrov_95');
  assert.equal(urlIdentifier('https://instagram.com/p/CxYz123/'), null);
  assert.equal(urlIdentifier('https://www.instagram.com/zarema.k/'), 'profile:instagram.com/zarema.k');
  assert.equal(urlIdentifier('https://www.tiktok.com/@grozny_boy'), 'profile:tiktok.com/grozny_boy');
  assert.equal(urlIdentifier('https://wa.me/79281234567'), null, 'the phone stage reads the number');
  assert.equal(urlIdentifier('https://chat.whatsapp.com/Kx7hQpLm2Zr9aB'), 'url:chat.whatsapp.com/Kx7hQpLm2Zr9aB');
  assert.equal(urlIdentifier('https://grabify.link/Q7ZK2M'), 'url:grabify.link/Q7ZK2M');
  assert.equal(urlIdentifier('https://telegra.ph/Instrukciya-04-12'), 'url:telegra.ph/Instrukciya-04-12');
});
