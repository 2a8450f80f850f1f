import { AccountTable } from './account-table';

/**
 * One account's transfers in one direction, ordered by (time, insertion id): `edge[start..end)` are
 * transfer ids, `cum[i]` the sum of the amounts of `edge[start..i]` (inclusive).
 */
export interface EdgeView {
  readonly edge: Int32Array;
  readonly cum: Float64Array;
  readonly start: number;
  readonly end: number;
}

const EMPTY_VIEW: EdgeView = { edge: new Int32Array(0), cum: new Float64Array(0), start: 0, end: 0 };
const TWO_32 = 2 ** 32;

function growInt32(a: Int32Array, need: number): Int32Array {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2, 1024));
  b.set(a);
  return b;
}

function growFloat64(a: Float64Array, need: number): Float64Array {
  if (need <= a.length) return a;
  const b = new Float64Array(Math.max(need, a.length * 2, 1024));
  b.set(a);
  return b;
}

/**
 * The transfers, stored once by insertion id (from, to, amount, time in typed arrays), indexed by two
 * CSR tables — each account's outgoing and incoming transfers, time-ordered, with running sums — and
 * a small delta of transfers added since the last compaction. A view of an account touched by the
 * delta merges both, so a trace sees a new transfer at once; the delta is folded into the CSR tables
 * when it grows past an eighth of them. Duplicates of (from, to, amount, time) are refused through an
 * open-addressing table of transfer ids.
 */
export class EdgeStore {
  readonly accounts = new AccountTable();
  count = 0;
  from: Int32Array = new Int32Array(0);
  to: Int32Array = new Int32Array(0);
  amount: Float64Array = new Float64Array(0);
  at: Float64Array = new Float64Array(0);

  // CSR over transfers [0, compacted), built for accounts [0, csrAccounts).
  private compacted = 0;
  private csrAccounts = 0;
  private outStart: Int32Array = new Int32Array(1);
  private outEdge: Int32Array = new Int32Array(0);
  private outCum: Float64Array = new Float64Array(0);
  private inStart: Int32Array = new Int32Array(1);
  private inEdge: Int32Array = new Int32Array(0);
  private inCum: Float64Array = new Float64Array(0);

  // Delta: transfers [compacted, count), by account; merged views cached until the account changes.
  private deltaOut = new Map<number, number[]>();
  private deltaIn = new Map<number, number[]>();
  private mergedOut = new Map<number, EdgeView>();
  private mergedIn = new Map<number, EdgeView>();

  private dedupe: Int32Array = new Int32Array(1024);
  private dedupeMask = 1023;

  constructor(private readonly compactAt = 4096) {}

  /** Adds a transfer; false when the same (from, to, amount, time) is already there. */
  add(fromKey: string, toKey: string, amountFen: number, at: number): boolean {
    const f = this.accounts.intern(fromKey);
    const t = this.accounts.intern(toKey);
    const slot = this.findSlot(f, t, amountFen, at);
    if (this.dedupe[slot] !== 0) return false;
    const id = this.count++;
    this.from = growInt32(this.from, this.count);
    this.to = growInt32(this.to, this.count);
    this.amount = growFloat64(this.amount, this.count);
    this.at = growFloat64(this.at, this.count);
    this.from[id] = f;
    this.to[id] = t;
    this.amount[id] = amountFen;
    this.at[id] = at;
    this.dedupe[slot] = id + 1;
    if (this.count > (this.dedupeMask + 1) * 0.6) this.growDedupe();
    pushTo(this.deltaOut, f, id);
    pushTo(this.deltaIn, t, id);
    this.mergedOut.delete(f);
    this.mergedIn.delete(t);
    return true;
  }

  /** Folds the delta into the CSR tables when it is large enough (or always, with `force`). */
  maybeCompact(force = false): void {
    const delta = this.count - this.compacted;
    if (delta === 0) return;
    if (!force && delta < Math.max(this.compactAt, this.compacted / 8)) return;
    this.compact();
  }

  get pendingDelta(): number {
    return this.count - this.compacted;
  }

  out(account: number): EdgeView {
    return this.view(account, true);
  }

  in(account: number): EdgeView {
    return this.view(account, false);
  }

  /** Bytes held by the typed arrays (the account key strings not counted). */
  get byteLength(): number {
    return (
      this.from.byteLength +
      this.to.byteLength +
      this.amount.byteLength +
      this.at.byteLength +
      this.outStart.byteLength +
      this.outEdge.byteLength +
      this.outCum.byteLength +
      this.inStart.byteLength +
      this.inEdge.byteLength +
      this.inCum.byteLength +
      this.dedupe.byteLength +
      this.accounts.byteLength
    );
  }

