// The attribution model: what the clustering reads (identities, messages, hard links) and what it
// produces (typed, weighted evidence with message refs; clusters; candidate links).
import type { LinkRef, MediaKind, MessageKind, Platform } from '../model.js';
import type { SharedItems } from './null-model.js';

/**
 * The evidence types, each with the family it belongs to, and the families: filled in by the signals
 * (signals/<name>.ts), each of which adds its own to these interfaces (`declare module '../types.js'`),
 * beside the declaration of how they are weighed. The registry (signals/index.ts) checks that the
 * names here and the signals' declarations are the same. This module imports nothing from the
 * signals, so the signals can use every type below.
 */
export interface EvidenceTypes {}
export interface Families {}
/** Every evidence type a signal declares. */
export type EvidenceType = keyof EvidenceTypes & string;
/** Independent evidence families: a join needs two of them. */
export type Family = keyof Families & string;

export interface Identity {
  key: string;
  platform: Platform;
  names: string[];
  phones: string[];
  messages: number;
  victims: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  /** Victims whose own account this is: their outgoing messages are not suspects. */
  selfOf: string[];
}

export interface AttributionMedia {
  sha256: string;
  kind: MediaKind;
  /** A video (by its bytes when read, else by the message's word for it): its matches are identical-video and similar-video. */
  video: boolean;
  phash: string | null;
  /** A video's frame pHashes in a row (media_hashes kind `vframes`), when ffmpeg read them. */
  frames: string | null;
  /** Camera body serial from EXIF, when the image kept it. */
  serial: string | null;
  /** `Make Model`, when the image kept it. */
  camera: string | null;
}

export interface AttributionMessage {
  id: string;
  sender: string;
  victim: string;
  /** Milliseconds since the epoch (UTC), or null when the time is unknown. */
  at: number | null;
  kind: MessageKind;
  text: string;
  forwarded: boolean;
  /** E.164 numbers the phone stage found in the text. */
  phones: string[];
  media: AttributionMedia[];
  /** Link targets hidden behind the text (Telegram text_link hrefs, mentioned user ids, button URLs). */
  links: LinkRef[];
}

/** Proof that two identity keys are the same account (merged with union-find). */
export interface AccountLink {
  a: string;
  b: string;
  detail: string;
  /** Evidence position: `file@offset` of the contact entry, message ids, … */
  refs: string[];
  /** The analyst's decision that makes this link (review confirm), when it is one. */
  decision?: number;
}

/** An analyst's decision (threatlens review), as the clustering applies it. */
export interface AnalystDecision {
  id: number;
  verdict: 'confirm' | 'reject';
  /** On a link between two identities, or on a cluster (its members when decided). */
  subject: 'link' | 'cluster';
  clusterId: string | null;
  /** Identity keys, sorted: the two of a link, the members of a cluster. */
  keys: string[];
  note: string | null;
  examiner: string | null;
  decidedAt: string;
}

/** What a decision did in a run. */
export interface DecisionApplied {
  decision: AnalystDecision;
  /** false when it could not be applied (an identity no longer in the case, a conflict with a hard link). */
  applied: boolean;
  /** In words: what it did, or why it could not. */
  effect: string;
}

export interface AttributionInput {
  identities: Identity[];
  messages: AttributionMessage[];
  accountLinks: AccountLink[];
  /** The analyst's decisions in force (none when not given). */
  decisions?: AnalystDecision[];
}

/** One piece of evidence between two identities. */
export interface Evidence {
  type: EvidenceType;
  /** Identity keys, sorted. */
  between: [string, string];
  /** Bits after the commonness discount (before saturation across repeats). Set when scored. */
  weight: number;
  /** Prior bits of this evidence type. */
  bits: number;
  /** Commonness factor in [0, 1]: 1 for an item only these two show, towards 0 for items many show. Set when scored. */
  commonness: number;
  /**
   * How many independent sources show the item (its document frequency): identities of one account,
   * accounts that show rare items together (co-holding) and accounts joined into one cluster count
   * as one source. Set when scored.
   */
  df: number;
  /** Every identity that shows the item (sorted); shared by all evidence from the item. */
  holders: readonly string[];
  /**
   * The thing both identities show (`id:+7928…`, `picture:<sha>`, `text:<family>`, `slot:<minute>`).
   * Between one pair of accounts an item counts once, however many identity pairs show it.
   */
  item: string;
  /** What matched, in one line (the number, the hash, the similarity). */
  detail: string;
  /** Message ids on both sides. */
  refs: string[];
  /** What would argue against this link; for the analyst to rule out. */
  against: string;
  /**
   * For families weighed by a null model (text, timing): what chance gives the two accounts, in one
   * line (`3 shared, 0.12 expected by chance …`); the piece's weight is its share of the family's bits.
   */
  chance?: string;
}

