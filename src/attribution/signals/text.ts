// Near-duplicate and template text. Messages are reduced to their template (canonical text with
// URLs, handles, numbers and names as slots); identical templates are grouped; MinHash/LSH over
// the distinct templates finds similar ones without comparing all pairs; every candidate is then
// verified exactly: containment of template shingles (template-text) and Jaccard of canonical
// shingles (near-duplicate-text).
//
// Candidates come from LSH over whole templates (Jaccard) and from an exact lookup of runs of whole
// sentences (containment). Template evidence is verified by containment, which Jaccard candidates
// miss: a threat and the same threat followed by a callback sentence have Jaccard 0.58 but
// containment 1.0, and whole-template banding (25 × 5, two hits) finds such a pair only half the
// time; the lookup finds it every time.
//
// Commonness: the holders of a template are the identities that wrote it or a template verified
// similar to it (its direct neighbours, never the transitive chain: a chain of small variations
// would otherwise join a rare threat to a common greeting). A template whose neighbourhood holds more
// than maxHolders identities is common content and produces nothing; below that, maxDf applies to
// the independent sources among the holders when the evidence is weighed.
import type { AttributionInput, AttributionMessage, ClusterParams, Evidence, EvidenceContext, EvidenceType } from '../types.js';
import { canonicalText, containmentIn, jaccard, shingleSet, shingleSets, templateText, type ShingleSets } from '../text.js';
import { bandHashes, lshCandidatesFromBands, type IndexPairs } from '../minhash.js';
import { groupBy, IntList } from '../intlists.js';
import { makeEvidence, roundBits } from '../evidence.js';
import { poissonTailBits, randomHolderExpectation } from '../null-model.js';
import { fmtExpected, heldPerAccount, kappaOf, pairClass, pairNumber, roundExpected, SCRIPT_PAIRS, sharedItemsModel } from '../shared-items.js';
import { defineSignal, type PairsFound, type PairsPhase } from './signal.js';

// This signal's families and evidence types (each with its family), as the model knows them.
declare module '../types.js' {
  interface Families {
    text: true;
  }
  interface EvidenceTypes {
    'near-duplicate-text': 'text';
    'template-text': 'text';
  }
}

export const textSignal = defineSignal({
  name: 'text',
  phase: 'pairs',
  pairs: textFound,
  families: { text: { weighedBy: 'null-model', content: true, candidateAlone: false } },
  types: {
    'near-duplicate-text': {
      family: 'text',
      bits: 5,
      against: 'a widely circulated text (a chain message, a public template) can be pasted by unrelated people',
    },
    'template-text': {
      family: 'text',
      bits: 3,
      against: 'threats reuse set phrases; a common template says less than a rare one, check the wording beyond the slots',
    },
  },
  method: {
    nullModel:
      'sentence families (templates joined by verified containment); k shared families between two accounts against λ = ρ·u_A·u_B, ρ = (shared + 1) / (Σ u_A·u_B + 1/textSharingPrior) over account pairs of different victims (or of a common victim, for such pairs); bits = -log2 P(Poisson(λ) >= k), capped at maxNullBits',
    algorithm:
      'k-character shingles (FNV-1a + murmur3 fmix32); one-permutation MinHash with optimal densification; LSH banding over whole templates and over the sentences of templates with several; every candidate verified exactly',
  },
});

const TEXT_KINDS = new Set(['text', 'media']);

/**
 * The distinct templates of the eligible messages, in order of first message, in typed arrays (a
 * million templates as objects would keep the garbage collector busy). Senders are numbered in the
 * order of their keys, so comparing numbers compares keys.
 */
interface Templates {
  texts: string[];
  shingles: ShingleSets;
  /** Sender keys by number. */
  senderKeys: string[];
  /** Template t's senders (numbers, in order of first message): senders[senderStart[t] .. senderStart[t + 1]). */
  senderStart: Int32Array;
  senders: Int32Array;
  /**
   * The first `textSample` messages (indexes into the eligible list) of each sender of each template:
   * entry e = senderStart[t] + k holds samples[e * textSample ..], -1 past its last message.
   */
  samples: Int32Array;
}

