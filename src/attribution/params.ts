// The clustering's default parameters: ClusterParams (types.ts) says what each one means. The prior
// bits of the evidence types come from the signals that declare them (signals/index.ts).
import { PRIOR_BITS } from './signals/index.js';
import type { ClusterParams } from './types.js';
import { VIDEO_MATCH_THRESHOLD } from '../util/hash-distance.js';

export const DEFAULT_PARAMS: ClusterParams = {
  joinBits: 8,
  minFamilies: 2,
  candidateBits: 6,
  familyMinBits: 5,
  maxDf: 25,
  maxHolders: 50,
  shingleK: 5,
  minhashBins: 128,
  lshBands: 25,
  lshRows: 5,
  lshMinHits: 2,
  lshMaxBucket: 64,
  nearDuplicateJaccard: 0.8,
  nearDuplicateMinChars: 40,
  templateContainment: 0.8,
  templateMinChars: 24,
  textSample: 3,
  phashDistance: 10,
  coTimingSeconds: 60,
  coTimingMin: 2,
  coTimingMaxNeighbours: 64,
  coTimingRateHours: 3,
  textMinPopulation: 500,
  identifierMinPopulation: 200,
  maxNullBits: 30,
  excludedPhoneTypes: ['toll-free', 'premium-rate', 'shared-cost', 'uan', 'voicemail'],
  // Added after runs were recorded: after their keys.
  videoDistance: VIDEO_MATCH_THRESHOLD,
  bits: { ...PRIOR_BITS },
};
