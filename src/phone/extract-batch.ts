// Phone numbers of a batch of message texts in a compact form that crosses threads cheaply: four
// integers per number found (which text, start, end, which fact) in one Int32Array, and the facts of
// numbers this extractor had not met before. An extractor numbers the facts it meets 0, 1, 2…; the
// reader of its batches, taking them in order, keeps the same table. A thread that extracts and a
// thread that records can so share every number found without copying an object per sighting.
import { extractPhonesCapped, type PhoneMatch } from './extract.js';
import { matchOfPart, type NumberPart } from './fact.js';

export interface CompactBatch {
  /** Per number found: text index, start, end, fact id (+1, negated when read with the region). */
  matches: Int32Array;
  /** Facts first met in this batch (sent once per number, then referred to by id), in the order of their ids. */
  newFacts: NumberPart[];
  /** Extensions, by match index (only those that have one). */
  exts: [number, string][];
  /** Texts holding more numbers than the limit: [text index, numbers skipped]. */
  capped: [number, number][];
}

/** Extracts batches on one thread, numbering the facts it meets. */
export class BatchExtractor {
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly region: string,
    private readonly limit: number,
  ) {}

  extract(texts: readonly string[]): CompactBatch {
    const found: number[] = [];
    const newFacts: NumberPart[] = [];
    const exts: [number, string][] = [];
    const capped: [number, number][] = [];
    texts.forEach((text, t) => {
      const { matches, skipped } = extractPhonesCapped(text, { region: this.region, limit: this.limit });
      if (skipped > 0) capped.push([t, skipped]);
      for (const m of matches) {
        const key = `${m.e164}|${m.country ?? ''}`;
        let id = this.ids.get(key);
        if (id === undefined) {
          id = this.ids.size;
          this.ids.set(key, id);
          newFacts.push(numberFacts(m));
        }
        if (m.ext !== null) exts.push([found.length / 4, m.ext]);
        found.push(t, m.start, m.end, m.regionUsed === null ? id + 1 : -(id + 1));
      }
    });
    return { matches: Int32Array.from(found), newFacts, exts, capped };
  }
}

function numberFacts(m: PhoneMatch): NumberPart {
  return {
    e164: m.e164,
    country: m.country,
    countries: m.countries,
    type: m.type,
    valid: m.valid,
    possible: m.possible,
    reason: m.reason,
    national: m.national,
    international: m.international,
  };
}

/** The PhoneMatch of match `k` of a batch, given the facts table and the region the batch was read with. */
export function expandMatch(batch: CompactBatch, k: number, facts: readonly NumberPart[], text: string, region: string, ext: string | null): PhoneMatch {
  const start = batch.matches[k * 4 + 1]!;
  const end = batch.matches[k * 4 + 2]!;
  const coded = batch.matches[k * 4 + 3]!;
  return matchOfPart(facts[Math.abs(coded) - 1]!, text.slice(start, end), coded < 0 ? region : null, start, end, ext);
}