/** Groups the messages by template (templates shorter than `templateMinChars` are left out). */
function collectTemplates(messages: readonly AttributionMessage[], p: ClusterParams, progress?: EvidenceContext['progress']): Templates {
  const senderKeys = [...new Set(messages.map((m) => m.sender))].sort();
  const senderNumber = new Map(senderKeys.map((key, i) => [key, i]));
  // Each message's template, by number; the template of a repeated text is made once.
  const texts: string[] = [];
  const templateNumber = new Map<string, number>();
  const numberOfText = new Map<string, number>();
  const templateOf = new Int32Array(messages.length);
  messages.forEach((m, index) => {
    if (progress !== undefined && index % 20_000 === 0) progress('text templates', index, messages.length);
    let t = numberOfText.get(m.text);
    if (t === undefined) {
      const template = templateText(m.text);
      t = template.length < p.templateMinChars ? -1 : templateNumber.get(template);
      if (t === undefined) {
        t = texts.length;
        texts.push(template);
        templateNumber.set(template, t);
      }
      numberOfText.set(m.text, t);
    }
    templateOf[index] = t;
  });
  numberOfText.clear();
  templateNumber.clear();
  // The messages of each template in order, then its senders in order of first message.
  const count = texts.length;
  const byTemplate = groupBy(templateOf, count);
  const senderStart = new Int32Array(count + 1);
  const senders = new IntList();
  const samples = new IntList();
  const entryOf = new Int32Array(senderKeys.length);
  const entryTemplate = new Int32Array(senderKeys.length).fill(-1);
  for (let t = 0; t < count; t++) {
    for (let k = byTemplate.start[t]!; k < byTemplate.start[t + 1]!; k++) {
      const index = byTemplate.values[k]!;
      const s = senderNumber.get(messages[index]!.sender)!;
      if (entryTemplate[s] !== t) {
        entryTemplate[s] = t;
        entryOf[s] = senders.length;
        senders.push(s);
        for (let x = 0; x < p.textSample; x++) samples.push(x === 0 ? index : -1);
        continue;
      }
      const base = entryOf[s]! * p.textSample;
      for (let x = 1; x < p.textSample; x++) {
        if (samples.get(base + x) === -1) {
          samples.set(base + x, index);
          break;
        }
      }
    }
    senderStart[t + 1] = senders.length;
  }
  return { texts, shingles: shingleSets(texts, p.shingleK), senderKeys, senderStart, senders: senders.view(), samples: samples.view() };
}

/**
 * What the text signal hands the clustering: sentence families (templates joined by verified
 * similarity, so that variants of one sentence, behind another greeting or with other punctuation,
 * are one item), who wrote each, and the evidence between two identities on demand. Families written
 * by more than `maxHolders` identities are common content and left out, of the counts as of the
 * evidence.
 */
export interface TextFamilies {
  /** Sender keys by number (sorted). */
  senderKeys: string[];
  /** Family f's writers (sender numbers, ascending): holders[holderStart[f] .. holderStart[f + 1]). */
  holderStart: Int32Array;
  holders: Int32Array;
  /** Sender s's families (ascending): families[familyStart[s] .. familyStart[s + 1]). */
  familyStart: Int32Array;
  families: Int32Array;
  /** The evidence between two identities: one piece per family both wrote (none when either wrote no text). */
  piecesBetween(a: string, b: string): Evidence[];
}

