// Co-timing: different identities writing to different victims within seconds of each other, in
// more than one episode. Weak alone (busy hours make coincidences), useful beside other families.
// Forwarded messages take no part: forwarding says nothing about when the author wrote.
//
// Coincidences (two messages of the pair within `coTimingSeconds`) are collected as packed numbers
// in typed arrays, sorted and counted, so millions of messages cost no per-coincidence objects. A
// pair's coincidences are then grouped into episodes with a sliding window: a coincidence starting
// more than `coTimingSeconds` after the previous one opens a new episode. One burst that straddles
// a minute boundary is one episode, never two; only pairs with at least `coTimingMin` episodes
// become evidence, one piece per episode.
import type { AttributionInput, Evidence } from '../types.js';
import { makeEvidence, sortedPair, type EvidenceContext } from '../evidence.js';

export function timingEvidence(input: AttributionInput, eligible: Set<string>, ctx: EvidenceContext): Evidence[] {
  const p = ctx.params;
  const window = p.coTimingSeconds * 1000;
  const timed = input.messages
    .filter((m) => m.at !== null && eligible.has(m.sender) && m.kind !== 'service' && !m.forwarded)
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
    for (let j = i + 1; j < timed.length && j <= i + p.coTimingMaxNeighbours; j++) {
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
    // Episodes: coincidences in time order (the scan order), a gap of more than the window apart.
    const episodes: { first: number; second: number; count: number }[] = [];
    let last = -Infinity;
    for (let k = start; k < end; k++) {
      const c = order[k]!;
      const i = firsts[2 * c]!;
      if (at[i]! - last > window) episodes.push({ first: i, second: firsts[2 * c + 1]!, count: 0 });
      episodes[episodes.length - 1]!.count++;
      last = at[i]!;
    }
    start = end;
    if (episodes.length < p.coTimingMin) continue;
    const [a, b] = sortedPair(senders[Math.floor(pair / n)]!, senders[pair % n]!);
    const holders = [a, b];
    for (const { first, second, count } of episodes) {
      const when = new Date(at[first]!).toISOString().replace(/\.\d{3}Z$/, 'Z');
      out.push(
        makeEvidence(
          'co-timing',
          [a, b],
          holders,
          `episode:${when}`,
          `${episodes.length} episodes of writing to different victims within ${p.coTimingSeconds} s (this one at ${when}, ${count} coincidence${count === 1 ? '' : 's'})`,
          [timed[first]!.id, timed[second]!.id].sort(),
          ctx,
        ),
      );
    }
  }
  return out.sort((x, y) => (x.between[0] < y.between[0] ? -1 : x.between[0] > y.between[0] ? 1 : x.between[1] < y.between[1] ? -1 : x.between[1] > y.between[1] ? 1 : x.item < y.item ? -1 : 1));
}
