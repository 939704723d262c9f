// Near-duplicate and template text. Messages are reduced to their template (canonical text with
// URLs, handles, numbers and names as slots); identical templates are grouped; MinHash/LSH over
// the distinct templates finds similar ones without comparing all pairs; every candidate is then
// verified exactly: containment of template shingles (template-text) and Jaccard of canonical
// shingles (near-duplicate-text). A family of similar templates shown by many identities is
// common content (a chain message, a greeting) and is discounted by its document frequency.
import type { AttributionInput, AttributionMessage, Evidence, EvidenceType } from '../types.js';
import { canonicalText, containment, jaccard, shingleSet, templateText } from '../text.js';
import { lshCandidates, signature } from '../minhash.js';
import { accountCount, evidenceFromItem, roundBits, type EvidenceContext } from '../evidence.js';
import { UnionFind } from '../unionfind.js';

const TEXT_KINDS = new Set(['text', 'media']);
/** Messages per side compared when choosing the best pair for the ledger. */
const SAMPLE = 6;

interface TemplateGroup {
  template: string;
  shingles: Uint32Array;
  /** Indexes into the eligible message list. */
  messages: number[];
}

export interface TextStats {
  eligibleMessages: number;
  templates: number;
  candidatePairs: number;
  verifiedPairs: number;
  crowdedTemplates: number;
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
      group = { template, shingles: shingleSet(template, p.shingleK), messages: [] };
      groupsByTemplate.set(template, group);
      groups.push(group);
    }
    group.messages.push(index);
  });

  const signatures = groups.map((g) => signature(g.shingles, p.minhashBins));
  const { pairs, crowded } = lshCandidates(signatures, { bands: p.lshBands, rows: p.lshRows }, 200);
  const verified: [number, number, number][] = [];
  for (const [i, j] of pairs) {
    const c = containment(groups[i]!.shingles, groups[j]!.shingles);
    if (c >= p.templateContainment) verified.push([i, j, c]);
  }
  stats.textEligibleMessages = messages.length;
  stats.textTemplates = groups.length;
  stats.textCandidatePairs = pairs.length;
  stats.textVerifiedPairs = verified.length;
  stats.textCrowdedTemplates = crowded.size;

  // Families of similar templates: their identity count is the document frequency.
  const families = new UnionFind();
  groups.forEach((_, i) => families.add(String(i)));
  for (const [i, j] of verified) families.union(String(i), String(j));
  const familyDf = new Map<string, Set<string>>();
  groups.forEach((g, i) => {
    const root = families.find(String(i));
    const set = familyDf.get(root) ?? new Set<string>();
    for (const idx of g.messages) set.add(messages[idx]!.sender);
    familyDf.set(root, set);
  });

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
    const df = accountCount(familyDf.get(families.find(String(leftIndex)))!, ctx);
    const leftBy = bySender(left, messages);
    const rightBy = bySender(right, messages);
    const byIdentity = new Map<string, string[]>();
    for (const [k, v] of [...leftBy, ...rightBy]) byIdentity.set(k, [...(byIdentity.get(k) ?? []), ...v.map((i) => messages[i]!.id)]);
    const base = evidenceFromItem(
      (a, b) => ((leftBy.has(a) && rightBy.has(b)) || (leftBy.has(b) && rightBy.has(a)) ? 'template-text' : null),
      { byIdentity, df, item: `text:${families.find(String(leftIndex))}`, detail: '' },
      ctx,
    );
    for (const e of base) {
      // The strongest message pair across the two sides decides near-duplicate vs template.
      const [a, b] = e.between;
      let best = { jaccard: 0, refs: [] as string[] };
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        // A few messages per side suffice: they share one template already.
        for (const i of (leftBy.get(x) ?? []).slice(0, SAMPLE)) {
          for (const j of (rightBy.get(y) ?? []).slice(0, SAMPLE)) {
            const ci = canonical(i);
            const cj = canonical(j);
            const s = jaccard(ci.shingles, cj.shingles);
            const short = Math.min(ci.text.length, cj.text.length) < p.nearDuplicateMinChars;
            const score = short ? 0 : s;
            if (score > best.jaccard || best.refs.length === 0) best = { jaccard: score, refs: [messages[i]!.id, messages[j]!.id].sort() };
          }
        }
      }
      const type: EvidenceType = best.jaccard >= p.nearDuplicateJaccard ? 'near-duplicate-text' : 'template-text';
      const bits = p.bits[type];
      evidence.push({
        ...e,
        type,
        bits,
        weight: roundBits(bits * e.commonness),
        refs: best.refs,
        detail:
          type === 'near-duplicate-text'
            ? `near-duplicate text: Jaccard ${best.jaccard.toFixed(2)} of ${p.shingleK}-character shingles after normalisation (threshold ${p.nearDuplicateJaccard})`
            : `same template: containment ${similarity.toFixed(2)} after masking names, numbers and links (threshold ${p.templateContainment}): "${truncate(left.template)}"`,
        against: e.against,
      });
    }
  };
  groups.forEach((_, i) => emit(i, i, 1));
  for (const [i, j, c] of verified) emit(i, j, c);
  return evidence;
}

function bySender(group: TemplateGroup, messages: AttributionMessage[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const idx of group.messages) {
    const sender = messages[idx]!.sender;
    const list = out.get(sender) ?? [];
    list.push(idx);
    out.set(sender, list);
  }
  return out;
}

function truncate(s: string, n = 80): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
