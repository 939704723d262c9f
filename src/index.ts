// threatlens as a library: the package entry (`import { openCase, ingest, cluster } from 'threatlens'`).
//
// A thin, stable face over today's modules: a case (in memory or in a folder), ingest into it, and
// cluster its senders, with the same results the CLI gives (`cluster` runs the CLI's own use case,
// src/app/cluster.ts).
// The case is opaque here: what is stored and how may change; these functions and the result
// types they name are what a research pipeline can rely on. Nothing here prints or exits: problems
// are thrown (UsageError for a bad option or an unusable case, EnvironmentError for the disk) or,
// for evidence that could not be read, listed in the ingest result.
import { caseFault, openCase as openCaseHandle, type CaseHandle } from './store/case.js';
import { ingest as ingestPaths, type IngestReport, type ProgressEvent } from './ingest/pipeline.js';
import type { DateOrder } from './readers/reader.js';
import { clusterCase } from './app/cluster.js';
import type { ClusterParams, ClusterResult, Cluster, Identity, PairScore, ChanceCheck } from './attribution/types.js';
import { DEFAULT_PARAMS } from './attribution/params.js';
import { regionProblem } from './phone/countries.js';
import { isKnownZone } from './util/time.js';
import { UsageError } from './util/errors.js';
import { parseColumnMap } from './settings.js';
import { VERSION } from './version.js';

export { VERSION };
export { UsageError, EnvironmentError, InputError } from './util/errors.js';
export type { IngestReport, FileOutcome, FileStatus, ProgressEvent } from './ingest/pipeline.js';
export type { DateOrder } from './readers/reader.js';
export type { Cluster, ClusterParams, ClusterResult, Identity, PairScore, ChanceCheck, Evidence, EvidenceType, Family } from './attribution/types.js';
/** Every evidence type, and the family each belongs to (declared by the attribution signals). */
export { EVIDENCE_TYPES, FAMILY_OF } from './attribution/signals/index.js';
export type { Warning, Platform } from './model.js';

interface Opened {
  handle: CaseHandle;
  readOnly: boolean;
}

const opened = new WeakMap<Case, Opened>();

/** An open case: close it when done (an in-memory case is gone once closed). */
export interface Case {
  /** The case folder, or null for an in-memory case. */
  readonly dir: string | null;
  /** Opened read-only: `ingest` refuses it and `cluster` does not record its run. */
  readonly readOnly: boolean;
  close(): void;
}

export interface OpenCaseOptions {
  /** Create the folder and its database when missing (default true; false throws on a missing case). */
  create?: boolean;
  /**
   * Open for reading, as the CLI's listings do (default false): `ingest` is refused and `cluster`
   * records nothing. A case that cannot be written is opened so anyway. (Like the listings, opening
   * a writable case may still bring its evidence manifest up to date.)
   */
  readOnly?: boolean;
}

/**
 * Opens the case in folder `dir`, creating it unless `create: false`, or a fresh in-memory case
 * when `dir` is null or left out. A folder that holds something other than a threatlens case, a
 * damaged one, or (for writing) one that cannot be written, is a UsageError.
 *
 * @example
 * const kase = openCase();            // in memory
 * const onDisk = openCase('./case');  // the folder the CLI's --case names
 */
export function openCase(dir: string | null = null, options: OpenCaseOptions = {}): Case {
  const handle = guarded(() =>
    openCaseHandle(dir, { create: options.create ?? true, access: options.readOnly === true ? 'read' : 'write' }),
  );
  const readOnly = handle.readonly || options.readOnly === true;
  const kase: Case = { dir: handle.dir, readOnly, close: () => handle.close() };
  opened.set(kase, { handle, readOnly });
  return kase;
}

