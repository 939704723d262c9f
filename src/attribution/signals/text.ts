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
import type { AttributionInput, AttributionMessage, ClusterParams, Evidence, EvidenceType } from '../types.js';
import { canonicalText, containment, jaccard, shingleSet, templateText } from '../text.js';
import { bandHashes, lshCandidatesFromBands } from '../minhash.js';
import { makeEvidence, type EvidenceContext } from '../evidence.js';

const TEXT_KINDS = new Set(['text', 'media']);
/** Where a masked template splits into sentences. */
const SENTENCE_END = /(?<=[.!?…])\s+/u;

interface TemplateGroup {
  template: string;
  shingles: Uint32Array;
  /** The senders who wrote the template, in order of first message, and their message indexes (into the eligible list). */
  senders: string[];
  bySender: number[][];
  /** Sender → position in `senders`, while the groups are built, once a group has many senders. */
  index?: Map<string, number>;
}

/** Message indexes of one sender in a group (empty when the sender did not write it). */
function indexesOf(g: TemplateGroup, sender: string): number[] {
  const k = g.senders.indexOf(sender);
  return k < 0 ? [] : g.bySender[k]!;
}

/**
 * Leaving out text evidence that cannot matter: between two accounts whose evidence, counted at full
 * weight and without saturation (other signals' bits plus 5 bits per text item), cannot reach a
 * candidate link. The clustering would set such a pair aside unscored anyway; not building its
 * evidence saves most of the work on large cases, where unrelated people share a sentence by chance.
 */
export interface TextPruning {
  /** A number for the pair of accounts of two identities, or -1 when they are one account (always kept). */
  pairOf: (x: string, y: string) => number;
  /** Whether a pair of accounts with this many text items (an upper bound) can matter. */
  worth: (pair: number, textItems: number) => boolean;
  /** A pair kept whatever its worth (explain KEY KEY shows all the evidence between two accounts). */
  focus: number | null;
  /** Out: the evidence kept only because of `focus`. */
  keptForFocus: Evidence[];
}

