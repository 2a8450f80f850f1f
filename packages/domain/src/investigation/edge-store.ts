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
  const b = new Int32Array(Math.max(need, Math.ceil(a.length * 1.5), 1024));
  b.set(a);
  return b;
}

function growFloat64(a: Float64Array, need: number): Float64Array {
  if (need <= a.length) return a;
  const b = new Float64Array(Math.max(need, Math.ceil(a.length * 1.5), 1024));
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
  // Per account, the newest delta transfer out / in (id + 1, 0 for none); per delta transfer, the
  // previous one of the same account (linked lists in typed arrays: no garbage per transfer).
  private deltaOutHead: Int32Array = new Int32Array(0);
  private deltaInHead: Int32Array = new Int32Array(0);
  private deltaOutNext: Int32Array = new Int32Array(0);
  private deltaInNext: Int32Array = new Int32Array(0);
  private mergedOut = new Map<number, EdgeView>();
  private mergedIn = new Map<number, EdgeView>();

  // Removed transfers keep their id and rows (ids are positions) and are left out of the views of the accounts
  // whose rows hold one: a transfer replaced by an edit is rare, so the filtered views are few and cached.
  private removed: Uint8Array = new Uint8Array(0);
  private removedCount = 0;
  private filteredOut = new Set<number>();
  private filteredIn = new Set<number>();

  private readonly scratchIds: number[] = [];
  private dedupe: Int32Array = new Int32Array(1024);
  private dedupeMask = 1023;

  constructor(private readonly compactAt = 65_536) {}

  /** Adds a transfer; false when the same (from, to, amount, time) is already there. */
  add(fromKey: string, toKey: string, amountFen: number, at: number): boolean {
    const f = this.accounts.intern(fromKey);
    const t = this.accounts.intern(toKey);
    const slot = this.findSlot(f, t, amountFen, at);
    const known = this.dedupe[slot]!;
    if (known !== 0) return this.revive(known - 1, f, t);
    const id = this.count++;
    if (this.count > this.from.length) {
      this.from = growInt32(this.from, this.count);
      this.to = growInt32(this.to, this.count);
      this.amount = growFloat64(this.amount, this.count);
      this.at = growFloat64(this.at, this.count);
    }
    this.from[id] = f;
    this.to[id] = t;
    this.amount[id] = amountFen;
    this.at[id] = at;
    this.dedupe[slot] = id + 1;
    if (this.count > (this.dedupeMask + 1) * 0.6) this.growDedupe();
    const accounts = this.accounts.size;
    if (accounts > this.deltaOutHead.length) {
      this.deltaOutHead = growInt32(this.deltaOutHead, accounts);
      this.deltaInHead = growInt32(this.deltaInHead, accounts);
    }
    const k = id - this.compacted;
    if (k >= this.deltaOutNext.length) {
      this.deltaOutNext = growInt32(this.deltaOutNext, k + 1);
      this.deltaInNext = growInt32(this.deltaInNext, k + 1);
    }
    this.deltaOutNext[k] = this.deltaOutHead[f]!;
    this.deltaOutHead[f] = id + 1;
    this.deltaInNext[k] = this.deltaInHead[t]!;
    this.deltaInHead[t] = id + 1;
    if (this.mergedOut.size > 0) this.mergedOut.delete(f);
    if (this.mergedIn.size > 0) this.mergedIn.delete(t);
    return true;
  }

  /** Removes a transfer; false when there is no such (from, to, amount, time) or it was removed already. */
  remove(fromKey: string, toKey: string, amountFen: number, at: number): boolean {
    const f = this.accounts.find(fromKey);
    const t = this.accounts.find(toKey);
    if (f < 0 || t < 0) return false;
    const v = this.dedupe[this.findSlot(f, t, amountFen, at)]!;
    if (v === 0) return false;
    const id = v - 1;
    if (id < this.removed.length && this.removed[id] === 1) return false;
    if (this.removed.length < this.count) {
      const grown = new Uint8Array(Math.max(this.count, Math.ceil(this.removed.length * 1.5), 1024));
      grown.set(this.removed);
      this.removed = grown;
    }
    this.removed[id] = 1;
    this.removedCount++;
    this.filteredOut.add(f);
    this.filteredIn.add(t);
    this.mergedOut.delete(f);
    this.mergedIn.delete(t);
    return true;
  }

  /** A removed transfer added again comes back under its old id; false when it was there all along. */
  private revive(id: number, f: number, t: number): boolean {
    if (id >= this.removed.length || this.removed[id] === 0) return false;
    this.removed[id] = 0;
    this.removedCount--;
    this.mergedOut.delete(f);
    this.mergedIn.delete(t);
    return true;
  }

  /** Transfers held (removed ones not counted). */
  get size(): number {
    return this.count - this.removedCount;
  }

  /** Folds the delta into the CSR tables when it is large enough (or always, with `force`). */
  maybeCompact(force = false): void {
    const delta = this.count - this.compacted;
    if (delta === 0) return;
    if (!force && delta < Math.max(this.compactAt, this.compacted / 4)) return;
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
      this.removed.byteLength +
      this.accounts.byteLength
    );
  }

  private view(account: number, outgoing: boolean): EdgeView {
    const heads = outgoing ? this.deltaOutHead : this.deltaInHead;
    const base = this.baseView(account, outgoing);
    const hasDelta = account < heads.length && heads[account] !== 0;
    const filtered = this.removedCount > 0 && (outgoing ? this.filteredOut : this.filteredIn).has(account);
    if (!hasDelta && !filtered) return base;
    const cache = outgoing ? this.mergedOut : this.mergedIn;
    const cached = cache.get(account);
    if (cached !== undefined) return cached;
    const ids = hasDelta ? this.deltaIds(account, outgoing) : [];
    let n = base.end - base.start + ids.length;
    const edge = new Int32Array(n);
    const cum = new Float64Array(n);
    mergeRows(this.at, this.amount, base.edge, base.cum, base.start, base.end, ids, edge, cum, 0);
    if (filtered) n = this.dropRemoved(edge, cum, n);
    const merged = { edge, cum, start: 0, end: n };
    cache.set(account, merged);
    return merged;
  }

  /** Leaves the removed transfers out of a row in place, the running sums made again; returns its length. */
  private dropRemoved(edge: Int32Array, cum: Float64Array, n: number): number {
    const removed = this.removed;
    let kept = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const e = edge[i]!;
      if (e < removed.length && removed[e] === 1) continue;
      sum += this.amount[e]!;
      edge[kept] = e;
      cum[kept++] = sum;
    }
    return kept;
  }

  /** The delta transfers of an account, ordered by (time, id), in a scratch array reused by the next call. */
  private deltaIds(account: number, outgoing: boolean): number[] {
    const heads = outgoing ? this.deltaOutHead : this.deltaInHead;
    const next = outgoing ? this.deltaOutNext : this.deltaInNext;
    const ids = this.scratchIds;
    ids.length = 0;
    for (let v = heads[account]!; v !== 0; v = next[v - 1 - this.compacted]!) ids.push(v - 1);
    ids.reverse();
    const at = this.at;
    for (let k = 1; k < ids.length; k++) {
      if (at[ids[k]!]! < at[ids[k - 1]!]!) return ids.sort((a, b) => at[a]! - at[b]! || a - b);
    }
    return ids;
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
    if (this.compacted === 0) {
      const out = buildCsr(this.from, this.at, this.amount, n, accounts);
      const into = buildCsr(this.to, this.at, this.amount, n, accounts);
      this.setCsr(out, into, n, accounts);
      return;
    }
    // Fold the delta in: unchanged runs of rows are copied as blocks, touched rows merged.
    const out = this.mergeCsr(true, accounts);
    const into = this.mergeCsr(false, accounts);
    this.setCsr(out, into, n, accounts);
  }

  private setCsr(out: Csr, into: Csr, n: number, accounts: number): void {
    this.outStart = out.start;
    this.outEdge = out.edge;
    this.outCum = out.cum;
    this.inStart = into.start;
    this.inEdge = into.edge;
    this.inCum = into.cum;
    this.compacted = n;
    this.csrAccounts = accounts;
    this.deltaOutHead.fill(0);
    this.deltaInHead.fill(0);
    this.mergedOut.clear();
    this.mergedIn.clear();
  }

  private mergeCsr(outgoing: boolean, accounts: number): Csr {
    const owner = outgoing ? this.from : this.to;
    const oldStart = outgoing ? this.outStart : this.inStart;
    const oldEdge = outgoing ? this.outEdge : this.inEdge;
    const oldCum = outgoing ? this.outCum : this.inCum;
    const oldAccounts = this.csrAccounts;
    const oldRow = (a: number): number => oldStart[Math.min(a, oldAccounts)]!;
    const added = new Int32Array(accounts);
    for (let id = this.compacted; id < this.count; id++) added[owner[id]!]!++;
    const start = new Int32Array(accounts + 1);
    for (let a = 0; a < accounts; a++) start[a + 1] = start[a]! + (oldRow(a + 1) - oldRow(a)) + added[a]!;
    const edge = new Int32Array(this.count);
    const cum = new Float64Array(this.count);
    let a = 0;
    while (a < accounts) {
      let b = a;
      while (b < accounts && added[b] === 0) b++;
      if (b > a) copyRows(oldEdge, oldCum, oldRow(a), oldRow(b), edge, cum, start[a]!);
      if (b < accounts) {
        const ids = this.deltaIds(b, outgoing);
        mergeRows(this.at, this.amount, oldEdge, oldCum, oldRow(b), oldRow(b + 1), ids, edge, cum, start[b]!);
        b++;
      }
      a = b;
    }
    return { start, edge, cum };
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

interface Csr {
  start: Int32Array;
  edge: Int32Array;
  cum: Float64Array;
}

/** Copies rows [from, to) of a CSR table to `pos` (short runs by hand: a subarray costs more). */
function copyRows(
  srcEdge: Int32Array,
  srcCum: Float64Array,
  from: number,
  to: number,
  edge: Int32Array,
  cum: Float64Array,
  pos: number,
): void {
  if (to - from < 64) {
    for (let i = from, k = pos; i < to; i++, k++) {
      edge[k] = srcEdge[i]!;
      cum[k] = srcCum[i]!;
    }
    return;
  }
  edge.set(srcEdge.subarray(from, to), pos);
  cum.set(srcCum.subarray(from, to), pos);
}

/**
 * Writes one account's row: its indexed transfers `baseEdge[bs..be)` merged with `ids` (newer ids,
 * ordered by time) by (time, id), with running sums, into `edge`/`cum` from `pos`. The indexed part
 * before the first new transfer is copied as a block.
 */
function mergeRows(
  at: Float64Array,
  amount: Float64Array,
  baseEdge: Int32Array,
  baseCum: Float64Array,
  bs: number,
  be: number,
  ids: readonly number[],
  edge: Int32Array,
  cum: Float64Array,
  pos: number,
): void {
  // Indexed transfers at or before the first new one's time keep their place and running sums.
  const first = ids.length > 0 ? at[ids[0]!]! : Number.POSITIVE_INFINITY;
  let lo = bs;
  let hi = be;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at[baseEdge[mid]!]! <= first) lo = mid + 1;
    else hi = mid;
  }
  copyRows(baseEdge, baseCum, bs, lo, edge, cum, pos);
  let k = pos + (lo - bs);
  let sum = lo > bs ? baseCum[lo - 1]! : 0;
  let i = lo;
  let j = 0;
  while (i < be || j < ids.length) {
    // Indexed ids are all older than new ones, so on equal times the indexed one comes first.
    const takeBase = i < be && (j >= ids.length || at[baseEdge[i]!]! <= at[ids[j]!]!);
    const id = takeBase ? baseEdge[i++]! : ids[j++]!;
    edge[k] = id;
    sum += amount[id]!;
    cum[k++] = sum;
  }
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
): Csr {
  const start = new Int32Array(accounts + 1);
  for (let id = 0; id < n; id++) start[owner[id]! + 1]!++;
  for (let a = 0; a < accounts; a++) start[a + 1]! += start[a]!;
  const fill = start.slice(0, accounts);
  const edge = new Int32Array(n);
  const cum = new Float64Array(n);
  // In id order, per account: the last time seen (a group is in time order unless a time goes back)
  // and the running sum, right whenever the group needs no sorting.
  const last = new Float64Array(accounts).fill(Number.NEGATIVE_INFINITY);
  const running = new Float64Array(accounts);
  const unsorted = new Uint8Array(accounts);
  for (let id = 0; id < n; id++) {
    const a = owner[id]!;
    const pos = fill[a]!++;
    edge[pos] = id;
    const t = at[id]!;
    if (t < last[a]!) unsorted[a] = 1;
    last[a] = t;
    cum[pos] = running[a]! += amount[id]!;
  }
  const byTime = (x: number, y: number): number => at[x]! - at[y]! || x - y;
  for (let a = 0; a < accounts; a++) {
    if (unsorted[a] === 0) continue;
    const s = start[a]!;
    const e = start[a + 1]!;
    edge.subarray(s, e).sort(byTime);
    let sum = 0;
    for (let i = s; i < e; i++) {
      sum += amount[edge[i]!]!;
      cum[i] = sum;
    }
  }
  return { start, edge, cum };
}