export interface IngestOptions {
  /** Whose evidence it is (default: the folder below each path, or the file's folder, as in the CLI). */
  victim?: string;
  /** IANA zone (or an offset such as +03:00) of exports whose times carry no zone. */
  tz?: string;
  /** Default country for phone numbers written without +, as a two-letter code (RU, KZ, DE…). */
  region?: string;
  /** Date order of WhatsApp exports when the file cannot prove it. */
  dateOrder?: DateOrder;
  /** The columns of tables of messages (CSV, JSON Lines), as --map: `sender=From,text=Body,time=Date`. */
  map?: string;
  /** Called as files, bytes and images are read. */
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * Reads `paths` (exports of every format `threatlens formats` lists, images, or folders of these,
 * found recursively) into the case, as `threatlens ingest` does. Evidence that cannot be
 * read does not throw: it is listed in the result (`errors`, and `files` with status `rejected`),
 * and the rest is kept. A file already in the case adds nothing (status `duplicate`).
 *
 * @throws UsageError for an unknown `tz` or `region`, a `map` that names no sender, text or time, or
 *   a read-only case.
 */
export async function ingest(kase: Case, paths: string | string[], options: IngestOptions = {}): Promise<IngestReport> {
  const { handle, readOnly } = openedOf(kase);
  if (readOnly) throw new UsageError('the case was opened read-only: nothing can be ingested into it');
  if (options.tz !== undefined && !isKnownZone(options.tz)) throw new UsageError(`unknown time zone "${options.tz}"`);
  let region: string | null = null;
  if (options.region !== undefined) {
    const problem = regionProblem(options.region);
    if (problem !== null) throw new UsageError(`region "${options.region}" is ${problem.problem}`, problem.hint);
    region = options.region.trim().toUpperCase();
  }
  if (options.victim !== undefined && options.victim.trim() === '') throw new UsageError('victim needs a non-empty label');
  const map = options.map === undefined ? null : parseColumnMap(options.map, 'map');
  return guardedAsync(() =>
    ingestPaths(handle, typeof paths === 'string' ? [paths] : paths, {
      victim: options.victim ?? null,
      tz: options.tz ?? null,
      dateOrder: options.dateOrder ?? null,
      region,
      map,
      ...(options.onProgress ? { progress: options.onProgress } : {}),
    }),
  );
}

export interface ClusterOptions extends Partial<ClusterParams> {
  /**
   * Record the run in the case's run manifest, with the version and every parameter, as
   * `threatlens cluster` does (default true; a read-only case is never written).
   */
  record?: boolean;
}

export interface ClusterOutcome {
  /** Likely actors: identities joined by evidence from independent families, strongest first. */
  clusters: Cluster[];
  /** Strong single-family links, not joined, for an analyst to confirm. */
  candidates: PairScore[];
  /** What chance alone would draw in this case. */
  chance: ChanceCheck;
  /** The parameters of the run (the defaults, with `options` over them). */
  params: ClusterParams;
  /** Every sender identity of the case, by key (`telegram:user…`, `phone:+…`, `name:…`). */
  identities: Map<string, Identity>;
  /** The run's id in the case's run manifest, or null when not recorded. */
  runId: number | null;
  /** Everything the run computed: every scored pair, every piece of evidence, the weighing. */
  result: ClusterResult;
}

/**
 * Groups the case's sender identities into likely actors, with the evidence for every link, as
 * `threatlens cluster` does (same defaults; `options` overrides any parameter, e.g. `joinBits`).
 */
export function cluster(kase: Case, options: ClusterOptions = {}): ClusterOutcome {
  const { handle, readOnly } = openedOf(kase);
  const { record, ...overrides } = options;
  const params: ClusterParams = { ...DEFAULT_PARAMS, ...overrides };
  const run = guarded(() => clusterCase(handle, params, { record: record !== false && !readOnly }));
  return {
    clusters: run.result.clusters,
    candidates: run.result.candidates,
    chance: run.result.chance,
    params: run.result.params,
    identities: run.identities,
    runId: run.runId,
    result: run.result,
  };
}

function openedOf(kase: Case): Opened {
  const found = opened.get(kase);
  if (found === undefined) throw new TypeError('not a case opened by openCase()');
  return found;
}

/** SQLite's own faults about the case (full disk, damaged, busy, read-only) as the CLI words them. */
function guarded<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw caseFault(error) ?? error;
  }
}

async function guardedAsync<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw caseFault(error) ?? error;
  }
}