export function textEvidence(
  input: AttributionInput,
  eligible: Set<string>,
  ctx: EvidenceContext,
  stats: Partial<Record<string, number>> = {},
  pruning: TextPruning | null = null,
): Evidence[] {
  const p = ctx.params;
  const messages: AttributionMessage[] = input.messages.filter(
    (m) => eligible.has(m.sender) && !m.forwarded && TEXT_KINDS.has(m.kind) && m.text.length >= p.templateMinChars,
  );
  const templateCache = new Map<string, string>();
  const groupsByTemplate = new Map<string, TemplateGroup>();
  const groups: TemplateGroup[] = [];
  messages.forEach((m, index) => {
    let template = templateCache.get(m.text);
    if (template === undefined) {
      template = templateText(m.text);
      templateCache.set(m.text, template);
    }
    if (template.length < p.templateMinChars) return;
    let group = groupsByTemplate.get(template);
    if (!group) {
      group = { template, shingles: shingleSet(template, p.shingleK), senders: [], bySender: [] };
      groupsByTemplate.set(template, group);
      groups.push(group);
    }
    const k = group.index ? (group.index.get(m.sender) ?? -1) : group.senders.indexOf(m.sender);
    if (k >= 0) group.bySender[k]!.push(index);
    else {
      group.senders.push(m.sender);
      group.bySender.push([index]);
      if (group.index) group.index.set(m.sender, group.senders.length - 1);
      else if (group.senders.length > 16) group.index = new Map(group.senders.map((x, i) => [x, i]));
    }
  });
  templateCache.clear();
  groupsByTemplate.clear();
  for (const g of groups) delete g.index;

  const pairs = templateCandidates(groups, p);
  const verified: [number, number, number][] = [];
  const neighbours: number[][] = groups.map(() => []);
  for (const [i, j] of pairs.pairs) {
    // Pairs within one sender's own templates say nothing about anyone else.
    const gi = groups[i]!;
    const gj = groups[j]!;
    if (gi.senders.length === 1 && gj.senders.length === 1 && gi.senders[0] === gj.senders[0]) continue;
    const c = containment(gi.shingles, gj.shingles);
    if (c >= p.templateContainment) {
      verified.push([i, j, c]);
      neighbours[i]!.push(j);
      neighbours[j]!.push(i);
    }
  }
  stats.textEligibleMessages = messages.length;
  stats.textTemplates = groups.length;
  stats.textCandidatePairs = pairs.pairs.length;
  stats.textSentenceRuns = pairs.sentenceRuns;
  stats.textVerifiedPairs = verified.length;
  stats.textCrowdedTemplates = pairs.crowded;

  // Holders of each template: its own senders and those of its direct neighbours.
  const holdersOf = (i: number): string[] | null => {
    const set = new Set(groups[i]!.senders);
    for (const j of neighbours[i]!) {
      for (const s of groups[j]!.senders) set.add(s);
      if (set.size > p.maxHolders) return null;
    }
    return set.size > p.maxHolders ? null : [...set].sort();
  };
  const holders: (string[] | null | undefined)[] = new Array(groups.length);
  const holdersFor = (i: number): string[] | null => (holders[i] === undefined ? (holders[i] = holdersOf(i)) : holders[i]!);

  const canonicalCache = new Map<number, { length: number; shingles: Uint32Array }>();
  const canonical = (idx: number) => {
    let hit = canonicalCache.get(idx);
    if (!hit) {
      const text = canonicalText(messages[idx]!.text);
      hit = { length: text.length, shingles: shingleSet(text, p.shingleK) };
      canonicalCache.set(idx, hit);
    }
    return hit;
  };

  const evidence: Evidence[] = [];
  // Text items per pair of accounts (an upper bound: one per template pair the two accounts share).
  const itemsPerPair = new Map<number, number>();
  let pruned = 0;
  const emit = (leftIndex: number, rightIndex: number, similarity: number, counting: boolean): void => {
    const left = groups[leftIndex]!;
    const right = groups[rightIndex]!;
    if (leftIndex === rightIndex && left.senders.length < 2) return;
    const lh = holdersFor(leftIndex);
    const rh = leftIndex === rightIndex ? lh : holdersFor(rightIndex);
    if (lh === null || rh === null) return;
    // The item is the template with the larger neighbourhood of the two: its holders (shared by all
    // its evidence) include both sides, since each is the other's neighbour.
    const [itemIndex, itemHolders] = rh.length > lh.length || (rh.length === lh.length && rightIndex < leftIndex) ? [rightIndex, rh] : [leftIndex, lh];
    const item = `text:${itemIndex}`;
    // Each pair of senders once (two senders can meet twice when both wrote both templates).
    const seen = left.senders.length > 1 && right.senders.length > 1 ? new Set<string>() : null;
    for (const x of left.senders) {
      for (const y of right.senders) {
        if (x === y) continue;
        const [a, b] = x < y ? [x, y] : [y, x];
        if (seen) {
          const key = `${a}\u0000${b}`;
          if (seen.has(key)) continue;
          seen.add(key);
        }
        let forFocus = false;
        if (pruning) {
          const pair = pruning.pairOf(a, b);
          if (counting) {
            if (pair >= 0) itemsPerPair.set(pair, (itemsPerPair.get(pair) ?? 0) + 1);
            continue;
          }
          if (pair >= 0 && !pruning.worth(pair, itemsPerPair.get(pair) ?? 0)) {
            if (pair !== pruning.focus) {
              pruned++;
              continue;
            }
            forFocus = true;
          }
        }
        // The strongest message pair across the two sides decides near-duplicate vs template.
        let best = { jaccard: 0, refs: [] as string[] };
        for (const [u, v] of [
          [a, b],
          [b, a],
        ] as const) {
          for (const i of indexesOf(left, u).slice(0, p.textSample)) {
            for (const j of indexesOf(right, v).slice(0, p.textSample)) {
              const ci = canonical(i);
              const cj = canonical(j);
              const short = Math.min(ci.length, cj.length) < p.nearDuplicateMinChars;
              const score = short ? 0 : jaccard(ci.shingles, cj.shingles);
              if (score > best.jaccard || best.refs.length === 0) best = { jaccard: score, refs: [messages[i]!.id, messages[j]!.id].sort() };
            }
          }
        }
        const type: EvidenceType = best.jaccard >= p.nearDuplicateJaccard ? 'near-duplicate-text' : 'template-text';
        const detail =
          type === 'near-duplicate-text'
            ? `near-duplicate text: Jaccard ${best.jaccard.toFixed(2)} of ${p.shingleK}-character shingles after normalisation (threshold ${p.nearDuplicateJaccard}): "${truncate(groups[itemIndex]!.template)}"`
            : `same template: containment ${similarity.toFixed(2)} after masking names, numbers and links (threshold ${p.templateContainment}): "${truncate(left.template)}"`;
        const piece = makeEvidence(type, [a, b], itemHolders, item, detail, best.refs, ctx);
        evidence.push(piece);
        if (forFocus) pruning!.keptForFocus.push(piece);
      }
    }
  };
  if (pruning) {
    groups.forEach((_, i) => emit(i, i, 1, true));
    for (const [i, j, c] of verified) emit(i, j, c, true);
  }
  groups.forEach((_, i) => emit(i, i, 1, false));
  for (const [i, j, c] of verified) emit(i, j, c, false);
  stats.textPrunedPairs = pruned;
  return evidence;
}

