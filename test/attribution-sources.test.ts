// Independent sources: an actor seen through many identities (one number saved under a different
// label in each victim's phone, or a row of burner accounts) must not lose its own evidence because
// it reached many victims, while common content (a viral text, "Мама" in every phone, greetings, a
// hotline number) still links no one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runClustering } from '../src/attribution/cluster.js';
import { overlapProbability } from '../src/attribution/sources.js';
import { DEFAULT_PARAMS, type AttributionInput, type AttributionMessage, type ClusterResult, type Identity } from '../src/attribution/types.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2022, 2, 1, 17, 0, 0);
const VICTIM_NAMES = ['Анна', 'Борис', 'Дмитрий', 'Елена', 'Зарема', 'Ислам', 'Мадина', 'Руслан', 'Хава', 'Тимур', 'Амина', 'Ахмед', 'Лейла', 'Мурад'];
const SAVED_LABELS = ['Неизвестный', 'Не отвечать', 'Спам', 'Угрозы', 'Аноним номер', 'Кто это', 'Не брать'];
const RELATIVE_LABELS = ['Мама', 'Папа', 'Брат', 'Сестра', 'Бабушка'];
const CALLBACK = '+79281234567';
const CALLBACK_WRITTEN = ['8 (928) 123-45-67', '+7 928 123 45 67', '89281234567', '+7(928)1234567', '8 928 123-45-67'];
// Latin look-alikes and zero-width characters, as threat senders write them.
const THREATS = [
  (name: string) => `${name}, мы знаем, где живёт твоя мать. Ты нигде не в безопасности.`,
  (name: string) => `${name}, мы зн\u0061ем, где живёт твоя ма\u200bть. Ты нигде не в б\u0065зопасности.`,
  (name: string) => `${name}, мы знаем, где живет твоя мать. Ты нигде не в безопасн\u200bости!!`,
];
const GREETINGS = ['С Новым годом! Здоровья, счастья и мира вам всем!', 'С Новым годом! Здоровья, счастья и мира вам всем! ❤️', 'Доброе утро! Хорошего дня!'];
const VIRAL = '⚡️Срочно! С 22:00 до 6:00 в городе отключат мобильный интернет. Перешлите всем родным!';
// A public hotline on a mobile number (the toll-free exclusion does not apply), passed on by relatives.
const HOTLINE = '+79001112233';
const HOTLINE_TEXTS = ['Запиши номер волонтёров: 8 900 111-22-33, помогают бесплатно.', 'Если что случится, звони волонтёрам +7 900 111 22 33, сохрани.', 'Соседка сказала, волонтёры на 89001112233 отвечают круглосуточно.'];
// Words for each relative's own chatter (no two relatives write the same sentence).
const PEOPLE = ['тётя Зина', 'соседка Марьям', 'дядя Руслан', 'бабушка Хеда', 'брат Умар', 'учительница Аминат', 'сосед Ваха', 'младшая Седа', 'дедушка Муса', 'кум Адам'];
const THINGS = ['пирог с тыквой', 'новые шторы', 'мешок картошки', 'банку мёда', 'варенье из айвы', 'корзину яблок', 'тёплое одеяло', 'котёнка', 'сыр из деревни', 'курагу', 'ковёр', 'самовар', 'велосипед'];
const PLACES = ['в селе', 'на даче', 'в Шали', 'в Гудермесе', 'на рынке', 'у мечети', 'в Назрани', 'на почте', 'в Аргуне', 'у школы', 'в банке'];

function identity(key: string, victim: string, names: string[]): Identity {
  return { key, platform: key.startsWith('telegram:') ? 'telegram' : 'whatsapp', names, phones: key.startsWith('phone:') ? [key.slice(6)] : [], messages: 0, victims: [victim], firstSeen: null, lastSeen: null, selfOf: [] };
}

interface Built {
  input: AttributionInput;
  views: string[];
  relatives: string[];
  mothers: string[];
  viral: string[];
  hotline: string[];
  greeters: string[];
}

