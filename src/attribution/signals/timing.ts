// Co-timing: two accounts writing to different victims within seconds of each other, in more than
// one episode, weighed against what chance gives these two accounts (null-model.ts). Forwarded
// messages take no part: forwarding says nothing about when the author wrote.
//
// Coincidences (two messages of the pair within `coTimingSeconds`, to different victims) are
// collected as packed numbers in typed arrays, sorted and counted, so millions of messages cost no
// per-coincidence objects. A pair's coincidences are grouped into episodes with a sliding window: a
// coincidence starting more than the window after the previous one opens a new episode, so one burst
// is one episode.
//
// Chance: for each message of one account, the other account's rate of writing around that moment
// (its own messages within ±coTimingRateHours, or, when that is higher, its messages spread over the
// case's period as the case's whole traffic is: everyone writes at New Year's midnight) times the
// window as both clocks resolve it gives the expected number of coincidences, λ (the larger of the
// two directions). The spread is over the whole case, not the other account's own span: two
// accounts that were active in the same twenty minutes have not explained their coincidence by it.
// Episodes are fewer than coincidences, so counting them against λ errs towards chance.
import type { AttributionInput, Evidence, EvidenceContext } from '../types.js';
import { makeEvidence, roundBits, sortedPair } from '../evidence.js';
import { effectiveWindow, poissonTailBits } from '../null-model.js';
import { fmtExpected, pairNumber, roundExpected } from '../shared-items.js';
import { defineSignal, type PairsFound, type PairsPhase } from './signal.js';
import { groupBy, IntList } from '../intlists.js';

// This signal's families and evidence types (each with its family), as the model knows them.
declare module '../types.js' {
  interface Families {
    timing: true;
  }
  interface EvidenceTypes {
    'co-timing': 'timing';
  }
}

export const timingSignal = defineSignal({
  name: 'timing',
  phase: 'pairs',
  pairs: timingFound,
  families: { timing: { weighedBy: 'null-model', content: false, candidateAlone: false } },
  types: {
    'co-timing': {
      family: 'timing',
      bits: 2,
      against: 'busy hours and scheduled events make unrelated senders write at the same minute; timing is weak alone',
    },
  },
  method: {
    nullModel:
      "episodes (coincidences within the window to different victims, a gap of more than the window apart) against λ = Σ over each message of one account of the other's rate (its messages within ±coTimingRateHours less those within the window, or its share of the case's traffic in that ten-minute bin less both accounts' own, whichever is higher) × the window as both clocks resolve it; the larger direction; bits = -log2 P(Poisson(λ) >= episodes), capped at maxNullBits",
    algorithm: 'coincidences within the window to different victims, grouped into episodes by a sliding window; forwarded messages excluded',
  },
});

/** Co-timing between two accounts: its episodes as evidence, and what chance would give them. */
export interface TimingPair {
  /** Account roots, sorted. */
  accounts: [string, string];
  /** One piece per episode (between the identities that wrote its first coincidence). */
  episodes: Evidence[];
  /** Coincidences expected by chance for these two accounts (λ). */
  expected: number;
  /** Seconds the two clocks resolve (60 when either writes whole minutes only). */
  resolution: number;
  /** Messages of each account that took part, for the ledger. */
  volumes: [number, number];
}

/** Width of the bins of the case's traffic profile. */
const BIN_MS = 10 * 60_000;