export function textFamilies(
  input: AttributionInput,
  eligible: Set<string>,
  ctx: EvidenceContext,
  stats: Partial<Record<string, number>> = {},
  timings: Record<string, number> | null = null,
): TextFamilies {
  const p = ctx.params;
  let clock = performance.now();
  const lap = (phase: string): void => {
    const now = performance.now();
    if (timings) timings[phase] = (timings[phase] ?? 0) + now - clock;
    clock = now;
  };
  const messages: AttributionMessage[] = input.messages.filter(
    (m) => eligible.has(m.sender) && !m.forwarded && TEXT_KINDS.has(m.kind) && m.text.length >= p.templateMinChars,
  );
  const templates = collectTemplates(messages, p, ctx.progress);
  const { texts, shingles, senderKeys, senderStart, senders, samples } = templates;
  const count = texts.length;
  lap('text: templates');

  const candidates = templateCandidates(texts, shingles, p);
  lap('text: candidates');

  // Families: templates joined by verified containment (both near-duplicates and templates pass it).
  const parent = new Int32Array(count);
  for (let t = 0; t < count; t++) parent[t] = t;
  const find = (t: number): number => {
    while (parent[t] !== t) {
      parent[t] = parent[parent[t]!]!;
      t = parent[t]!;
    }
    return t;
  };
  const { left, right } = candidates.pairs;
  let verified = 0;
  for (let k = 0; k < left.length; k++) {
    if (ctx.progress !== undefined && k % 200_000 === 0) ctx.progress('text verification', k, left.length);
    const i = left[k]!;
    const j = right[k]!;
    if (containmentIn(shingles, i, j) < p.templateContainment) continue;
    verified++;
    const ri = find(i);
    const rj = find(j);
    if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
  }
  // Number the families in order of their first template.
  const familyOfTemplate = new Int32Array(count);
  const familyNumber = new Int32Array(count).fill(-1);
  let familyCount = 0;
  for (let t = 0; t < count; t++) {
    const root = find(t);
    if (familyNumber[root] === -1) familyNumber[root] = familyCount++;
    familyOfTemplate[t] = familyNumber[root]!;
  }
  const { start: templateStart, values: familyTemplates } = groupBy(familyOfTemplate, familyCount);
  stats.textEligibleMessages = messages.length;
  stats.textTemplates = count;
  stats.textCandidatePairs = left.length;
  stats.textSentenceRuns = candidates.sentenceRuns;
  stats.textVerifiedPairs = verified;
  stats.textCrowdedTemplates = candidates.crowded;
  stats.textFamilies = familyCount;
  lap('text: verification');

  // Each family's writers (distinct senders of its templates); common families (more than
  // maxHolders writers) are dropped.
  const mark = new Int32Array(senderKeys.length).fill(-1);
  const holderStart = new Int32Array(familyCount + 1);
  const holderList = new IntList();
  const scratch: number[] = [];
  let common = 0;
  for (let f = 0; f < familyCount; f++) {
    scratch.length = 0;
    for (let k = templateStart[f]!; k < templateStart[f + 1]! && scratch.length <= p.maxHolders; k++) {
      const t = familyTemplates[k]!;
      for (let e = senderStart[t]!; e < senderStart[t + 1]!; e++) {
        const sender = senders[e]!;
        if (mark[sender] !== f) {
          mark[sender] = f;
          scratch.push(sender);
        }
      }
    }
    if (scratch.length > p.maxHolders) common++;
    else {
      scratch.sort((x, y) => x - y);
      for (const sender of scratch) holderList.push(sender);
    }
    holderStart[f + 1] = holderList.length;
  }
  const holders = holderList.view();
  stats.textCommonFamilies = common;
  // Each sender's families, ascending.
  const ownerOfEntry = new Int32Array(holders.length);
  for (let f = 0; f < familyCount; f++) for (let k = holderStart[f]!; k < holderStart[f + 1]!; k++) ownerOfEntry[k] = holders[k]!;
  const familyEntries = new Int32Array(holders.length);
  for (let f = 0; f < familyCount; f++) for (let k = holderStart[f]!; k < holderStart[f + 1]!; k++) familyEntries[k] = f;
  const { start: familyStart, values: families } = groupBy(ownerOfEntry, senderKeys.length, familyEntries);
  lap('text: families');

  const senderNumber = new Map(senderKeys.map((key, i) => [key, i]));
  const canonicals: ({ length: number; shingles: Uint32Array } | undefined)[] = new Array(messages.length);
  const canonical = (idx: number): { length: number; shingles: Uint32Array } => {
    let hit = canonicals[idx];
    if (!hit) {
      const text = canonicalText(messages[idx]!.text);
      hit = canonicals[idx] = { length: text.length, shingles: shingleSet(text, p.shingleK) };
    }
    return hit;
  };
  /** The message samples of sender s in template t (-1 when s did not write it). */
  const sampleBase = (t: number, s: number): number => {
    for (let e = senderStart[t]!; e < senderStart[t + 1]!; e++) if (senders[e] === s) return e * p.textSample;
    return -1;
  };
  /** Sender s's sample messages in family f (at most a few templates' worth). */
  const samplesIn = (f: number, s: number): number[] => {
    const out: number[] = [];
    for (let k = templateStart[f]!; k < templateStart[f + 1]! && out.length < 2 * p.textSample; k++) {
      const base = sampleBase(familyTemplates[k]!, s);
      if (base < 0) continue;
      for (let x = base; x < base + p.textSample && samples[x]! >= 0; x++) out.push(samples[x]!);
    }
    return out;
  };
  const holderKeys = new Map<number, string[]>();
  const keysOf = (f: number): string[] => {
    let list = holderKeys.get(f);
    if (!list) {
      list = Array.from(holders.subarray(holderStart[f]!, holderStart[f + 1]!), (s) => senderKeys[s]!);
      holderKeys.set(f, list);
    }
    return list;
  };

  const piecesBetween = (a: string, b: string): Evidence[] => {
    const sa = senderNumber.get(a);
    const sb = senderNumber.get(b);
    if (sa === undefined || sb === undefined || sa === sb) return [];
    const out: Evidence[] = [];
    let x = familyStart[sa]!;
    let y = familyStart[sb]!;
    while (x < familyStart[sa + 1]! && y < familyStart[sb + 1]!) {
      const fx = families[x]!;
      const fy = families[y]!;
      if (fx < fy) x++;
      else if (fy < fx) y++;
      else {
        out.push(piece(fx, sa, sb, a, b));
        x++;
        y++;
      }
    }
    return out;
  };
  const piece = (f: number, sa: number, sb: number, a: string, b: string): Evidence => {
    // The closest message pair of the two decides near-duplicate vs template, for the ledger.
    let best = { jaccard: -1, refs: [] as string[] };
    for (const i of samplesIn(f, sa)) {
      for (const j of samplesIn(f, sb)) {
        const ci = canonical(i);
        const cj = canonical(j);
        const score = Math.min(ci.length, cj.length) < p.nearDuplicateMinChars ? 0 : jaccard(ci.shingles, cj.shingles);
        if (score > best.jaccard) best = { jaccard: score, refs: [messages[i]!.id, messages[j]!.id].sort() };
      }
    }
    const variants = templateStart[f + 1]! - templateStart[f]!;
    const type: EvidenceType = best.jaccard >= p.nearDuplicateJaccard ? 'near-duplicate-text' : 'template-text';
    const shape = variants > 1 ? `one sentence family of ${variants} variants` : 'one sentence';
    const detail =
      type === 'near-duplicate-text'
        ? `${shape}, near-duplicate: Jaccard ${best.jaccard.toFixed(2)} of ${p.shingleK}-character shingles after normalisation: "${truncate(texts[familyTemplates[templateStart[f]!]!]!)}"`
        : `${shape}, same template after masking names, numbers and links: "${truncate(texts[familyTemplates[templateStart[f]!]!]!)}"`;
    return makeEvidence(type, [a, b], keysOf(f), `text:${f}`, detail, best.refs, ctx);
  };
  return { senderKeys, holderStart, holders, familyStart, families, piecesBetween };
}

