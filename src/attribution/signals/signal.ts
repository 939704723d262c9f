// What an attribution signal declares: the evidence types it produces, the family each belongs to,
// how the family is weighed, the prior bits of each type, what would argue against it (shown in every
// ledger) and its method text (recorded with every run). The registry (index.ts) lists the signals;
// the tables the rest of the clustering reads (FAMILY_OF, the prior bits, AGAINST, the method) are
// derived from these declarations, so a new signal is one file and one registry line.
//
// A signal also says when it runs (its phase) and gives the function of that phase:
// - `accounts`: hard links, fixed before anything else (cluster.ts merges them; signals/accounts.ts);
// - `items`: evidence between identities item by item (identifiers, pictures, camera facts, names),
//   weighed by how many accounts show each item;
// - `pairs`: evidence between accounts weighed by a null model of chance between the two (shared
//   sentences, co-timing): the pairs it found, the null figure of a pair and the pieces behind it.
//
// This module imports nothing from the signals: evidence.ts reads the declarations through it when it
// makes a piece of evidence, and the signals import evidence.ts.
import type { SharedItems } from '../null-model.js';
import type { AttributionInput, Evidence, EvidenceContext, EvidenceTypes, Family, EvidenceType, FamilyNull } from '../types.js';

/**
 * How a family's bits are obtained:
 * - `hard`: proof that two identities are one account (merged before anything is weighed);
 * - `items`: each item (a number, a picture) gives its type's prior bits, capped by how many accounts
 *   show it (POPULARITY_FORMULA); repeats of a type saturate;
 * - `null-model`: the family's bits between two accounts come from a null model of chance between
 *   them (observed against expected, null-model.ts), shared out among its pieces for the ledger.
 */
export type WeighedBy = 'hard' | 'items' | 'null-model';

export interface FamilySpec {
  weighedBy: WeighedBy;
  /**
   * Derived from message content: one copied message can feed several content families at once, so
   * a content family resting on exactly the messages of another does not count as independent.
   */
  content: boolean;
  /**
   * One item of this family can make a candidate link on its own: it is specific to a person (a
   * private number, a photo, a camera). Shared sentences or timing alone are what public templates
   * and busy hours give unrelated people.
   */
  candidateAlone: boolean;
}

export interface EvidenceTypeSpec<F extends string = string> {
  family: F;
  /** Prior bits (DEFAULT_PARAMS.bits): what one item only two accounts show is worth. */
  bits: number;
  /** What would argue against a link of this type: alternatives the analyst should rule out. */
  against: string;
}

/**
 * The accounts of a run (identities merged by hard links), numbered in the order of their root keys,
 * as the pair signals see them.
 */
export interface AccountView {
  count: number;
  /** Root identity key of each account, by number. */
  roots: readonly string[];
  /** The account (root key) of an identity. */
  accountOf(key: string): string;
  /** The number of an account (by its root key). */
  numberOf(root: string): number | undefined;
  /** Identity keys of account x, sorted. */
  membersOf(x: number): readonly string[];
  /** Victims each account wrote to, by number. */
  victims: readonly Set<string>[];
  shareVictim(x: number, y: number): boolean;
  /** The script each account writes in (0 Cyrillic, 1 Latin), for calibration. */
  scriptOf: Uint8Array;
}

/** What an item signal found: evidence between identities, and the items each identity shows. */
export interface ItemsFound {
  evidence: Evidence[];
  /** Identity key → every item it shows, including those no one else shows (for a random-holder model). */
  holdings?: Map<string, Set<string>>;
}

/** What a pair signal found, by pair of account numbers (shared-items.ts pairNumber). */
export interface PairsFound {
  /** Pairs of accounts with evidence of this signal. */
  pairs: readonly number[];
  /** The null figure of accounts x and y, or null when they show none of it. */
  nullOf(x: number, y: number): FamilyNull | null;
  /** The pieces of evidence between accounts x and y, unweighed. */
  between(x: number, y: number): Evidence[];
  /** The random-holder model behind its figures, when it has one. */
  model?: SharedItems;
}

/** A signal's pairs phase: its evidence weighed per pair of accounts (see SignalSpec.pairs). */
export type PairsPhase = (
  input: AttributionInput,
  eligible: Set<string>,
  accounts: AccountView,
  ctx: EvidenceContext,
  stats: Record<string, number>,
  timings: Record<string, number> | null,
) => PairsFound;

export interface SignalSpec<F extends string = string, T extends string = string> {
  /** The signal's name: its key in the run record's method. */
  name: string;
  phase: 'accounts' | 'items' | 'pairs';
  /** The items phase: evidence between the eligible identities. */
  items?: (input: AttributionInput, eligible: Set<string>, ctx: EvidenceContext) => ItemsFound;
  /** The pairs phase; writes its statistics in `stats` and its sub-phase times in `timings`. */
  pairs?: PairsPhase;
  /** The families the signal feeds (a family belongs to one signal). */
  families: Record<F, FamilySpec>;
  /** The evidence types it produces. */
  types: Record<T, EvidenceTypeSpec<F>>;
  /**
   * Its method text for the run record: `nullModel` (how its evidence is weighed against chance, under
   * `nullModels`) and `algorithm` (how it finds its evidence), each keyed by the signal's name.
   */
  method: { nullModel?: string; algorithm?: string };
}

const declared = new Map<string, EvidenceTypeSpec>();

/**
 * Declares a signal; its evidence types become known to evidence.ts as soon as its module is loaded.
 * Its families and types must be those its module adds to the model (types.ts), each type with the
 * family it has there.
 */
export function defineSignal<const F extends Family, const T extends EvidenceType>(
  spec: SignalSpec<F, T> & { types: { [K in T]: { family: EvidenceTypes[K] } } },
): SignalSpec<F, T> {
  for (const [type, t] of Object.entries<EvidenceTypeSpec>(spec.types)) {
    if (declared.has(type)) throw new Error(`evidence type ${type} is declared twice`);
    declared.set(type, t);
  }
  return spec;
}

/** The declaration of an evidence type (of a loaded signal). */
export function evidenceTypeSpec(type: string): EvidenceTypeSpec {
  const spec = declared.get(type);
  if (spec === undefined) throw new Error(`evidence type ${type} is declared by no signal`);
  return spec;
}