export function timingPairs(input: AttributionInput, eligible: Set<string>, accountOf: (key: string) => string, ctx: EvidenceContext): TimingPair[] {
  const p = ctx.params;
  const window = p.coTimingSeconds * 1000;
  const all = input.messages.filter((m) => m.at !== null);
  const timed = all
    .filter((m) => eligible.has(m.sender) && m.kind !== 'service' && !m.forwarded)
    .sort((a, b) => a.at! - b.at! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const accountIds = new Map<string, number>();
  const accounts: string[] = [];
  const victimIds = new Map<string, number>();
  const account = new Uint32Array(timed.length);
  const victim = new Uint32Array(timed.length);
  const at = new Float64Array(timed.length);
  timed.forEach((m, i) => {
    const root = accountOf(m.sender);
    let s = accountIds.get(root);
    if (s === undefined) {
      s = accounts.length;
      accountIds.set(root, s);
      accounts.push(root);
    }
    let v = victimIds.get(m.victim);
    if (v === undefined) victimIds.set(m.victim, (v = victimIds.size));
    account[i] = s;
    victim[i] = v;
    at[i] = m.at!;
  });
  const n = accounts.length;
  // Coincidences, in order of time: the pair of accounts (lower, higher number) and the two messages.
  const lows = new IntList();
  const highs = new IntList();
  const firsts = new IntList();
  const seconds = new IntList();
  for (let i = 0; i < timed.length; i++) {
    for (let j = i + 1; j < timed.length && j <= i + p.coTimingMaxNeighbours; j++) {
      if (at[j]! - at[i]! > window) break;
      if (account[j] === account[i] || victim[j] === victim[i]) continue;
      lows.push(Math.min(account[i]!, account[j]!));
      highs.push(Math.max(account[i]!, account[j]!));
      firsts.push(i);
      seconds.push(j);
    }
  }
  // In order of pair (lower, then higher account), each pair's coincidences in order of time: two
  // stable counting sorts, by the higher account and then by the lower (linear; a comparison sort of
  // the six million coincidences of a million messages took seconds).
  const count = lows.length;
  const byHigh = groupBy(highs.view(), n).values;
  const lowInOrder = new Int32Array(count);
  for (let x = 0; x < count; x++) lowInOrder[x] = lows.get(byHigh[x]!);
  const order = groupBy(lowInOrder, n, byHigh).values;
  const pairAt = (k: number): number => lows.get(k) * n + highs.get(k);

  // Each account's message times (ascending) and whether its clock writes whole minutes only.
  const timesOf: number[][] = accounts.map(() => []);
  for (let i = 0; i < timed.length; i++) timesOf[account[i]!]!.push(at[i]!);
  const times = timesOf.map((list) => Float64Array.from(list));
  const resolution = times.map((list) => (list.length >= 3 && list.every((t) => t % 60_000 === 0) ? 60 : 1));
  // The case's traffic profile: every timed message, in ten-minute bins, with prefix sums.
  let earliest = Infinity;
  let latest = -Infinity;
  for (const m of all) {
    if (m.at! < earliest) earliest = m.at!;
    if (m.at! > latest) latest = m.at!;
  }
  const firstBin = all.length === 0 ? 0 : Math.floor(earliest / BIN_MS);
  const lastBin = all.length === 0 ? 0 : Math.floor(latest / BIN_MS);
  const bins = new Float64Array(lastBin - firstBin + 1);
  for (const m of all) bins[Math.floor(m.at! / BIN_MS) - firstBin]! += 1;
  const prefix = new Float64Array(bins.length + 1);
  for (let b = 0; b < bins.length; b++) prefix[b + 1] = prefix[b]! + bins[b]!;
  const binOf = (t: number): number => Math.min(bins.length - 1, Math.max(0, Math.floor(t / BIN_MS) - firstBin));
  const rateHalf = p.coTimingRateHours * 3_600_000;

  /**
   * Coincidences expected when `other` writes at chance around each message of `own`. Neither
   * account's own messages shape the traffic profile they are judged by, and the other's messages
   * within the window of a message (the coincidence itself) do not count towards its local rate.
   */
  const expectedFrom = (own: Float64Array, other: Float64Array, width: number): number => {
    if (other.length === 0) return 0;
    const traffic = Math.max(1, prefix[bins.length]! - own.length - other.length);
    const half = width / 2;
    let lambda = 0;
    // `own` is ascending, so every window moves forward only: pointers instead of searches.
    let rateLo = 0;
    let rateHi = 0;
    let nearLo = 0;
    let nearHi = 0;
    let ownBinLo = 0;
    let ownBinHi = 0;
    let otherBinLo = 0;
    let otherBinHi = 0;
    for (const t of own) {
      while (rateLo < other.length && other[rateLo]! < t - rateHalf) rateLo++;
      while (rateHi < other.length && other[rateHi]! <= t + rateHalf) rateHi++;
      while (nearLo < other.length && other[nearLo]! < t - half) nearLo++;
      while (nearHi < other.length && other[nearHi]! <= t + half) nearHi++;
      const local = Math.max(0, rateHi - rateLo - (nearHi - nearLo)) / (2 * rateHalf - width);
      const b = binOf(t);
      const binFrom = (b + firstBin) * BIN_MS;
      const binTo = binFrom + BIN_MS - 1;
      while (ownBinLo < own.length && own[ownBinLo]! < binFrom) ownBinLo++;
      while (ownBinHi < own.length && own[ownBinHi]! <= binTo) ownBinHi++;
      while (otherBinLo < other.length && other[otherBinLo]! < binFrom) otherBinLo++;
      while (otherBinHi < other.length && other[otherBinHi]! <= binTo) otherBinHi++;
      const others = bins[b]! - (ownBinHi - ownBinLo) - (otherBinHi - otherBinLo);
      const share = (other.length * Math.max(0, others)) / traffic / BIN_MS;
      lambda += Math.max(local, share) * width;
    }
    return lambda;
  };

  const out: TimingPair[] = [];
  for (let start = 0; start < order.length; ) {
    const pair = pairAt(order[start]!);
    let end = start;
    while (end < order.length && pairAt(order[end]!) === pair) end++;
    const episodes: { first: number; second: number; count: number }[] = [];
    let last = -Infinity;
    for (let k = start; k < end; k++) {
      const c = order[k]!;
      const i = firsts.get(c);
      if (at[i]! - last > window) episodes.push({ first: i, second: seconds.get(c), count: 0 });
      episodes[episodes.length - 1]!.count++;
      last = at[i]!;
    }
    start = end;
    if (episodes.length < p.coTimingMin) continue;
    const x = Math.floor(pair / n);
    const y = pair % n;
    const res = Math.max(resolution[x]!, resolution[y]!);
    const width = effectiveWindow(p.coTimingSeconds, res) * 1000;
    const expected = Math.max(expectedFrom(times[x]!, times[y]!, width), expectedFrom(times[y]!, times[x]!, width));
    const [a, b] = sortedPair(accounts[x]!, accounts[y]!);
    const pieces = episodes.map(({ first, second, count: c }) => {
      const when = new Date(at[first]!).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const between = sortedPair(timed[first]!.sender, timed[second]!.sender);
      return makeEvidence(
        'co-timing',
        between,
        between,
        `episode:${when}`,
        `writing to different victims within ${p.coTimingSeconds} s at ${when} (${c} coincidence${c === 1 ? '' : 's'})`,
        [timed[first]!.id, timed[second]!.id].sort(),
        ctx,
      );
    });
    out.push({
      accounts: [a, b],
      episodes: pieces,
      expected,
      resolution: res,
      volumes: a === accounts[x] ? [times[x]!.length, times[y]!.length] : [times[y]!.length, times[x]!.length],
    });
  }
  return out.sort((u, v) => (u.accounts[0] < v.accounts[0] ? -1 : u.accounts[0] > v.accounts[0] ? 1 : u.accounts[1] < v.accounts[1] ? -1 : 1));
}

/** Co-timing by pair of accounts, weighed by its episodes against the coincidences chance gives the two. */
function timingFound(...[input, eligible, accounts, ctx, stats]: Parameters<PairsPhase>): PairsFound {
  const timing = timingPairs(input, eligible, accounts.accountOf, ctx);
  stats.timingPairs = timing.length;
  const byPair = new Map<number, TimingPair>();
  for (const t of timing) byPair.set(pairNumber(accounts.numberOf(t.accounts[0])!, accounts.numberOf(t.accounts[1])!, accounts.count), t);
  return {
    pairs: [...byPair.keys()],
    nullOf: (x, y) => {
      const t = byPair.get(pairNumber(x, y, accounts.count));
      if (t === undefined) return null;
      const observed = t.episodes.length;
      return {
        family: 'timing',
        observed,
        expected: roundExpected(t.expected),
        bits: roundBits(Math.min(ctx.params.maxNullBits, poissonTailBits(observed, t.expected))),
        basis: `${observed} episodes, ${fmtExpected(t.expected)} coincidences expected by chance for these two accounts (${t.volumes[0]} and ${t.volumes[1]} timed messages, clocks to ${t.resolution === 60 ? 'the minute' : 'the second'})`,
      };
    },
    between: (x, y) => byPair.get(pairNumber(x, y, accounts.count))?.episodes ?? [],
  };
}
