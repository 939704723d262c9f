// Independent sources: who counts as one holder when we count how common an item is.
//
// Commonness discounts an item by the number of independent sources that show it. Counting
// identities instead would punish an actor for reaching many victims: one phone number saved under a
// different label in five victims' phones is five identities, and five burner accounts of one actor
// are five accounts, yet each is one source of its own callback number and template. So before any
// evidence is weighed, accounts are grouped into sources:
//   - identities proven to be one account (hard links) are one source;
//   - accounts that show two items of different evidence families *together*, far beyond chance,
//     are one source ("co-holding"). Items X and Y travel together when the accounts showing both
//     (each in messages of its own: X somewhere without Y and Y somewhere without X, so that one
//     bundled message - a chain text with a number in it, a postcard with its greeting - is not two
//     items) are at least `coHoldingShare` of the accounts showing X and of those showing Y, at least
//     three, and so many that chance cannot explain the overlap: the hypergeometric probability of
//     that many accounts showing both, were X and Y shown independently, is at most `coHoldingMaxP`.
// Common content fails these tests: a greeting, a viral text, a hotline notice and a postcard are each
// shown by many people, but by people who pick them independently, so their holders overlap only as
// much as chance says. Display names (chosen by the victims who saved the contact, "Мама" in every
// phone), camera make/model (millions of phones) and co-timing (always one pair) take no part.
//
// What it cannot tell apart: content that always travels as two separate messages of different kinds
// (a chain text always followed by the same picture, pasted by many people) looks like one source.
// The ledger shows, for every item, how many identities show it and how many independent sources they
// make, and names each co-holding group with the two items and the probability behind it.
import { FAMILY_OF, type ClusterParams, type CoHoldingGroup, type Evidence, type Family } from './types.js';
import { UnionFind } from './unionfind.js';

/** Families whose items can tie accounts into one source (see the header). */
const CO_HOLDING_FAMILIES: ReadonlySet<Family> = new Set(['identifier', 'image', 'text', 'camera']);

interface ItemInfo {
  item: string;
  family: Family;
  detail: string;
  /** Account root → message ids showing the item there (empty for an owner of a number). */
  refs: Map<string, Set<string>>;
}

/** What an item is, in a few words, from its key and a piece of its evidence. */
export function describeItem(item: string, detail: string): string {
  const colon = item.indexOf(':');
  const kind = item.slice(0, colon);
  const value = item.slice(colon + 1);
  if (kind === 'id') {
    const [type, ...rest] = value.split(':');
    return `${type === 'phone' ? 'the number' : type === 'telegram' ? 'the handle' : `the ${type}`} ${rest.join(':')}`;
  }
  if (kind === 'picture') return `the picture ${value.slice(0, 12)}…`;
  if (kind === 'serial') return `camera serial ${value}`;
  const quoted = /: "(.*)"$/.exec(detail);
  return quoted ? `the text "${quoted[1]}"` : `text ${value}`;
}

/** log(n!) for n = 0..max. */
function logFactorials(max: number): Float64Array {
  const out = new Float64Array(max + 1);
  for (let i = 2; i <= max; i++) out[i] = out[i - 1]! + Math.log(i);
  return out;
}

/**
 * P(overlap >= s) when `a` and `b` of `n` accounts are drawn independently (hypergeometric upper
 * tail), computed in log space.
 */
export function overlapProbability(n: number, a: number, b: number, s: number, lf: Float64Array = logFactorials(n)): number {
  const logC = (x: number, k: number): number => lf[x]! - lf[k]! - lf[x - k]!;
  const hi = Math.min(a, b);
  if (s > hi) return 0;
  const denominator = logC(n, b);
  let total = 0;
  for (let k = Math.max(s, a + b - n); k <= hi; k++) total += Math.exp(logC(a, k) + logC(n - a, b - k) - denominator);
  return Math.min(1, total);
}

/**
 * Co-holding groups among accounts, from the evidence the signals produced. `accountOf` maps an
 * identity to its account root; `senderOf` maps a message id to its sender identity; `accounts` is
 * the number of suspect accounts (the population of the probability test).
 */
