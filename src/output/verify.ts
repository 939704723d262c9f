// A verification as a listing: one row per evidence file or archive entry, with what was recorded
// and what was read now (full SHA-256s: a hash cut short proves nothing).
import type { EvidenceCheck } from '../model.js';
import type { Listing } from './listing.js';

export function verificationListing(checks: Iterable<EvidenceCheck>): Listing<EvidenceCheck> {
  return {
    kind: 'verification',
    items: checks,
    toJson: (c) => ({ ...c }),
    columns: [
      {
        header: 'status',
        value: (c) => c.status,
        style: (s, t, c) => (c.status === 'ok' ? s.green(t) : s.red(t)),
      },
      { header: 'role', value: (c) => c.role },
      { header: 'path', value: (c) => c.path, max: 70, style: (s, t) => s.yellow(t) },
      { header: 'recorded sha256', value: (c) => c.sha256 },
      { header: 'now', value: (c) => (c.status === 'ok' ? 'same' : c.actualSha256 ?? c.problem ?? ''), flex: true },
    ],
  };
}