/** What every signal's step gets: the parameters, and where to say how far a long step is. */
export interface EvidenceContext {
  params: ClusterParams;
  /** How far a long step is (for a terminal's progress line; never part of any result). */
  progress?: (step: string, done: number, total: number) => void;
}

/** A family weighed by a null model between two accounts: observed against expected by chance. */
export interface FamilyNull {
  family: Family;
  /** Distinct sentence families shared, or episodes. */
  observed: number;
  /** What chance gives these two accounts (λ). */
  expected: number;
  /** -log2 P(X >= observed | λ), rounded. */
  bits: number;
  /** How λ was obtained, in one line. */
  basis: string;
}

export interface ClusterParams {
  /**
   * Bits a pair needs to be joined (with at least `minFamilies` families), beyond the look-elsewhere
   * correction: log2 of the number of account pairs compared is added, so that chance across all
   * the pairs of a large case still falls short (see null-model.ts).
   */
  joinBits: number;
  minFamilies: number;
  /** Bits (beyond the same correction) a pair needs to be shown as a candidate link when not joined. */
  candidateBits: number;
  /**
   * A family counts towards `minFamilies` only with at least this many bits, and only when it does
   * not rest on exactly the messages of another content family (one copied message carrying both a
   * number and a text is one piece of evidence, not two).
   */
  familyMinBits: number;
  /** Items shown by more independent sources than this are common content and give no evidence. */
  maxDf: number;
  /**
   * Items shown by more identities than this are never paired up (a bound on the work: n holders
   * make n(n-1)/2 pairs); below it, `maxDf` applies to independent sources, not identities.
   */
  maxHolders: number;
  shingleK: number;
  minhashBins: number;
  lshBands: number;
  lshRows: number;
  /** Bands a pair must share to be a candidate: 25 × 5 with 2 hits catches Jaccard 0.7 at 94 %, 0.5 at 18 %. */
  lshMinHits: number;
  /** An LSH bucket with more distinct templates than this is common content: its band gives no pairs. */
  lshMaxBucket: number;
  /** Near-duplicate text: Jaccard of canonical shingles, and minimum length in characters. */
  nearDuplicateJaccard: number;
  nearDuplicateMinChars: number;
  /** Template text: containment of masked shingles, and minimum length of the masked text. */
  templateContainment: number;
  templateMinChars: number;
  /** Messages per side compared to pick the closest message pair of two templates for the ledger. */
  textSample: number;
  /** Perceptual hash Hamming distance counted as the same picture. */
  phashDistance: number;
  /** Frame-sequence distance (mean bits per frame at the best alignment) at or below which two videos are the same recording. */
  videoDistance: number;
  /** Co-timing: window in seconds and the distinct episodes required. */
  coTimingSeconds: number;
  coTimingMin: number;
  /** Co-timing: later messages looked at after each message (bounds the work in bursts of thousands). */
  coTimingMaxNeighbours: number;
  /** Co-timing null model: an account's rate of writing is measured over ± this many hours. */
  coTimingRateHours: number;
  /**
   * Shared sentences null model: the case is never taken to hold fewer sentence families than this
   * (a pseudo-population), so a case of a few accounts does not read every shared sentence as chance.
   */
  textMinPopulation: number;
  /** The same for identifiers (numbers, handles, private links) an account shows. */
  identifierMinPopulation: number;
  /** Null-model bits are capped here: beyond it the model's tails say more than its assumptions can. */
  maxNullBits: number;
  /**
   * Phone number types (libphonenumber-js) that identify no one: public hotlines, premium and
   * shared-cost lines are written by everyone who read a poster. Numbers of these types in messages
   * are not evidence.
   */
  excludedPhoneTypes: string[];
  /** Prior bits per evidence type (declared by the signals). */
  bits: Record<EvidenceType, number>;
}

