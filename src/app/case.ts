// The case a use case works on: ingesting input paths into a case on disk (created only once
// something can be read) or into a throw-away in-memory one, or opening an existing case to read.
import { caseExists, openCase, type CaseHandle } from '../store/case.js';
import type { IngestOptions, IngestReport } from '../ingest/pipeline.js';

/** The ingest pipeline (readers, phone numbers, media) is loaded only by a command that takes input paths in. */
const pipeline = () => import('../ingest/pipeline.js');

export interface OpenedCase {
  handle: CaseHandle;
  /** What the ingest of the input paths took in and rejected; null when an existing case was opened. */
  report: IngestReport | null;
}

/**
 * Ingests `paths` into the case at `dir`. A case that does not exist yet is created only once some
 * input can be read: a mistyped path leaves no empty case behind (handle null, and the report says
 * so in caseNotCreated). An existing case records the rejections as always.
 */
export async function ingestIntoCase(
  dir: string,
  paths: string[],
  options: IngestOptions,
): Promise<{ handle: CaseHandle | null; report: IngestReport }> {
  let handle: CaseHandle | null = caseExists(dir) ? openCase(dir, { create: false }) : null;
  try {
    const { ingest } = await pipeline();
    const report = await ingest(handle ?? { dir, open: () => (handle = openCase(dir, { create: true })) }, paths, options);
    return { handle, report };
  } catch (error) {
    handle?.close();
    throw error;
  }
}

/** Where an analysis finds its case: see caseForAnalysis. */
export interface CaseChoice {
  /** The case named explicitly (--case): input paths are ingested into it. */
  named: string | null;
  /** The case to open, read-only, when there are no input paths (--case, else the default). */
  existing: string;
}

/**
 * The case an analysis works on. With input paths: ingest them into the case named, or into a
 * throw-away in-memory case (also when the case named does not exist yet and nothing could be read,
 * see ingestIntoCase). Without: open the existing case to read.
 */
export async function caseForAnalysis(paths: string[], where: CaseChoice, options: IngestOptions): Promise<OpenedCase> {
  if (paths.length === 0) {
    return { handle: openCase(where.existing, { create: false, access: 'read' }), report: null };
  }
  if (where.named !== null) {
    // A case kept on disk gets every fact, whatever the command shows.
    const { handle, report } = await ingestIntoCase(where.named, paths, { ...options, imageFacts: true });
    return { handle: handle ?? openCase(null, { create: true }), report };
  }
  const { ingest } = await pipeline();
  const handle = openCase(null, { create: true });
  try {
    return { handle, report: await ingest(handle, paths, options) };
  } catch (error) {
    handle.close();
    throw error;
  }
}
