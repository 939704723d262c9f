// The clustering's options (cluster, analyze, explain): their defaults are the clustering's, which
// come from the attribution signals; kept apart from options.ts so that other commands load none of it.
import type { Command } from 'commander';
import type { ClusterParams } from '../attribution/types.js';
import { DEFAULT_PARAMS } from '../attribution/params.js';
import { UsageError } from '../util/errors.js';

export interface ClusterCliOptions {
  joinBits?: string;
  minFamilies?: string;
  candidateBits?: string;
  maxDf?: string;
  phashDistance?: string;
  videoDistance?: string;
  nearDuplicate?: string;
  template?: string;
  coTiming?: string;
}

export function addClusterOptions(cmd: Command): Command {
  const d = DEFAULT_PARAMS;
  return cmd
    .option('--join-bits <bits>', `evidence a pair needs to be joined (default ${d.joinBits})`)
    .option('--min-families <n>', `independent evidence families a join needs (default ${d.minFamilies})`)
    .option('--candidate-bits <bits>', `one family this strong is reported as a candidate link (default ${d.candidateBits})`)
    .option('--max-df <n>', `items shown by more identities than this are common content (default ${d.maxDf})`)
    .option('--phash-distance <n>', `perceptual hash distance for the same picture (default ${d.phashDistance})`)
    .option('--video-distance <n>', `frame hash distance (mean bits per frame) for the same recording (default ${d.videoDistance})`)
    .option('--near-duplicate <jaccard>', `near-duplicate text threshold (default ${d.nearDuplicateJaccard})`)
    .option('--template <containment>', `template text threshold after masking (default ${d.templateContainment})`)
    .option('--co-timing <seconds>', `co-timing window (default ${d.coTimingSeconds})`);
}

function number(value: string | undefined, option: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${option} takes a number from ${min} to ${max}, not "${value}"`);
  return n;
}

export function clusterParams(options: ClusterCliOptions): ClusterParams {
  const d = DEFAULT_PARAMS;
  return {
    ...d,
    joinBits: number(options.joinBits, '--join-bits', d.joinBits, 0, 1000),
    minFamilies: number(options.minFamilies, '--min-families', d.minFamilies, 1, 7),
    candidateBits: number(options.candidateBits, '--candidate-bits', d.candidateBits, 0, 1000),
    maxDf: number(options.maxDf, '--max-df', d.maxDf, 2, 1_000_000),
    phashDistance: number(options.phashDistance, '--phash-distance', d.phashDistance, 0, 64),
    videoDistance: number(options.videoDistance, '--video-distance', d.videoDistance, 0, 64),
    nearDuplicateJaccard: number(options.nearDuplicate, '--near-duplicate', d.nearDuplicateJaccard, 0, 1),
    templateContainment: number(options.template, '--template', d.templateContainment, 0, 1),
    coTimingSeconds: number(options.coTiming, '--co-timing', d.coTimingSeconds, 1, 86_400),
  };
}