/** One actor seen through `views` identities, among `relatives` relatives of the victims with common content. */
function buildCase(views: number, relatives: number, options: { burners?: boolean } = {}): Built {
  const identities: Identity[] = [];
  const messages: AttributionMessage[] = [];
  let id = 0;
  const add = (sender: string, victim: string, at: number, text: string, extra: Partial<AttributionMessage> = {}): void => {
    messages.push({ id: `m${++id}`, sender, victim, at, kind: 'text', text, forwarded: false, phones: [], media: [], links: [], where: `test:${id}`, ...extra });
  };
  const victims = Math.max(views, Math.ceil(relatives / 4));
  const victimLabel = (v: number): string => `v${String(v).padStart(2, '0')}`;
  const victimName = (v: number): string => VICTIM_NAMES[v % VICTIM_NAMES.length]!;
  const exportOf = (v: number): string => (0xa00000000000 + v * 7919).toString(16);

  // The actor: one WhatsApp number the victims saved under their own labels (or burner accounts).
  const viewKeys: string[] = [];
  for (let k = 0; k < views; k++) {
    const key = options.burners ? `telegram:user${6_100_000_000 + k}` : `name:${exportOf(k)}:${SAVED_LABELS[k % SAVED_LABELS.length]}`;
    viewKeys.push(key);
    identities.push(identity(key, victimLabel(k), options.burners ? ['Доброжелатель'] : [SAVED_LABELS[k % SAVED_LABELS.length]!]));
    // The threat and, days later, the callback number, each in its own message, hours apart from other views.
    add(key, victimLabel(k), T0 + k * 3 * DAY, THREATS[k % THREATS.length]!(victimName(k)));
    add(key, victimLabel(k), T0 + k * 3 * DAY + DAY + 7 * 3_600_000, `Перезвони по номеру ${CALLBACK_WRITTEN[k % CALLBACK_WRITTEN.length]}, иначе пожалеешь.`, { phones: [CALLBACK] });
  }

  // Relatives: each picks the common content on its own (independent draws, as people do).
  const relativeKeys: string[] = [];
  const built = { mothers: [] as string[], viral: [] as string[], hotline: [] as string[], greeters: [] as string[] };
  let seed = 12345;
  const next = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let r = 0; r < relatives; r++) {
    const v = r % victims;
    const label = RELATIVE_LABELS[Math.floor(r / victims) % RELATIVE_LABELS.length]!;
    const telegram = label === 'Брат' || label === 'Сестра';
    const key = telegram ? `telegram:user${5_200_000_000 + r}` : `name:${exportOf(v)}:${label}`;
    relativeKeys.push(key);
    if (label === 'Мама') built.mothers.push(key);
    identities.push(identity(key, victimLabel(v), [label]));
    const at = T0 - 40 * DAY + r * 5_400_000;
    for (let s = 0; s < 3; s++) {
      add(key, victimLabel(v), at + s * 13 * DAY, `${PEOPLE[(r + s) % PEOPLE.length]} ${['принесла', 'купил', 'нашла', 'подарил'][(r * 3 + s) % 4]} ${THINGS[(r * 7 + s * 5) % THINGS.length]} ${PLACES[(r * 5 + s) % PLACES.length]}, ${r}-й раз за ${s + 2} дня, представляешь.`);
    }
    if (next() < 0.6) {
      built.greeters.push(key);
      add(key, victimLabel(v), Date.UTC(2022, 0, 1, 0, 1 + (r % 3), r % 60) - 3 * 3_600_000, GREETINGS[r % 2]!);
    }
    if (next() < 0.4) add(key, victimLabel(v), T0 - 20 * DAY + r * 60_000, GREETINGS[2]!);
    if (next() < 0.5) {
      built.viral.push(key);
      // Telegram marks forwards; WhatsApp exports do not, so those copies look pasted.
      add(key, victimLabel(v), T0 - 10 * DAY + (r % 7) * 3_600_000, VIRAL, { forwarded: telegram });
    }
    if (next() < 0.35) {
      built.hotline.push(key);
      add(key, victimLabel(v), T0 - 5 * DAY + r * 600_000, HOTLINE_TEXTS[r % HOTLINE_TEXTS.length]!, { phones: [HOTLINE] });
    }
  }
  // Victims reply (their own accounts are not suspects).
  for (let v = 0; v < victims; v++) {
    const key = `name:${exportOf(v)}:${victimName(v)}`;
    identities.push({ ...identity(key, victimLabel(v), [victimName(v)]), selfOf: [victimLabel(v)] });
    add(key, victimLabel(v), T0 + v * 3 * DAY + 600_000, 'Кто это? Я сохранила все ваши сообщения.');
  }
  return { input: { identities, messages, accountLinks: [] }, views: viewKeys.sort(), relatives: relativeKeys, ...built };
}

