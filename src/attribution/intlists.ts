// Integer lists in typed arrays, for the text signal at scale: a million templates, millions of
// candidate pairs. One typed array holds what would otherwise be an object or an array per entry,
// which the garbage collector would have to trace again and again.

/** A growing list of 32-bit integers. */
export class IntList {
  private data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(index: number): number {
    return this.data[index]!;
  }

  set(index: number, value: number): void {
    this.data[index] = value;
  }

  /** The values pushed so far (a view: later pushes may or may not show in it). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * Entries grouped by key, in one array: group g is values[start[g] .. start[g + 1]), in entry order.
 * Entry k has key keys[k] (a negative key: no group) and value values[k] (k itself when no values are given).
 */
export interface Grouped {
  start: Int32Array;
  values: Int32Array;
}

/** Groups entries by key with a counting sort (linear, stable). */
export function groupBy(keys: Int32Array, groups: number, values: Int32Array | null = null): Grouped {
  const start = new Int32Array(groups + 1);
  for (let k = 0; k < keys.length; k++) if (keys[k]! >= 0) start[keys[k]! + 1]! += 1;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const out = new Int32Array(start[groups]!);
  const next = start.slice(0, groups);
  for (let k = 0; k < keys.length; k++) {
    const g = keys[k]!;
    if (g >= 0) out[next[g]!++] = values === null ? k : values[k]!;
  }
  return { start, values: out };
}
