// Co-timing: different identities writing to different victims within seconds of each other, more
// than once. Weak alone (busy hours make coincidences), useful beside other families.
import type { AttributionInput, Evidence } from '../types.js';
import { AGAINST, roundBits, sortedPair, type EvidenceContext } from '../evidence.js';

/** Neighbours looked at after each message: bounds the work in bursts of thousands. */
const MAX_NEIGHBOURS = 64;

export function timingEvidence(input: AttributionInput, eligible: Set<string>, ctx: EvidenceContext): Evidence[] {
  const p = ctx.params;
  const window = p.coTimingSeconds * 1000;
  const timed = input.messages
    .filter((m) => m.at !== null && eligible.has(m.sender) && m.kind !== 'service')
    .sort((a, b) => a.at! - b.at! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // pair → events (one per window slot), each event keeps its two message ids
  const events = new Map<string, Map<number, [string, string]>>();
  for (let i = 0; i < timed.length; i++) {
    const m = timed[i]!;
    for (let j = i + 1; j < timed.length && j <= i + MAX_NEIGHBOURS; j++) {
      const n = timed[j]!;
      if (n.at! - m.at! > window) break;
      if (n.sender === m.sender || n.victim === m.victim) continue;
      const [a, b] = sortedPair(m.sender, n.sender);
      const key = `${a}\u0000${b}`;
      const slot = Math.floor(m.at! / window);
      const perPair = events.get(key) ?? new Map<number, [string, string]>();
      if (!perPair.has(slot)) perPair.set(slot, [m.id, n.id]);
      events.set(key, perPair);
    }
  }
  const out: Evidence[] = [];
  for (const key of [...events.keys()].sort()) {
    const slots = events.get(key)!;
    if (slots.size < p.coTimingMin) continue;
    const [a, b] = key.split('\u0000') as [string, string];
    // Each co-timed event is one item; repeats saturate when the pair is scored.
    for (const [slot, ids] of [...slots].sort((x, y) => x[0] - y[0])) {
      out.push({
        type: 'co-timing',
        between: [a, b],
        weight: roundBits(p.bits['co-timing']),
        bits: p.bits['co-timing'],
        commonness: 1,
        df: 2,
        item: `slot:${slot}`,
        detail: `${slots.size} times within ${p.coTimingSeconds} s to different victims (this one at ${new Date(slot * window).toISOString().slice(0, 16)}Z)`,
        refs: ids.slice().sort(),
        against: AGAINST['co-timing'],
      });
    }
  }
  return out;
}
