// What an ingest rejected and warned about, told on stderr, and the exit code it earns.
import type { IngestReport } from '../ingest/pipeline.js';
import { diagnose, type Io } from './io.js';

/**
 * Tells the investigator, on stderr, what an ingest rejected and warned about (at most
 * `maxPerCode` warnings of each kind; 0 prints rejections only).
 */
export function reportIngestDiagnostics(report: IngestReport, io: Io, maxPerCode = 10): void {
  const err = (line: string): void => diagnose(io, line);
  for (const error of report.errors) err(`threatlens: rejected ${error.describe()}`);
  for (const skipped of report.skipped) err(`threatlens: skipped ${skipped.path}: ${skipped.reason}`);
  const perCode = new Map<string, number>();
  for (const w of report.warnings) {
    const n = (perCode.get(w.code) ?? 0) + 1;
    perCode.set(w.code, n);
    if (n <= maxPerCode) {
      const where = w.line !== undefined ? `:${w.line}` : w.offset !== undefined ? `@byte ${w.offset}` : '';
      err(`threatlens: warning: ${w.file}${where}: ${w.message} [${w.code}]`);
    }
  }
  for (const [code, n] of perCode) {
    if (n > maxPerCode && maxPerCode > 0) err(`threatlens: warning: … ${n - maxPerCode} more [${code}] warnings are kept in the case`);
  }
  if (report.caseNotCreated !== null) err(`threatlens: nothing could be read; no case created at ${report.caseNotCreated}`);
}

/** 1 when some input was rejected, else 0. */
export function ingestExitCode(report: IngestReport | null): number {
  return report !== null && report.errors.length > 0 ? 1 : 0;
}
