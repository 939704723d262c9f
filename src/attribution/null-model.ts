// How unlikely a piece of evidence is between two *unrelated* senders of this case: the null models
// behind the bits of the counted families (shared sentences, co-timing).
//
// Both count things the two accounts share (distinct sentence families; episodes of writing to
// different victims within the window) and compare the count with what chance gives these two
// accounts, given their own volume, under a Poisson model. The bits are -log2 P(X >= k | λ): the
// probability that two unrelated accounts with these volumes share at least this much. A chance
// coincidence of two chatty people is expected (λ large, few bits); the same count between two
// accounts that write a handful of messages is not.
//
// λ for sentences comes from the case itself: ρ, the rate at which pairs of accounts share a sentence
// family per pair of families they write (shared families / Σ u_A·u_B over the pairs), measured
// separately over pairs of accounts writing to different victims (overwhelmingly unrelated people:
// relatives of different exiles) and over pairs writing to a common victim (relatives of one
// family share more). λ_AB = ρ · u_A · u_B. Real coordination among the pairs only raises ρ, which
// lowers every pair's bits: the error is towards missing a link, never towards making one.
//
// λ for co-timing comes from both accounts' own message times: for each message of one, the other's
// rate around that moment (its own messages within ±rateHours, or its share of the whole case's
// traffic at that moment when that is higher: New Year's midnight, a news event) times the width of
// the window as the timestamps can resolve it (WhatsApp Android writes whole minutes, so a 60 s
// window spans three minute values: 180 s).

/** -log2 of the Poisson upper tail P(X >= k) with mean λ, exact in log space; 0 when k <= 0. */
export function poissonTailBits(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (lambda <= 0) return Infinity;
  // P(X >= k) = 1 - Σ_{i<k} e^-λ λ^i / i!. For small tails, sum the upper terms instead.
  if (k > lambda) {
    // Σ_{i>=k} e^-λ λ^i / i!, in log space, until the terms no longer matter.
    let logTerm = -lambda + k * Math.log(lambda) - logFactorial(k);
    let logSum = logTerm;
    for (let i = k + 1; i < k + 1000; i++) {
      logTerm += Math.log(lambda) - Math.log(i);
      const next = logAdd(logSum, logTerm);
      if (next - logSum < 1e-12) break;
      logSum = next;
    }
    return Math.max(0, -logSum / Math.LN2);
  }
  let logTerm = -lambda;
  let below = Math.exp(logTerm);
  for (let i = 1; i < k; i++) {
    logTerm += Math.log(lambda) - Math.log(i);
    below += Math.exp(logTerm);
  }
  const tail = Math.max(0, 1 - below);
  return tail <= 0 ? Infinity : Math.max(0, -Math.log2(tail));
}

function logAdd(a: number, b: number): number {
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

const LOG_FACTORIALS: number[] = [0];
function logFactorial(n: number): number {
  for (let i = LOG_FACTORIALS.length; i <= n; i++) LOG_FACTORIALS.push(LOG_FACTORIALS[i - 1]! + Math.log(i));
  return LOG_FACTORIALS[n]!;
}

/** The probability behind a number of bits, for the ledger (`p = 3.1e-4`). */
export function probabilityOf(bits: number): string {
  if (!Number.isFinite(bits)) return 'p = 0';
  const p = 2 ** -bits;
  return p >= 0.01 ? `p = ${p.toFixed(2)}` : `p = ${p.toExponential(1)}`;
}

/**
 * Width in seconds that a window of `seconds` spans between two accounts whose clocks resolve to
 * `resolution` seconds (1, or 60 for WhatsApp Android's whole minutes): recorded times k·r apart
 * count while |k·r| <= window, so (2⌊w/r⌋ + 1)·r of true time difference can land in it.
 */
export function effectiveWindow(seconds: number, resolution: number): number {
  if (resolution <= 1) return 2 * seconds + 1;
  return (2 * Math.floor(seconds / resolution) + 1) * resolution;
}

/** The look-elsewhere correction: log2 of the number of account pairs compared (0 for one or none). */
export function lookElsewhereBits(pairs: number): number {
  return pairs > 1 ? Math.log2(pairs) : 0;
}

/**
 * The random-holder null for items that accounts share (sentence families): were the other holders
 * of each of A's items drawn at random among the other accounts, each in proportion to how many items
 * it holds, B would hold (df_f - 1)·u_B / (U - u_A) of A's item f; summed over A's items, S_A·u_B /
 * (U - u_A), with S_A = Σ (df_f - 1) over A's items. The expectation for the pair is the mean of both
 * directions, scaled by κ: how many more items the case's pairs of one kind (of a common victim, or of
 * different victims) share than the model expects for them (never less than 1). Popular items (a
 * viral text every relative pastes) and chatty accounts (many items) expect much sharing; a handful
 * of rare items shared by two quiet accounts does not.
 */
export interface SharedItems {
  /** Items each account holds (u) and Σ (df - 1) over them (S), by account number. */
  held: Float64Array;
  spread: Float64Array;
  /** U = Σ u (never below the population the model assumes). */
  total: number;
  /** The script each account writes in (0 Cyrillic, 1 Latin). */
  script: Uint8Array;
  /**
   * Calibration per kind of pair, observed / expected shared items (>= 1): of a common victim, both
   * writing Cyrillic, both Latin, one each; then the same three of different victims.
   */
  kappa: number[];
  /** Observed and expected shared items behind κ, by the same kinds of pair. */
  observed: number[];
  expected: number[];
}

/**
 * λ of the random-holder null for accounts x and y, before calibration. `total` is U, never taken
 * below the minimum population the model assumes (a case of a few accounts cannot itself say whether
 * sharing a sentence is unusual: its items are weighed as if among that many).
 */
export function randomHolderExpectation(model: Pick<SharedItems, 'held' | 'spread' | 'total'>, x: number, y: number): number {
  const { held, spread, total } = model;
  const xy = total - held[x]! > 0 ? (spread[x]! * held[y]!) / (total - held[x]!) : 0;
  const yx = total - held[y]! > 0 ? (spread[y]! * held[x]!) / (total - held[y]!) : 0;
  return (xy + yx) / 2;
}
