/** Disjoint sets over string keys, with path halving and union by size; deterministic roots. */
export class UnionFind {
  private readonly parent = new Map<string, string>();
  private readonly size = new Map<string, number>();

  add(key: string): void {
    if (!this.parent.has(key)) {
      this.parent.set(key, key);
      this.size.set(key, 1);
    }
  }

  find(key: string): string {
    this.add(key);
    let k = key;
    while (this.parent.get(k) !== k) {
      const grand = this.parent.get(this.parent.get(k)!)!;
      this.parent.set(k, grand);
      k = grand;
    }
    return k;
  }

  /** Joins the sets of a and b; returns false when they were already one. */
  union(a: string, b: string): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    const sa = this.size.get(ra)!;
    const sb = this.size.get(rb)!;
    // Larger set wins; ties go to the smaller key, so the result does not depend on call order.
    if (sa < sb || (sa === sb && rb < ra)) [ra, rb] = [rb, ra];
    this.parent.set(rb, ra);
    this.size.set(ra, sa + sb);
    return true;
  }

  /** The sets, each sorted, ordered by their first key. */
  groups(): string[][] {
    const byRoot = new Map<string, string[]>();
    for (const key of this.parent.keys()) {
      const root = this.find(key);
      const list = byRoot.get(root) ?? [];
      list.push(key);
      byRoot.set(root, list);
    }
    return [...byRoot.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  }
}