  private view(account: number, outgoing: boolean): EdgeView {
    const delta = (outgoing ? this.deltaOut : this.deltaIn).get(account);
    const base = this.baseView(account, outgoing);
    if (delta === undefined) return base;
    const cache = outgoing ? this.mergedOut : this.mergedIn;
    const cached = cache.get(account);
    if (cached !== undefined) return cached;
    const ids = delta.slice().sort((a, b) => this.at[a]! - this.at[b]! || a - b);
    const n = base.end - base.start + ids.length;
    const edge = new Int32Array(n);
    const cum = new Float64Array(n);
    let i = base.start;
    let j = 0;
    let sum = 0;
    for (let k = 0; k < n; k++) {
      // Base ids are all older than delta ids, so on equal times the base one comes first.
      const takeBase = i < base.end && (j >= ids.length || this.at[base.edge[i]!]! <= this.at[ids[j]!]!);
      const id = takeBase ? base.edge[i++]! : ids[j++]!;
      edge[k] = id;
      sum += this.amount[id]!;
      cum[k] = sum;
    }
    const merged = { edge, cum, start: 0, end: n };
    cache.set(account, merged);
    return merged;
  }

  private baseView(account: number, outgoing: boolean): EdgeView {
    if (account >= this.csrAccounts) return EMPTY_VIEW;
    return outgoing
      ? {
          edge: this.outEdge,
          cum: this.outCum,
          start: this.outStart[account]!,
          end: this.outStart[account + 1]!,
        }
      : {
          edge: this.inEdge,
          cum: this.inCum,
          start: this.inStart[account]!,
          end: this.inStart[account + 1]!,
        };
  }

  private compact(): void {
    const n = this.count;
    const accounts = this.accounts.size;
    const built = buildCsr(this.from, this.at, this.amount, n, accounts);
    this.outStart = built.start;
    this.outEdge = built.edge;
    this.outCum = built.cum;
    const builtIn = buildCsr(this.to, this.at, this.amount, n, accounts);
    this.inStart = builtIn.start;
    this.inEdge = builtIn.edge;
    this.inCum = builtIn.cum;
    this.compacted = n;
    this.csrAccounts = accounts;
    this.deltaOut.clear();
    this.deltaIn.clear();
    this.mergedOut.clear();
    this.mergedIn.clear();
  }

  private hashOf(f: number, t: number, amountFen: number, at: number): number {
    let h = Math.imul(f ^ 0x2f8a3c61, 0x9e3779b1);
    h = Math.imul(h ^ t ^ (h >>> 15), 0x85ebca6b);
    h = Math.imul(h ^ (amountFen >>> 0) ^ (h >>> 13), 0xc2b2ae35);
    h = Math.imul(h ^ Math.floor(amountFen / TWO_32) ^ (h >>> 16), 0x27d4eb2f);
    h = Math.imul(h ^ (at >>> 0) ^ (h >>> 15), 0x165667b1);
    h = Math.imul(h ^ Math.floor(at / TWO_32) ^ (h >>> 13), 0x9e3779b1);
    return (h ^ (h >>> 16)) >>> 0;
  }

  /** The slot holding this transfer, or the empty slot where it would go. */
  private findSlot(f: number, t: number, amountFen: number, at: number): number {
    let i = this.hashOf(f, t, amountFen, at) & this.dedupeMask;
    for (;;) {
      const v = this.dedupe[i]!;
      if (v === 0) return i;
      const id = v - 1;
      if (this.from[id] === f && this.to[id] === t && this.amount[id] === amountFen && this.at[id] === at)
        return i;
      i = (i + 1) & this.dedupeMask;
    }
  }

  private growDedupe(): void {
    const capacity = (this.dedupeMask + 1) * 2;
    this.dedupe = new Int32Array(capacity);
    this.dedupeMask = capacity - 1;
    for (let id = 0; id < this.count; id++) {
      let i = this.hashOf(this.from[id]!, this.to[id]!, this.amount[id]!, this.at[id]!) & this.dedupeMask;
      while (this.dedupe[i] !== 0) i = (i + 1) & this.dedupeMask;
      this.dedupe[i] = id + 1;
    }
  }
}

function pushTo(map: Map<number, number[]>, key: number, id: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [id]);
  else list.push(id);
}

/**
 * A CSR table of transfers [0, n) grouped by `owner` (counting sort, stable in id order), each group
 * ordered by (time, id), with running sums of amounts per group. Groups already in time order — the
 * usual case when transfers arrive in time order — are not sorted again.
 */
function buildCsr(
  owner: Int32Array,
  at: Float64Array,
  amount: Float64Array,
  n: number,
  accounts: number,
): { start: Int32Array; edge: Int32Array; cum: Float64Array } {
  const start = new Int32Array(accounts + 1);
  for (let id = 0; id < n; id++) start[owner[id]! + 1]!++;
  for (let a = 0; a < accounts; a++) start[a + 1]! += start[a]!;
  const fill = start.slice(0, accounts);
  const edge = new Int32Array(n);
  for (let id = 0; id < n; id++) edge[fill[owner[id]!]!++] = id;
  const byTime = (a: number, b: number): number => at[a]! - at[b]! || a - b;
  const cum = new Float64Array(n);
  for (let a = 0; a < accounts; a++) {
    const s = start[a]!;
    const e = start[a + 1]!;
    let sorted = true;
    for (let i = s + 1; i < e; i++) {
      if (at[edge[i]!]! < at[edge[i - 1]!]!) {
        sorted = false;
        break;
      }
    }
    if (!sorted) edge.subarray(s, e).sort(byTime);
    let sum = 0;
    for (let i = s; i < e; i++) {
      sum += amount[edge[i]!]!;
      cum[i] = sum;
    }
  }
  return { start, edge, cum };
}