function clusterOf(result: ClusterResult, key: string): string[] | null {
  return result.clusters.find((c) => c.members.includes(key))?.members ?? null;
}

function assertTrapsHold(result: ClusterResult, built: Built): void {
  const relatives = new Set(built.relatives);
  for (const key of built.relatives) assert.equal(clusterOf(result, key), null, `relative ${key} was clustered`);
  const relativeCandidates = result.candidates.filter((p) => relatives.has(p.a) || relatives.has(p.b));
  assert.deepEqual(relativeCandidates.map((p) => `${p.a} ${p.b} ${p.score}`), [], 'candidate links between relatives');
  // The traps are really there: shared by many, and evidence was produced for them.
  assert.ok(built.mothers.length >= 6 && built.viral.length >= 10 && built.hotline.length >= 8 && built.greeters.length >= 15);
  const itemOf = (type: string, holder: string): boolean => result.evidence.some((e) => e.type === type && e.between.includes(holder));
  assert.ok(itemOf('display-name', built.mothers[0]!), '"Мама" is display-name evidence');
  assert.ok(built.hotline.some((k) => itemOf('shared-identifier', k)), 'the hotline number is identifier evidence');
  assert.ok(built.greeters.some((k) => result.evidence.some((e) => e.between.includes(k) && e.type.endsWith('-text'))), 'greetings are text evidence');
  // No co-holding group holds a relative: their common content travels independently.
  for (const g of result.coHolding) for (const a of g.accounts) assert.ok(!relatives.has(a), `relative ${a} counted with ${g.accounts.join(', ')} as one source`);
}

test('one number saved under five labels in five phones: its template and callback join the views', () => {
  const built = buildCase(5, 40);
  assert.equal(built.input.identities.filter((i) => i.selfOf.length === 0).length, 45);
  const result = runClustering(built.input);
  assert.deepEqual(clusterOf(result, built.views[0]!), built.views, 'the five views are one cluster, and nothing else is in it');
  assertTrapsHold(result, built);
  // The views count as one source of their callback number and template: full weight, honestly shown.
  const group = result.coHolding.find((g) => g.accounts.includes(built.views[0]!));
  assert.ok(group, 'the views are one co-holding group');
  assert.deepEqual(group.accounts, built.views);
  assert.ok(group.p < 1e-6);
  const link = result.clusters[0]!.links[0]!;
  const callback = link.evidence.find((e) => e.type === 'shared-identifier')!;
  assert.equal(callback.holders.length, 5);
  assert.equal(callback.df, 1);
  assert.equal(callback.weight, 9);
  assert.ok(link.independent.includes('identifier') && link.independent.includes('text'));

  // Counting identities instead (co-holding off) loses the actor: this is what the sources fix.
  const byIdentity = runClustering(built.input, { ...DEFAULT_PARAMS, coHoldingShare: 1.01 });
  assert.equal(byIdentity.coHolding.length, 0);
  assert.equal(clusterOf(byIdentity, built.views[0]!), null, 'without independent sources the five views stay apart');
});

test('twenty-six views of one actor stay linked (maxDf counts sources, not identities)', () => {
  const built = buildCase(26, 40);
  const result = runClustering(built.input);
  assert.deepEqual(clusterOf(result, built.views[0]!), built.views);
  assertTrapsHold(result, built);
  const callback = result.clusters[0]!.links.flatMap((l) => l.evidence).find((e) => e.type === 'shared-identifier')!;
  assert.equal(callback.holders.length, 26, 'more identities than maxDf show the number');
  assert.ok(callback.df <= DEFAULT_PARAMS.maxDf && callback.weight > 0);
  // Counted by identities, 26 > maxDf: the evidence would drop to nothing.
  const byIdentity = runClustering(built.input, { ...DEFAULT_PARAMS, coHoldingShare: 1.01 });
  assert.equal(clusterOf(byIdentity, built.views[0]!), null);
});

