// The random-holder model over items that accounts hold (sentence families, identifiers): who
// shares how many items with whom, each account's spread, and its calibration on the case's own pairs
// (null-model.ts has the model's formula). Shared by the signals weighed by it and the clustering.
import { randomHolderExpectation, type SharedItems } from './null-model.js';

/** Scripts of a pair of accounts, by pairClass % 3, for the ledger. */
export const SCRIPT_PAIRS = ['Cyrillic', 'Latin script', 'Cyrillic and Latin script'];

/** Number of a pair of account numbers (x != y), exact in a double. */
export const pairNumber = (x: number, y: number, n: number): number => Math.min(x, y) * n + Math.max(x, y);

/** Items each account holds, counted once per account however many of its identities hold them. */
export function heldPerAccount(accountCount: number, holdings: readonly { account: number; items: readonly number[] }[]): Float64Array {
  const sets: Set<number>[] = Array.from({ length: accountCount }, () => new Set<number>());
  for (const { account, items } of holdings) if (account >= 0) for (const item of items) sets[account]!.add(item);
  return Float64Array.from(sets, (set) => set.size);
}

/**
 * The random-holder model over items held by accounts (null-model.ts): the shared items of every
 * pair of accounts (k), each account's spread (S), and κ, calibrated per kind of pair: of a common
 * victim or of different victims, writing in one script or in two (relatives who write English share
 * English everyday sentences among themselves, not with those who write Russian). `minPopulation`:
 * the least total the model assumes (a pseudo-population).
 */
export function sharedItemsModel(
  holdersOfItem: readonly (readonly number[])[],
  held: Float64Array,
  accountCount: number,
  victimsOfAccount: readonly Set<string>[],
  scriptOf: Uint8Array,
  minPopulation: number,
): { model: SharedItems; shared: Map<number, number> } {
  const shared = new Map<number, number>();
  for (const accs of holdersOfItem) {
    for (let x = 0; x < accs.length; x++) {
      for (let y = x + 1; y < accs.length; y++) {
        const pair = pairNumber(accs[x]!, accs[y]!, accountCount);
        shared.set(pair, (shared.get(pair) ?? 0) + 1);
      }
    }
  }
  const spread = new Float64Array(accountCount);
  for (const [pair, k] of shared) {
    const x = Math.floor(pair / accountCount);
    const y = pair - x * accountCount;
    spread[x]! += k;
    spread[y]! += k;
  }
  let heldTotal = 0;
  for (const u of held) heldTotal += u;
  const assumed = Math.max(heldTotal, minPopulation);
  const base = { held, spread, total: assumed };
  const firstCommonVictim = (x: number, y: number): string | null => {
    let best: string | null = null;
    for (const v of victimsOfAccount[x]!) if (victimsOfAccount[y]!.has(v) && (best === null || v < best)) best = v;
    return best;
  };
  const observed = [0, 0, 0, 0, 0, 0];
  const expected = [0, 0, 0, 0, 0, 0];
  const classOf = (x: number, y: number, same: boolean): number => pairClass(scriptOf, x, y, same);
  for (const [pair, k] of shared) {
    const x = Math.floor(pair / accountCount);
    const y = pair - x * accountCount;
    observed[classOf(x, y, firstCommonVictim(x, y) !== null)]! += k;
  }
  const byVictim = new Map<string, number[]>();
  for (let x = 0; x < accountCount; x++) if (held[x]! > 0) for (const v of victimsOfAccount[x]!) byVictim.set(v, [...(byVictim.get(v) ?? []), x]);
  for (const [v, members] of byVictim) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const x = members[i]!;
        const y = members[j]!;
        if (firstCommonVictim(x, y) !== v) continue;
        expected[classOf(x, y, true)]! += randomHolderExpectation(base, x, y);
      }
    }
  }
  // Over every pair, the model expects Σ_A S_A·(U - u_A)/(U' - u_A) / 2 (U' the population it
  // assumes), and within one script group the same sum over the group's own volume: closed forms,
  // so no pair is visited. Different-victim figures are these less the same-victim ones.
  const groupVolume = [0, 0];
  for (let x = 0; x < accountCount; x++) groupVolume[scriptOf[x]!]! += held[x]!;
  let all = 0;
  const within = [0, 0];
  for (let x = 0; x < accountCount; x++) {
    if (assumed - held[x]! <= 0) continue;
    all += (spread[x]! * (heldTotal - held[x]!)) / (assumed - held[x]!);
    within[scriptOf[x]!]! += (spread[x]! * (groupVolume[scriptOf[x]!]! - held[x]!)) / (assumed - held[x]!);
  }
  all /= 2;
  within[0]! /= 2;
  within[1]! /= 2;
  expected[3] = Math.max(0, within[0]! - expected[0]!);
  expected[4] = Math.max(0, within[1]! - expected[1]!);
  expected[5] = Math.max(0, all - within[0]! - within[1]! - expected[2]!);
  // κ = (observed + 5) / (expected + 5), never below 1: five pseudo-items keep a few pairs from
  // setting the rate for everyone.
  const kappa = observed.map((o, c) => Math.max(1, (o + 5) / (expected[c]! + 5)));
  return {
    shared,
    model: {
      held,
      spread,
      total: assumed,
      script: scriptOf,
      kappa,
      observed,
      expected: expected.map(roundExpected),
    },
  };
}

/**
 * The kind of a pair of accounts for calibration: of a common victim (0–2) or of different victims
 * (3–5), both writing Cyrillic, both Latin, or one each.
 */
export function pairClass(script: Uint8Array, x: number, y: number, sameVictim: boolean): number {
  return (sameVictim ? 0 : 3) + (script[x] !== script[y] ? 2 : script[x]!);
}

/** κ of a pair of accounts (see sharedItemsModel). */
export function kappaOf(model: SharedItems, x: number, y: number, sameVictim: boolean): number {
  return model.kappa[pairClass(model.script, x, y, sameVictim)]!;
}

export function roundExpected(x: number): number {
  return Number(x.toPrecision(3));
}

export function fmtExpected(x: number): string {
  return x >= 0.01 ? x.toFixed(2) : x.toExponential(1);
}
