/** A disjoint-set forest over string ids (path halving, union by size): the clusters of a set of links. */
export class UnionFind {
  private readonly parent = new Map<string, string>();
  private readonly size = new Map<string, number>();

  add(x: string): void {
    if (!this.parent.has(x)) {
      this.parent.set(x, x);
      this.size.set(x, 1);
    }
  }

  find(x: string): string {
    this.add(x);
    let p = this.parent.get(x)!;
    while (p !== x) {
      const gp = this.parent.get(p)!;
      this.parent.set(x, gp);
      x = p;
      p = this.parent.get(x)!;
    }
    return x;
  }

  union(x: string, y: string): void {
    let rx = this.find(x);
    let ry = this.find(y);
    if (rx === ry) return;
    if (this.size.get(rx)! < this.size.get(ry)!) [rx, ry] = [ry, rx];
    this.parent.set(ry, rx);
    this.size.set(rx, this.size.get(rx)! + this.size.get(ry)!);
  }

  /** The groups, each sorted, in order of their first member: independent of the order of unions. */
  groups(): string[][] {
    const byRoot = new Map<string, string[]>();
    for (const x of this.parent.keys()) {
      const r = this.find(x);
      const g = byRoot.get(r) ?? [];
      g.push(x);
      byRoot.set(r, g);
    }
    return [...byRoot.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  }
}