/**
 * Shared sentence families by pair of accounts, weighed by the random-holder model (null-model.ts):
 * who holds each family (accounts), how many each account holds, and what chance gives two of them.
 */
function textFound(...[input, eligible, accounts, ctx, stats, timings]: Parameters<PairsPhase>): PairsFound {
  const params = ctx.params;
  const text = textFamilies(input, eligible, ctx, stats, timings);
  const senderAccount = Int32Array.from(text.senderKeys, (key) => accounts.numberOf(accounts.accountOf(key)) ?? -1);
  const familyHolders: number[][] = [];
  for (let f = 0; f + 1 < text.holderStart.length; f++) {
    const accs: number[] = [];
    for (let k = text.holderStart[f]!; k < text.holderStart[f + 1]!; k++) {
      const acc = senderAccount[text.holders[k]!]!;
      if (acc >= 0 && !accs.includes(acc)) accs.push(acc);
    }
    familyHolders.push(accs);
  }
  const familiesPerAccount = heldPerAccount(
    accounts.count,
    text.senderKeys.map((_, s) => ({ account: senderAccount[s]!, items: Array.from(text.families.subarray(text.familyStart[s]!, text.familyStart[s + 1]!)) })),
  );
  const { shared, model } = sharedItemsModel(familyHolders, familiesPerAccount, accounts.count, accounts.victims, accounts.scriptOf, params.textMinPopulation);
  return {
    pairs: [...shared.keys()],
    model,
    nullOf: (x, y) => {
      const k = shared.get(pairNumber(x, y, accounts.count)) ?? 0;
      if (k === 0) return null;
      const same = accounts.shareVictim(x, y);
      const kappa = kappaOf(model, x, y, same);
      const expected = kappa * randomHolderExpectation(model, x, y);
      return {
        family: 'text',
        observed: k,
        expected: roundExpected(expected),
        bits: roundBits(Math.min(params.maxNullBits, poissonTailBits(k, expected))),
        basis: `${k} sentence famil${k === 1 ? 'y' : 'ies'} shared, ${fmtExpected(expected)} expected by chance: the two write ${model.held[x]} and ${model.held[y]} families that ${model.spread[x]} and ${model.spread[y]} times also come from other accounts${kappa > 1 ? ` (× ${kappa.toFixed(2)}: the case's pairs of accounts ${same ? 'of a common victim' : 'of different victims'} writing ${SCRIPT_PAIRS[pairClass(model.script, x, y, same) % 3]} share that much more than the model expects)` : ''}`,
      };
    },
    between: (x, y) => {
      const out: Evidence[] = [];
      if (!shared.has(pairNumber(x, y, accounts.count))) return out;
      for (const ka of accounts.membersOf(x)) for (const kb of accounts.membersOf(y)) for (const e of text.piecesBetween(ka, kb)) out.push(e);
      return out;
    },
  };
}

/**
 * Candidate pairs of templates (by index, each once, sorted), from two passes:
 *   - LSH banding over the MinHash signature of every whole template (near-duplicates: Jaccard);
 *   - containment by whole sentences: a template equal (punctuation aside) to a run of consecutive
 *     sentences of another template is a candidate, found by exact lookup. A threat and the same
 *     threat followed by a callback sentence, or preceded by a greeting, always meet here.
 * Runs shorter than `templateMinChars`, and runs or templates shared by more than `lshMaxBucket`
 * templates (common content), give no pairs.
 */
export function templateCandidates(
  templates: readonly string[],
  shingles: ShingleSets,
  p: ClusterParams,
): { pairs: IndexPairs; crowded: number; sentenceRuns: number } {
  const banding = { bands: p.lshBands, rows: p.lshRows, minHits: p.lshMinHits };
  const lsh = lshCandidatesFromBands(bandHashes(shingles, p.minhashBins, banding), templates.length, banding, p.lshMaxBucket);
  const sentences = sentenceCandidates(templates, p);
  return { pairs: mergePairs(lsh.pairs, sentences.pairs), crowded: lsh.crowded + sentences.crowded, sentenceRuns: sentences.runs };
}

/**
 * The sentence pass of `templateCandidates`: templates equal by key (punctuation and spacing aside),
 * and templates equal by key to a run of consecutive sentences of another (all runs of templates up
 * to 6 sentences, else prefixes and suffixes).
 */
function sentenceCandidates(templates: readonly string[], p: ClusterParams): { pairs: IndexPairs; crowded: number; runs: number } {
  const n = templates.length;
  // Templates are numbered by key into classes; a class's templates in increasing order.
  const classOfKey = new Map<string, number>();
  const classOf = new Int32Array(n);
  const multiSentence: { template: number; key: string; starts: number[]; ends: number[] }[] = [];
  templates.forEach((template, i) => {
    const keyed = sentenceKeys(template);
    let cls = classOfKey.get(keyed.key);
    if (cls === undefined) classOfKey.set(keyed.key, (cls = classOfKey.size));
    classOf[i] = cls;
    if (keyed.ends.length >= 2) multiSentence.push({ template: i, ...keyed });
  });
  const classCount = classOfKey.size;
  const { start: classStart, values: classMembers } = groupBy(classOf, classCount);
  // The templates holding a run of sentences that is the whole key of some template, by that key's class.
  let runCount = 0;
  const holdersOfClass = new Map<number, number[]>();
  for (const { template, key, starts, ends } of multiSentence) {
    const k = ends.length;
    const found: number[] = [];
    for (let from = 0; from < k; from++) {
      for (let to = from + 1; to <= k; to++) {
        if (to - from === k) continue;
        if (k > 6 && from !== 0 && to !== k) continue;
        if (ends[to - 1]! - starts[from]! < p.templateMinChars) continue;
        const cls = classOfKey.get(key.slice(starts[from], ends[to - 1]));
        if (cls === undefined) continue;
        runCount++;
        // Two runs of one template can have one key: the template holds it once.
        if (found.includes(cls)) continue;
        found.push(cls);
        const list = holdersOfClass.get(cls);
        if (list) list.push(template);
        else holdersOfClass.set(cls, [template]);
      }
    }
  }
  multiSentence.length = 0;
  classOfKey.clear();
  const pairKeys: number[] = [];
  const add = (i: number, j: number): void => {
    if (i !== j) pairKeys.push(Math.min(i, j) * n + Math.max(i, j));
  };
  // A run key held, with the wholes, by more than lshMaxBucket templates is common content.
  let crowded = 0;
  for (const [cls, holders] of holdersOfClass) {
    const from = classStart[cls]!;
    const to = classStart[cls + 1]!;
    if (holders.length + to - from > p.lshMaxBucket) {
      crowded += holders.length;
      continue;
    }
    for (const i of holders) for (let w = from; w < to; w++) add(i, classMembers[w]!);
  }
  // Templates that differ only in punctuation and spacing.
  for (let c = 0; c < classCount; c++) {
    const from = classStart[c]!;
    const to = classStart[c + 1]!;
    if (to - from < 2 || to - from > p.lshMaxBucket) continue;
    for (let x = from; x < to; x++) for (let y = x + 1; y < to; y++) add(classMembers[x]!, classMembers[y]!);
  }
  // Pair keys i * n + j are exact in a double while n stays below 2^26.
  if (n >= 2 ** 26) throw new Error(`templateCandidates handles up to ${2 ** 26 - 1} templates`);
  const sorted = Float64Array.from(pairKeys).sort();
  const left = new IntList();
  const right = new IntList();
  for (let k = 0; k < sorted.length; k++) {
    if (k > 0 && sorted[k] === sorted[k - 1]) continue;
    const i = Math.floor(sorted[k]! / n);
    left.push(i);
    right.push(sorted[k]! - i * n);
  }
  return { pairs: { left: left.view(), right: right.view() }, crowded, runs: runCount };
}

/** The union of two sorted lists of pairs, sorted, each pair once. */
function mergePairs(x: IndexPairs, y: IndexPairs): IndexPairs {
  const left = new IntList();
  const right = new IntList();
  let a = 0;
  let b = 0;
  while (a < x.left.length || b < y.left.length) {
    let order: number;
    if (a === x.left.length) order = 1;
    else if (b === y.left.length) order = -1;
    else order = x.left[a]! - y.left[b]! || x.right[a]! - y.right[b]!;
    if (order <= 0) {
      left.push(x.left[a]!);
      right.push(x.right[a]!);
      a++;
      if (order === 0) b++;
    } else {
      left.push(y.left[b]!);
      right.push(y.right[b]!);
      b++;
    }
  }
  return { left: left.view(), right: right.view() };
}

/**
 * What each UTF-16 code unit of the Basic Multilingual Plane is for sentence keys: 1 a letter, digit or
 * slot bracket, 2 whitespace, 0 anything else. Made on first use.
 */
let unitClasses: Uint8Array | null = null;
const WORD_CHAR = /^[\p{L}\p{N}⟨⟩]$/u;
const WORD = 1;
const SPACE = 2;

function unitClass(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdfff) {
    // A surrogate pair is one code point, never whitespace (a lone surrogate is no letter either).
    return WORD_CHAR.test(text.slice(i, i + 2)) ? WORD : 0;
  }
  if (unitClasses === null) {
    unitClasses = new Uint8Array(65536);
    for (let u = 0; u < 65536; u++) {
      if (u >= 0xd800 && u <= 0xdfff) continue;
      const ch = String.fromCharCode(u);
      unitClasses[u] = WORD_CHAR.test(ch) ? WORD : /^\s$/u.test(ch) ? SPACE : 0;
    }
  }
  return unitClasses[c]!;
}