/** A text's key for exact lookups: letters, digits and slots, punctuation and spacing ignored. */
function sentenceKey(text: string): string {
  return text.replace(NOT_WORD, ' ').trim();
}
const NOT_WORD = /[^\p{L}\p{N}⟨⟩]+/gu;

/**
 * Keys of the contiguous runs of sentences shorter than the whole text (all runs up to 6 sentences,
 * else prefixes and suffixes), built from the keys of the sentences.
 */
function runKeys(sentenceKeys: string[]): string[] {
  const k = sentenceKeys.length;
  const runs: string[] = [];
  for (let from = 0; from < k; from++) {
    for (let to = from + 1; to <= k; to++) {
      if (to - from === k) continue;
      if (k > 6 && from !== 0 && to !== k) continue;
      runs.push(sentenceKeys.slice(from, to).join(' '));
    }
  }
  return runs;
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
  groups: readonly { template: string; shingles: Uint32Array }[],
  p: ClusterParams,
): { pairs: [number, number][]; crowded: number; sentenceRuns: number } {
  const banding = { bands: p.lshBands, rows: p.lshRows, minHits: p.lshMinHits };
  const lsh = lshCandidatesFromBands(
    bandHashes(
      groups.map((g) => g.shingles),
      p.minhashBins,
      banding,
    ),
    groups.length,
    banding,
    p.lshMaxBucket,
  );
  const n = groups.length;
  let keys = new Float64Array(Math.max(1024, lsh.pairs.length * 2));
  let count = 0;
  const add = (i: number, j: number): void => {
    if (i === j) return;
    if (count === keys.length) {
      const bigger = new Float64Array(keys.length * 2);
      bigger.set(keys);
      keys = bigger;
    }
    keys[count++] = Math.min(i, j) * n + Math.max(i, j);
  };
  for (const [i, j] of lsh.pairs) add(i, j);
  // Whole templates by key, and the sentence runs of templates with several sentences.
  // The key of a run of sentences is the keys of its sentences joined by a space: each sentence is
  // keyed once.
  const wholeByKey = new Map<string, number[]>();
  const sentenceKeys: (string[] | null)[] = groups.map((g, i) => {
    const sentences = g.template.split(SENTENCE_END);
    const keys = sentences.length < 2 ? null : sentences.map(sentenceKey).filter((k) => k !== '');
    const key = keys === null ? sentenceKey(g.template) : keys.join(' ');
    const list = wholeByKey.get(key);
    if (list) list.push(i);
    else wholeByKey.set(key, [i]);
    return keys !== null && keys.length >= 2 ? keys : null;
  });
  const runsByKey = new Map<string, number[]>();
  let runCount = 0;
  sentenceKeys.forEach((keys, i) => {
    if (keys === null) return;
    for (const key of runKeys(keys)) {
      if (key.length < p.templateMinChars || !wholeByKey.has(key)) continue;
      runCount++;
      const list = runsByKey.get(key);
      if (list) {
        if (list[list.length - 1] !== i) list.push(i);
      } else runsByKey.set(key, [i]);
    }
  });
  let crowded = 0;
  for (const [key, holders] of runsByKey) {
    const wholes = wholeByKey.get(key)!;
    if (holders.length + wholes.length > p.lshMaxBucket) {
      crowded += holders.length;
      continue;
    }
    for (const i of holders) for (const j of wholes) add(i, j);
  }
  // Templates that differ only in punctuation and spacing.
  for (const wholes of wholeByKey.values()) {
    if (wholes.length < 2 || wholes.length > p.lshMaxBucket) continue;
    for (let x = 0; x < wholes.length; x++) for (let y = x + 1; y < wholes.length; y++) add(wholes[x]!, wholes[y]!);
  }
  const sorted = keys.subarray(0, count).sort();
  const pairs: [number, number][] = [];
  for (let k = 0; k < sorted.length; k++) {
    if (k > 0 && sorted[k] === sorted[k - 1]) continue;
    const i = Math.floor(sorted[k]! / n);
    pairs.push([i, sorted[k]! - i * n]);
  }
  return { pairs, crowded: lsh.crowded.size + crowded, sentenceRuns: runCount };
}

function truncate(s: string, n = 80): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