test('burner accounts of one actor are one source too', () => {
  const built = buildCase(6, 36, { burners: true });
  const result = runClustering(built.input);
  assert.deepEqual(clusterOf(result, built.views[0]!), built.views);
  assertTrapsHold(result, built);
});

test('a bundled message is not two items: the same text and number pasted together by many relatives', () => {
  // Fifteen relatives paste one notice that carries a mobile number: text and number travel in one
  // message, so they cannot tie the relatives into one source, and the notice links no one.
  const built = buildCase(0, 30);
  const notice = 'Внимание! Мошенники звонят с номера +7 999 555-44-33 и представляются полицией. Не отвечайте и перешлите родным.';
  const pasters = built.relatives.slice(0, 15);
  pasters.forEach((key, i) => {
    built.input.messages.push({ id: `n${i}`, sender: key, victim: built.input.identities.find((x) => x.key === key)!.victims[0]!, at: T0 + i * 7_200_000, kind: 'text', text: notice, forwarded: false, phones: ['+79995554433'], media: [], links: [], where: `n${i}` });
  });
  const result = runClustering(built.input);
  const noticeEvidence = result.evidence.filter((e) => e.refs.some((r) => r.startsWith('n')));
  assert.ok(noticeEvidence.some((e) => e.item === 'id:phone:+79995554433'), 'the number in the notice is identifier evidence');
  assert.ok(noticeEvidence.some((e) => e.type === 'near-duplicate-text'), 'the notice is text evidence');
  assert.equal(result.coHolding.length, 0);
  assert.equal(result.clusters.length, 0);
  assert.deepEqual(result.candidates.map((p) => [p.a, p.b]), []);
});

test('the overlap probability is the hypergeometric tail', () => {
  // 3 of 3 and 3 of 3 among 20: 1 / C(20, 3).
  assert.ok(Math.abs(overlapProbability(20, 3, 3, 3) - 1 / 1140) < 1e-12);
  // 5 of 5 among 45: 1 / C(45, 5).
  assert.ok(Math.abs(overlapProbability(45, 5, 5, 5) - 1 / 1_221_759) < 1e-15);
  // An overlap chance expects is likely: 27 and 22 of 60 overlap by 10 on average.
  assert.ok(overlapProbability(60, 27, 22, 10) > 0.4);
  assert.equal(overlapProbability(60, 27, 22, 0), 1);
});

test('text evidence that cannot matter is not built, except for the pair explain asks about', () => {
  // Two relatives who pasted the same greeting and share nothing else: 5 bits at most, below the
  // candidate floor, so the clustering never scores the pair.
  const built = buildCase(3, 24);
  const plain = runClustering(built.input);
  assert.ok(plain.stats.textPrunedPairs! > 0);
  const between = (r: ClusterResult, x: string, y: string): number => r.evidence.filter((e) => e.between.includes(x) && e.between.includes(y)).length;
  const greeting = new Set(built.input.messages.filter((m) => m.text === GREETINGS[0]).map((m) => m.sender));
  const pair = [...greeting].flatMap((x) => [...greeting].filter((y) => x < y && between(plain, x, y) === 0).map((y) => [x, y] as [string, string]))[0];
  assert.ok(pair, 'two relatives with only the greeting in common');
  const focused = runClustering(built.input, DEFAULT_PARAMS, { focus: pair });
  const shown = focused.evidence.filter((e) => e.between.includes(pair[0]) && e.between.includes(pair[1]));
  assert.equal(shown.length, 1, 'explain sees the greeting between the two');
  assert.equal(shown[0]!.type, 'near-duplicate-text');
  // Nothing else changes.
  const summary = (r: ClusterResult): string => JSON.stringify({ clusters: r.clusters, candidates: r.candidates, pairs: r.pairs, coHolding: r.coHolding });
  assert.equal(summary(focused), summary(plain));
});
