// The signal registry: every attribution signal, in the order the clustering runs them (accounts
// first, then the item signals, then the signals weighed by a null model per pair of accounts). The
// tables below are derived from the signals' declarations (signal.ts); nothing else lists evidence
// types or families.
import { accountsSignal } from './accounts.js';
import { identifiersSignal } from './identifiers.js';
import { imagesSignal } from './media.js';
import { namesSignal } from './names.js';
import { timingSignal } from './timing.js';
import { textSignal } from './text.js';
import type { EvidenceTypeSpec, FamilySpec, SignalSpec } from './signal.js';
import type { EvidenceType, Family } from '../types.js';

export const SIGNALS = [accountsSignal, identifiersSignal, imagesSignal, namesSignal, timingSignal, textSignal] as const;
// Exported too, so that the declarations (.d.ts) of this module import every signal's: each adds its
// evidence types to the model's (types.ts), and a program that uses threatlens sees them through here.
export { accountsSignal, identifiersSignal, imagesSignal, namesSignal, timingSignal, textSignal };

type Declared = (typeof SIGNALS)[number];
type DeclaredType = Declared extends infer S ? (S extends { types: infer R } ? keyof R & string : never) : never;
type DeclaredFamily = Declared extends infer S ? (S extends { families: infer R } ? keyof R & string : never) : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/**
 * Checked when compiling: the evidence types and families the model knows (types.ts, filled in by
 * the signal modules) are exactly those the signals listed here declare, so a signal module missing
 * from SIGNALS does not leave names that no run produces.
 */
export type RegistryComplete = Assert<Same<DeclaredType, EvidenceType> & Same<DeclaredFamily, Family>>;

/**
 * Run records compare their parameters and method as JSON with later runs (explain's first line), so
 * the order of their keys is part of the record: keys recorded before the registry keep their place,
 * a new signal's keys follow in registry order.
 */
const RECORDED = {
  types: [
    'same-account',
    'own-identifier',
    'shared-identifier',
    'camera-serial',
    'identical-media',
    'similar-image',
    'near-duplicate-text',
    'template-text',
    'co-timing',
    'display-name',
    'camera-model',
  ],
  nullModels: ['text', 'timing', 'names', 'identifiers'],
  algorithms: ['text', 'images', 'timing'],
};

/** `keys` with those in `recorded` first, in its order, then the rest in their own order. */
export function inRecordedOrder<K extends string>(keys: readonly K[], recorded: readonly string[]): K[] {
  const rank = (k: string): number => {
    const i = recorded.indexOf(k);
    return i < 0 ? recorded.length : i;
  };
  return keys.map((k, i) => ({ k, i })).sort((x, y) => rank(x.k) - rank(y.k) || x.i - y.i).map((x) => x.k);
}

const typeSpecs = new Map<EvidenceType, EvidenceTypeSpec<Family>>();
const familySpecs = new Map<Family, FamilySpec>();
for (const signal of SIGNALS as readonly SignalSpec<Family, EvidenceType>[]) {
  for (const [type, spec] of Object.entries(signal.types) as [EvidenceType, EvidenceTypeSpec<Family>][]) typeSpecs.set(type, spec);
  for (const [family, spec] of Object.entries(signal.families) as [Family, FamilySpec][]) {
    if (familySpecs.has(family)) throw new Error(`family ${family} is declared by two signals`);
    familySpecs.set(family, spec);
  }
}

/** Every evidence type, in the order of the recorded parameters. */
export const EVIDENCE_TYPES: readonly EvidenceType[] = inRecordedOrder([...typeSpecs.keys()], RECORDED.types);

export const FAMILY_OF = Object.fromEntries(EVIDENCE_TYPES.map((t) => [t, typeSpecs.get(t)!.family])) as Record<EvidenceType, Family>;

/** Prior bits per evidence type (DEFAULT_PARAMS.bits). */
export const PRIOR_BITS = Object.fromEntries(EVIDENCE_TYPES.map((t) => [t, typeSpecs.get(t)!.bits])) as Record<EvidenceType, number>;

/** What would argue against each kind of link: alternatives the analyst should rule out. */
export const AGAINST = Object.fromEntries(EVIDENCE_TYPES.map((t) => [t, typeSpecs.get(t)!.against])) as Record<EvidenceType, string>;

/** How each family is weighed (signal.ts). */
export const FAMILIES: ReadonlyMap<Family, FamilySpec> = familySpecs;

/** Families whose bits come from a null model per pair of accounts, not item by item. */
export const NULL_FAMILIES: ReadonlySet<Family> = new Set([...familySpecs].filter(([, f]) => f.weighedBy === 'null-model').map(([f]) => f));
/** Families derived from message content: one copied message can feed several of them at once. */
export const CONTENT_FAMILIES: ReadonlySet<Family> = new Set([...familySpecs].filter(([, f]) => f.content).map(([f]) => f));
/** Families whose single item can make a candidate link on its own (see scorePair). */
export const ITEM_CANDIDATE_FAMILIES: ReadonlySet<Family> = new Set([...familySpecs].filter(([, f]) => f.candidateAlone).map(([f]) => f));
/**
 * Families that can score: weighed (not hard links) with some type of positive prior bits. The chance
 * check counts the pairs of them a join could rest on.
 */
export const SCORED_FAMILIES: readonly Family[] = [...familySpecs.keys()].filter(
  (f) => familySpecs.get(f)!.weighedBy !== 'hard' && [...typeSpecs.values()].some((t) => t.family === f && t.bits > 0 && Number.isFinite(t.bits)),
);

/** Names of pair signals in the order their null figures are listed (that of the method's null models). */
export function inLedgerOrder(names: readonly string[]): string[] {
  return inRecordedOrder(names, RECORDED.nullModels);
}

/** The signals' method texts for the run record: null models, and each signal's algorithm. */
export function signalMethods(): { nullModels: Record<string, string>; algorithms: Record<string, string> } {
  const pick = (key: 'nullModel' | 'algorithm', recorded: readonly string[]): Record<string, string> => {
    const texts = new Map<string, string>();
    for (const s of SIGNALS as readonly SignalSpec[]) {
      const text = s.method[key];
      if (text !== undefined) texts.set(s.name, text);
    }
    return Object.fromEntries(inRecordedOrder([...texts.keys()], recorded).map((name) => [name, texts.get(name)!]));
  };
  return { nullModels: pick('nullModel', RECORDED.nullModels), algorithms: pick('algorithm', RECORDED.algorithms) };
}
