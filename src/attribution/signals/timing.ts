// Co-timing: different identities writing to different victims within seconds of each other, more
// than once. Weak alone (busy hours make coincidences), useful beside other families.
//
// Coincidences are collected as packed numbers (pair of sender ids, window slot) in a typed array,
// sorted and counted, so millions of messages cost no per-coincidence objects; only pairs that
// coincide in at least `coTimingMin` windows become evidence.
import type { AttributionInput, Evidence } from '../types.js';
import { makeEvidence, sortedPair, type EvidenceContext } from '../evidence.js';

/** Neighbours looked at after each message: bounds the work in bursts of thousands. */
const MAX_NEIGHBOURS = 64;

export function timingEvidence(input: AttributionInput, eligible: Set<string>, ctx: EvidenceContext): Evidence[] {
  const p = ctx.params;
  const window = p.coTimingSeconds * 1000;
  const timed = input.messages
    .filter((m) => m.at !== null && eligible.has(m.sender) && m.kind !== 'service')
    .sort((a, b) => a.at! - b.at! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const senderIds = new Map<string, number>();
  const senders: string[] = [];
  const victimIds = new Map<string, number>();
  const sender = new Uint32Array(timed.length);
  const victim = new Uint32Array(timed.length);
  const at = new Float64Array(timed.length);
  timed.forEach((m, i) => {
    let s = senderIds.get(m.sender);
    if (s === undefined) {
      s = senders.length;
      senderIds.set(m.sender, s);
      senders.push(m.sender);
    }
    let v = victimIds.get(m.victim);
    if (v === undefined) victimIds.set(m.victim, (v = victimIds.size));
    sender[i] = s;
    victim[i] = v;
    at[i] = m.at!;
  });
  const n = senders.length;
  // Coincidences: the pair of sender ids (lo * n + hi, exact in a double) and the message pair.
  let pairOf = new Float64Array(1024);
  let firsts = new Uint32Array(2048);
  let count = 0;
  for (let i = 0; i < timed.length; i++) {
    for (let j = i + 1; j < timed.length && j <= i + MAX_NEIGHBOURS; j++) {
      if (at[j]! - at[i]! > window) break;
      if (sender[j] === sender[i] || victim[j] === victim[i]) continue;
      if (count === pairOf.length) {
        const p2 = new Float64Array(pairOf.length * 2);
        p2.set(pairOf);
        pairOf = p2;
        const f2 = new Uint32Array(firsts.length * 2);
        f2.set(firsts);
        firsts = f2;
      }
      pairOf[count] = Math.min(sender[i]!, sender[j]!) * n + Math.max(sender[i]!, sender[j]!);
      firsts[2 * count] = i;
      firsts[2 * count + 1] = j;
      count++;
    }
  }
  // Group coincidences by pair, keeping scan (time) order within a pair.
  const order = new Uint32Array(count);
  for (let k = 0; k < count; k++) order[k] = k;
  order.sort((x, y) => pairOf[x]! - pairOf[y]! || x - y);
  const out: Evidence[] = [];
  for (let start = 0; start < order.length; ) {
    const pair = pairOf[order[start]!]!;
    let end = start;
    while (end < order.length && pairOf[order[end]!]! === pair) end++;
    // One event per window slot.
    const slots = new Map<number, [number, number]>();
    for (let k = start; k < end; k++) {
      const c = order[k]!;
      const i = firsts[2 * c]!;
      const slot = Math.floor(at[i]! / window);
      if (!slots.has(slot)) slots.set(slot, [i, firsts[2 * c + 1]!]);
    }
    start = end;
    if (slots.size < p.coTimingMin) continue;
    const [a, b] = sortedPair(senders[Math.floor(pair / n)]!, senders[pair % n]!);
    const holders = [a, b];
    for (const [slot, [i, j]] of [...slots].sort((x, y) => x[0] - y[0])) {
      out.push(
        makeEvidence(
          'co-timing',
          [a, b],
          holders,
          `slot:${slot}`,
          `${slots.size} times within ${p.coTimingSeconds} s to different victims (this one at ${new Date(slot * window).toISOString().slice(0, 16)}Z)`,
          [timed[i]!.id, timed[j]!.id].sort(),
          ctx,
        ),
      );
    }
  }
  return out.sort((x, y) => (x.between[0] < y.between[0] ? -1 : x.between[0] > y.between[0] ? 1 : x.between[1] < y.between[1] ? -1 : x.between[1] > y.between[1] ? 1 : x.item < y.item ? -1 : 1));
}