export function coHoldingGroups(
  evidence: readonly Evidence[],
  accountOf: (key: string) => string,
  senderOf: (messageId: string) => string | undefined,
  accounts: number,
  params: ClusterParams,
): CoHoldingGroup[] {
  // Items, each with the accounts showing it and the messages it is shown in.
  const items = new Map<string, ItemInfo>();
  // Evidence of one item shares its holder list: each list is read once.
  const seenHolders = new Set<readonly string[]>();
  for (const e of evidence) {
    const family = FAMILY_OF[e.type];
    if (!CO_HOLDING_FAMILIES.has(family) || e.type === 'camera-model' || e.holders.length < 3) continue;
    let info = items.get(e.item);
    if (!info) items.set(e.item, (info = { item: e.item, family, detail: describeItem(e.item, e.detail), refs: new Map() }));
    if (!seenHolders.has(e.holders)) {
      seenHolders.add(e.holders);
      for (const h of e.holders) {
        const account = accountOf(h);
        if (!info.refs.has(account)) info.refs.set(account, new Set());
      }
    }
    for (const ref of e.refs) {
      const sender = senderOf(ref);
      if (sender === undefined || !e.between.includes(sender)) continue;
      info.refs.get(accountOf(sender))?.add(ref);
    }
  }
  const share = params.coHoldingShare;
  const list = [...items.values()].filter((i) => i.refs.size >= 3 && i.refs.size <= params.maxHolders).sort((x, y) => (x.item < y.item ? -1 : 1));
  const itemsOf = new Map<string, number[]>();
  list.forEach((info, i) => {
    for (const account of info.refs.keys()) {
      const l = itemsOf.get(account);
      if (l) l.push(i);
      else itemsOf.set(account, [i]);
    }
  });
  const lf = logFactorials(Math.max(accounts, 1));
  const groups: CoHoldingGroup[] = [];
  // Shows the two items apart: each in a message without the other. Only an identifier can be shown
  // without a message: an account owns a number by being it.
  const outside = (p: Set<string>, q: Set<string>): boolean => [...p].some((r) => !q.has(r));
  const shows = (refs: Set<string>, other: Set<string>, family: Family): boolean =>
    refs.size === 0 ? family === 'identifier' : outside(refs, other);
  const apart = (x: Set<string>, xf: Family, y: Set<string>, yf: Family): boolean =>
    (x.size > 0 || y.size > 0) && shows(x, y, xf) && shows(y, x, yf);
  list.forEach((x, i) => {
    const a = x.refs.size;
    const need = Math.max(3, Math.ceil(share * a));
    // Pigeonhole: if `need` of X's accounts also show Y, any a - need + 1 of them include one that
    // does; look at those with the fewest items.
    const probe = [...x.refs.keys()].sort((p, q) => itemsOf.get(p)!.length - itemsOf.get(q)!.length || (p < q ? -1 : 1)).slice(0, a - need + 1);
    const candidates = new Set<number>();
    for (const account of probe) for (const j of itemsOf.get(account)!) if (j > i && list[j]!.family !== x.family) candidates.add(j);
    for (const j of [...candidates].sort((p, q) => p - q)) {
      const y = list[j]!;
      const b = y.refs.size;
      if (share * b > a || share * a > b) continue;
      const both: string[] = [];
      for (const [account, xr] of x.refs) {
        const yr = y.refs.get(account);
        if (yr && apart(xr, x.family, yr, y.family)) both.push(account);
      }
      if (both.length < Math.max(3, Math.ceil(share * Math.max(a, b)))) continue;
      const p = overlapProbability(accounts, a, b, both.length, lf);
      if (p > params.coHoldingMaxP) continue;
      groups.push({ accounts: both.sort(), items: [x.item, y.item], details: [x.detail, y.detail], shownBy: [a, b], p });
    }
  });
  return groups;
}

/** Sources: account roots merged by co-holding groups. */
export function sourcesOf(accountRoots: readonly string[], groups: readonly CoHoldingGroup[]): UnionFind {
  const uf = new UnionFind();
  for (const root of accountRoots) uf.add(root);
  for (const g of groups) for (const account of g.accounts.slice(1)) uf.union(g.accounts[0]!, account);
  return uf;
}