const SENTENCE_CLOSERS = '.!?…';

/**
 * A template's key for exact lookups, and where its sentences' keys start and end in it. The key keeps
 * the letters, digits and slots and turns every other run of characters into one space (none at the
 * ends), so punctuation and spacing are ignored. A sentence ends at whitespace after `.`, `!`, `?` or
 * `…`; a sentence without letters or digits has no key. The key of a run of sentences is the part of
 * the key from the start of its first sentence's key to the end of its last.
 */
export function sentenceKeys(template: string): { key: string; starts: number[]; ends: number[] } {
  const words: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let length = 0;
  let inSentence = false;
  for (let i = 0; i < template.length; ) {
    const cls = unitClass(template, i);
    if (cls !== WORD) {
      if (cls === SPACE && inSentence && i > 0 && SENTENCE_CLOSERS.includes(template[i - 1]!)) {
        ends.push(length);
        inSentence = false;
      }
      i++;
      continue;
    }
    let end = i;
    while (end < template.length && unitClass(template, end) === WORD) end += isHighSurrogate(template.charCodeAt(end)) ? 2 : 1;
    if (words.length > 0) length++;
    if (!inSentence) {
      starts.push(length);
      inSentence = true;
    }
    words.push(template.slice(i, end));
    length += end - i;
    i = end;
  }
  if (inSentence) ends.push(length);
  return { key: words.join(' '), starts, ends };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function truncate(s: string, n = 80): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
