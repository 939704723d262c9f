// The remove use case: find the export the investigator names (its path as given at ingest or from
// here, or its SHA-256 or a unique prefix of it) and take it out of the case (store/remove.ts).
import { resolve } from 'node:path';
import { evidencePathOnDisk } from '../store/write.js';
import type { CaseHandle } from '../store/case.js';
import { listExportRefs, removeExport, type ExportRef, type Removal } from '../store/remove.js';
import { UsageError } from '../util/errors.js';

export function findExport(handle: CaseHandle, named: string): ExportRef {
  const all = listExportRefs(handle);
  const hex = named.toLowerCase();
  const byHash = /^[0-9a-f]{8,64}$/.test(hex) ? all.filter((x) => x.sha256.startsWith(hex)) : [];
  const here = resolve(named);
  const byPath = all.filter((x) => x.path === named || evidencePathOnDisk(x.path, x.base) === here);
  const found = [...new Set([...byHash, ...byPath])];
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    throw new UsageError(
      `no export "${named}" in this case`,
      'name an export file as ingest took it in (its path, or its SHA-256 or the first 8+ hex digits of it); `threatlens custody` and evidence-manifest.json list them',
    );
  }
  throw new UsageError(
    `"${named}" names ${found.length} exports: ${found.map((x) => `${x.path} (${x.sha256.slice(0, 12)})`).join(', ')}`,
    'give more of the SHA-256',
  );
}

export function remove(handle: CaseHandle, named: string, options: { dryRun: boolean }): Removal {
  return removeExport(handle, findExport(handle, named), options);
}