/**
 * Weight of a same-account (hard) edge in graph exports, which need a number: far above any scored
 * link (a scored pair rarely passes 40 bits), so layouts keep one account's identities together.
 */
export const HARD_EDGE_WEIGHT = 100;

/** The evidence between two accounts, summed per type with saturation. */
export interface PairScore {
  a: string;
  b: string;
  score: number;
  families: Partial<Record<Family, number>>;
  byType: Partial<Record<EvidenceType, { items: number; bits: number }>>;
  evidence: Evidence[];
  /** Families counted towards `minFamilies` (at least `familyMinBits`, not resting on another's messages). */
  independent: Family[];
  /** Families with bits that do not count towards `minFamilies`, and why. */
  setAside: { family: Family; bits: number; reason: string }[];
  /** Families weighed by a null model, with the figures behind their bits. */
  nulls: FamilyNull[];
  /** Bits this pair needed: joinBits and candidateBits plus the look-elsewhere correction. */
  needed: { join: number; candidate: number };
  joined: boolean;
  candidate: boolean;
  bridge: boolean;
  /** The analyst rejected this link (review reject): it never joins and is not offered again. */
  rejectedBy?: AnalystDecision;
  /** Joined by its evidence, but kept out of the cluster: it would put together identities the analyst rejected (those decisions' ids). */
  heldApartBy?: number[];
}

/**
 * How evidence is weighed: the account each identity belongs to (hard links only, fixed before any
 * evidence is weighed, so a join never makes its own evidence stronger), the number of accounts,
 * maxDf, and the case's sentence sharing rates.
 */
export interface Weighing {
  actorOf: (key: string) => string;
  /** Accounts in the case: the N of commonness. */
  actors: number;
  maxDf: number;
  /** Account pairs compared, and the look-elsewhere bits (log2 of it). */
  pairsCompared: number;
  lookElsewhere: number;
  /** The random-holder nulls of shared sentence families and shared identifiers (null-model.ts). */
  textModel: SharedItems;
  identifierModel: SharedItems;
}

/** The chance check of a run: what the null model says chance alone would draw in this case. */
export interface ChanceCheck {
  /** Account pairs compared. */
  pairs: number;
  /** Upper bound on the joins and candidate links expected between unrelated accounts. */
  expectedJoins: number;
  expectedCandidates: number;
  /** Shared sentences: account pairs of different victims reaching 5 and 10 bits, observed vs expected by the model. */
  families: { family: 'text'; atLeast: number; observed: number; expected: number }[];
}

export interface Cluster {
  id: string;
  score: number;
  /** Identity keys, sorted. */
  members: string[];
  /** Groups of keys proven to be one account (same id, same phone). */
  accounts: string[][];
  victims: string[];
  links: PairScore[];
}

export interface ClusterResult {
  params: ClusterParams;
  clusters: Cluster[];
  /** Strong single-family links, not joined, for an analyst to confirm (links the analyst rejected are not offered again). */
  candidates: PairScore[];
  /** The analyst's decisions, and what each did in this run. */
  decisions: DecisionApplied[];
  /** Every pair of accounts whose evidence could reach a candidate link, scored, joined or not. */
  pairs: PairScore[];
  /** Every piece of evidence between identities, unweighed (weigh with `weighing` for `explain KEY KEY`). */
  evidence: Evidence[];
  /** The account (hard-link root) of each suspect identity. */
  accountOf: (key: string) => string;
  /** How evidence was weighed. */
  weighing: Weighing;
  /** What chance alone would draw in this case. */
  chance: ChanceCheck;
  /** Scores the accounts of two identities as the clustering scores pairs (explain KEY KEY). */
  scoreAccounts: (a: string, b: string) => PairScore;
  stats: Record<string, number>;
}
