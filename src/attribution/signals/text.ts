// Near-duplicate and template text. Messages are reduced to their template (canonical text with
// URLs, handles, numbers and names as slots); identical templates are grouped; MinHash/LSH over
// the distinct templates finds similar ones without comparing all pairs; every candidate is then
// verified exactly: containment of template shingles (template-text) and Jaccard of canonical
// shingles (near-duplicate-text).
//
// Commonness: the holders of a template are the identities that wrote it or a template verified
// similar to it (its direct neighbours, never the transitive chain: a chain of small variations
// would otherwise join a rare threat to a common greeting). A template whose neighbourhood holds more
// than maxDf identities is common content and produces nothing.
import type { AttributionInput, AttributionMessage, Evidence, EvidenceType } from '../types.js';
import { canonicalText, containment, jaccard, shingleSet, templateText } from '../text.js';
import { lshCandidates, signature } from '../minhash.js';
import { makeEvidence, sortedPair, type EvidenceContext } from '../evidence.js';

const TEXT_KINDS = new Set(['text', 'media']);
/** Messages per side compared when choosing the best pair for the ledger. */
const SAMPLE = 3;
/** An LSH bucket with more distinct templates than this is common content. */
const MAX_BUCKET = 64;

interface TemplateGroup {
  template: string;
  shingles: Uint32Array;
  /** Indexes into the eligible message list. */
  messages: number[];
  /** Sender → message indexes, filled once the groups are complete. */
  bySender: Map<string, number[]>;
}

export function textEvidence(
  input: AttributionInput,
  eligible: Set<string>,
  ctx: EvidenceContext,
  stats: Partial<Record<string, number>> = {},
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
      group = { template, shingles: shingleSet(template, p.shingleK), messages: [], bySender: new Map() };
      groupsByTemplate.set(template, group);
      groups.push(group);
    }
    group.messages.push(index);
  });
  templateCache.clear();
  for (const g of groups) {
    for (const idx of g.messages) {
      const sender = messages[idx]!.sender;
      const list = g.bySender.get(sender);
      if (list) list.push(idx);
      else g.bySender.set(sender, [idx]);
    }
  }

  const signatures = groups.map((g) => signature(g.shingles, p.minhashBins));
  const { pairs, crowded } = lshCandidates(signatures, { bands: p.lshBands, rows: p.lshRows, minHits: p.lshMinHits }, MAX_BUCKET);
  signatures.length = 0;
  const verified: [number, number, number][] = [];
  const neighbours: number[][] = groups.map(() => []);
  for (const [i, j] of pairs) {
    // Pairs within one sender's own templates say nothing about anyone else.
    const gi = groups[i]!;
    const gj = groups[j]!;
    if (gi.bySender.size === 1 && gj.bySender.size === 1 && gi.bySender.keys().next().value === gj.bySender.keys().next().value) continue;
    const c = containment(gi.shingles, gj.shingles);
    if (c >= p.templateContainment) {
      verified.push([i, j, c]);
      neighbours[i]!.push(j);
      neighbours[j]!.push(i);
    }
  }
  stats.textEligibleMessages = messages.length;
  stats.textTemplates = groups.length;
  stats.textCandidatePairs = pairs.length;
  stats.textVerifiedPairs = verified.length;
  stats.textCrowdedTemplates = crowded.size;

  // Holders of each template: its own senders and those of its direct neighbours.
  const holdersOf = (i: number): string[] | null => {
    const set = new Set(groups[i]!.bySender.keys());
    for (const j of neighbours[i]!) {
      for (const s of groups[j]!.bySender.keys()) set.add(s);
      if (set.size > p.maxDf) return null;
    }
    return set.size > p.maxDf ? null : [...set].sort();
  };
  const holders: (string[] | null | undefined)[] = new Array(groups.length);
  const holdersFor = (i: number): string[] | null => (holders[i] === undefined ? (holders[i] = holdersOf(i)) : holders[i]!);

  const canonicalCache = new Map<number, { text: string; shingles: Uint32Array }>();
  const canonical = (idx: number) => {
    let hit = canonicalCache.get(idx);
    if (!hit) {
      const text = canonicalText(messages[idx]!.text);
      hit = { text, shingles: shingleSet(text, p.shingleK) };
      canonicalCache.set(idx, hit);
    }
    return hit;
  };

  const evidence: Evidence[] = [];
  const emit = (leftIndex: number, rightIndex: number, similarity: number): void => {
    const left = groups[leftIndex]!;
    const right = groups[rightIndex]!;
    if (leftIndex === rightIndex && left.bySender.size < 2) return;
    const lh = holdersFor(leftIndex);
    const rh = leftIndex === rightIndex ? lh : holdersFor(rightIndex);
    if (lh === null || rh === null) return;
    const itemHolders = leftIndex === rightIndex ? lh : [...new Set([...lh, ...rh])].sort();
    if (itemHolders.length > p.maxDf) return;
    const item = `text:${Math.min(leftIndex, rightIndex)}`;
    const seen = new Set<string>();
    for (const x of left.bySender.keys()) {
      for (const y of right.bySender.keys()) {
        if (x === y) continue;
        const [a, b] = sortedPair(x, y);
        const key = `${a}\u0000${b}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // The strongest message pair across the two sides decides near-duplicate vs template.
        let best = { jaccard: 0, refs: [] as string[] };
        for (const [u, v] of [
          [a, b],
          [b, a],
        ] as const) {
          for (const i of (left.bySender.get(u) ?? []).slice(0, SAMPLE)) {
            for (const j of (right.bySender.get(v) ?? []).slice(0, SAMPLE)) {
              const ci = canonical(i);
              const cj = canonical(j);
              const short = Math.min(ci.text.length, cj.text.length) < p.nearDuplicateMinChars;
              const score = short ? 0 : jaccard(ci.shingles, cj.shingles);
              if (score > best.jaccard || best.refs.length === 0) best = { jaccard: score, refs: [messages[i]!.id, messages[j]!.id].sort() };
            }
          }
        }
        const type: EvidenceType = best.jaccard >= p.nearDuplicateJaccard ? 'near-duplicate-text' : 'template-text';
        const detail =
          type === 'near-duplicate-text'
            ? `near-duplicate text: Jaccard ${best.jaccard.toFixed(2)} of ${p.shingleK}-character shingles after normalisation (threshold ${p.nearDuplicateJaccard})`
            : `same template: containment ${similarity.toFixed(2)} after masking names, numbers and links (threshold ${p.templateContainment}): "${truncate(left.template)}"`;
        evidence.push(makeEvidence(type, [a, b], itemHolders, item, detail, best.refs, ctx));
      }
    }
  };
  groups.forEach((_, i) => emit(i, i, 1));
  for (const [i, j, c] of verified) emit(i, j, c);
  return evidence;
}

function truncate(s: string, n = 80): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
