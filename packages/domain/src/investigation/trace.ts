import type { EdgeStore, EdgeView } from './edge-store';
import type { AllocationRule, TracedAccount, TracedFlow, TraceResult } from './money-graph';

export interface TraceRun {
  readonly sources: readonly number[];
  readonly rule: AllocationRule;
  readonly maxDepth: number;
  readonly minAmountFen: number;
  /** Transfers of each account visited before the trace stops following it. */
  readonly hubTransfers: number;
  /** Only transfers at or before this time (ms) are followed. */
  readonly until: number;
}

// One account the traced money reached.
interface Reached {
  readonly id: number;
  readonly source: boolean;
  depth: number;
  received: number;
  passedOn: number;
  // Following: true while its next transfer out is scheduled.
  scheduled: boolean;
  // Stopped for good: the hub cap was hit.
  stopped: boolean;
  // Never followed past its depth (the depth cap) — remembered so the cap is reported once.
  capReported: boolean;
  out: EdgeView;
  outPos: number;
  inView: EdgeView | null;
  inPos: number;
  visited: number;
  // The traced money it holds now (what the rule would still pass on).
  traced: number;
  // Traced inflows registered but not yet applied (they apply to transfers out strictly later).
  unapplied: number;
  // Proportional: traced inflows not yet applied, in time order.
  pendAt: number[];
  pendFen: number[];
  pendHead: number;
  // FIFO/LIFO: lots of money in arrival order — amount and its traced part.
  lotFen: number[];
  lotTraced: number[];
  lotHead: number;
}

/** The first index in view[lo..end) whose time is > t (strict) or >= t. */
function firstAfter(store: EdgeStore, v: EdgeView, t: number, strict: boolean): number {
  let lo = v.start;
  let hi = v.end;
  const at = store.at;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = at[v.edge[mid]!]!;
    if (strict ? x <= t : x < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sumBefore(v: EdgeView, i: number): number {
  return i <= v.start ? 0 : v.cum[i - 1]!;
}

/** Min-heap of (time, account) pairs. */
class Schedule {
  private readonly t: number[] = [];
  private readonly a: number[] = [];

  get size(): number {
    return this.t.length;
  }

  push(time: number, account: number): void {
    const t = this.t;
    const a = this.a;
    let i = t.length;
    t.push(time);
    a.push(account);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p]! <= time) break;
      t[i] = t[p]!;
      a[i] = a[p]!;
      i = p;
    }
    t[i] = time;
    a[i] = account;
  }

  /** Removes the earliest pair; returns its account. */
  pop(): number {
    const t = this.t;
    const a = this.a;
    const top = a[0]!;
    const lastT = t.pop()!;
    const lastA = a.pop()!;
    const n = t.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && t[r]! < t[l]! ? r : l;
        if (t[c]! >= lastT) break;
        t[i] = t[c]!;
        a[i] = a[c]!;
        i = c;
      }
      t[i] = lastT;
      a[i] = lastA;
    }
    return top;
  }
}

/**
 * Follows the sources' money forward in time, one transfer at a time in global time order (a
 * discrete-event walk): an account's transfers out are visited in time order from just after its
 * first traced inflow, and each takes a traced part under the rule. Money reaching an account at
 * time t leaves only by transfers strictly after t; an account never passes on more traced money than
 * it holds at that moment.
 */
export function runTrace(store: EdgeStore, run: TraceRun): TraceResult {
  const { rule, maxDepth, until, hubTransfers } = run;
  const minFen = Math.max(1, run.minAmountFen);
  const keys = store.accounts.keys;
  const at = store.at;
  const amount = store.amount;
  const toOf = store.to;
  const reached = new Map<number, Reached>();
  const order: Reached[] = [];
  const tracedByEdge = new Map<number, number>();
  const flows: TracedFlow[] = [];
  const schedule = new Schedule();
  let truncated = false;

  const newReached = (id: number, depth: number, source: boolean): Reached => {
    const out = store.out(id);
    const r: Reached = {
      id,
      source,
      depth,
      received: 0,
      passedOn: 0,
      scheduled: false,
      stopped: false,
      capReported: false,
      out,
      outPos: out.start,
      inView: null,
      inPos: 0,
      visited: 0,
      traced: 0,
      unapplied: 0,
      pendAt: [],
      pendFen: [],
      pendHead: 0,
      lotFen: [],
      lotTraced: [],
      lotHead: 0,
    };
    reached.set(id, r);
    order.push(r);
    return r;
  };

  const scheduleNext = (r: Reached): void => {
    if (r.outPos < r.out.end && at[r.out.edge[r.outPos]!]! <= until) {
      r.scheduled = true;
      schedule.push(at[r.out.edge[r.outPos]!]!, r.id);
    } else {
      r.scheduled = false;
    }
  };

  // Starts (or restarts, after its traced money ran out) following `r` from its inflow at time t.
  const activate = (r: Reached, t: number): void => {
    r.outPos = firstAfter(store, r.out, t, true);
    if (rule !== 'proportional') {
      const inView = r.inView ?? (r.inView = store.in(r.id));
      r.inPos = firstAfter(store, inView, t, false);
      // What the account held just before: transfers in before t, out at or before t.
      const before = Math.max(0, sumBefore(inView, r.inPos) - sumBefore(r.out, r.outPos));
      r.lotFen.length = 0;
      r.lotTraced.length = 0;
      r.lotHead = 0;
      if (before > 0) {
        r.lotFen.push(before);
        r.lotTraced.push(0);
      }
    }
    scheduleNext(r);
  };

  // Registers `fen` of traced money arriving at account `to` by transfer `edge` at time t.
  const arrive = (toId: number, edge: number, t: number, fen: number, depth: number): void => {
    let r = reached.get(toId);
    if (r === undefined) r = newReached(toId, depth, false);
    else if (depth < r.depth) r.depth = depth;
    if (r.source) return;
    r.received += fen;
    if (r.depth >= maxDepth) {
      if (!r.capReported && firstAfter(store, r.out, t, true) < r.out.end) {
        r.capReported = true;
        truncated = true;
      }
      return;
    }
    if (r.stopped) return;
    r.unapplied++;
    if (rule === 'proportional') {
      r.pendAt.push(t);
      r.pendFen.push(fen);
    } else {
      tracedByEdge.set(edge, fen);
    }
    if (!r.scheduled) {
      if (r.unapplied === 1 && r.traced === 0) activate(r, t);
      else scheduleNext(r);
    }
  };

  // Applies everything that reached `r` strictly before time s.
  const catchUp = (r: Reached, s: number): void => {
    if (rule === 'proportional') {
      while (r.pendHead < r.pendAt.length && r.pendAt[r.pendHead]! < s) {
        r.traced += r.pendFen[r.pendHead]!;
        r.pendHead++;
        r.unapplied--;
      }
      if (r.pendHead === r.pendAt.length) {
        r.pendAt.length = 0;
        r.pendFen.length = 0;
        r.pendHead = 0;
      }
      return;
    }
    const v = r.inView!;
    while (r.inPos < v.end) {
      const e = v.edge[r.inPos]!;
      if (at[e]! >= s) break;
      r.inPos++;
      r.visited++;
      const tr = tracedByEdge.get(e) ?? 0;
      if (tr > 0) {
        tracedByEdge.delete(e);
        r.unapplied--;
        r.traced += tr;
      }
      const fen = amount[e]!;
      const last = r.lotFen.length - 1;
      // Untraced money next to untraced money is one lot.
      if (tr === 0 && last >= r.lotHead && r.lotTraced[last] === 0) r.lotFen[last]! += fen;
      else {
        r.lotFen.push(fen);
        r.lotTraced.push(tr);
      }
    }
  };

  // The traced part of a transfer of `fen` out of `r` at time s, taken from its holdings.
  const take = (r: Reached, fen: number, s: number): number => {
    if (r.source) return fen;
    if (rule === 'proportional') {
      const inView = r.inView ?? (r.inView = store.in(r.id));
      const balance = sumBefore(inView, firstAfter(store, inView, s, false)) - sumBefore(r.out, r.outPos);
      const whole = Math.max(balance, r.traced);
      const part = fen >= whole ? r.traced : Math.min(r.traced, Math.floor((r.traced * fen) / whole));
      r.traced -= part;
      return part;
    }
    let left = fen;
    let part = 0;
    const lots = r.lotFen;
    const lotTraced = r.lotTraced;
    while (left > 0 && r.lotHead < lots.length) {
      const i = rule === 'fifo' ? r.lotHead : lots.length - 1;
      const lot = lots[i]!;
      const got = Math.min(left, lot);
      const tr = got === lot ? lotTraced[i]! : Math.floor((lotTraced[i]! * got) / lot);
      part += tr;
      left -= got;
      lots[i] = lot - got;
      lotTraced[i] = lotTraced[i]! - tr;
      if (lots[i] === 0) {
        if (rule === 'fifo') r.lotHead++;
        else {
          lots.pop();
          lotTraced.pop();
        }
      }
    }
    if (r.lotHead > 64 && r.lotHead * 2 > lots.length) {
      lots.splice(0, r.lotHead);
      lotTraced.splice(0, r.lotHead);
      r.lotHead = 0;
    }
    r.traced -= part;
    return part;
  };

  for (const id of run.sources) {
    if (reached.has(id)) continue;
    const r = newReached(id, 0, true);
    scheduleNext(r);
  }

  while (schedule.size > 0) {
    const r = reached.get(schedule.pop())!;
    const e = r.out.edge[r.outPos]!;
    const s = at[e]!;
    if (!r.source) catchUp(r, s);
    const fen = amount[e]!;
    const part = take(r, fen, s);
    r.outPos++;
    r.visited++;
    if (part > 0) {
      r.passedOn += part;
      if (r.source) r.received += part;
      if (part >= minFen) {
        const toId = toOf[e]!;
        flows.push({
          from: keys[r.id]!,
          to: keys[toId]!,
          depth: r.depth + 1,
          at: s,
          transferFen: fen,
          tracedFen: part,
        });
        arrive(toId, e, s, part, r.depth + 1);
      }
    }
    if (r.visited >= hubTransfers && r.outPos < r.out.end) {
      // A hub: stop following it; what it still holds stays with it.
      r.stopped = true;
      r.scheduled = false;
      truncated = true;
      continue;
    }
    if (!r.source && r.traced < minFen && r.unapplied === 0) {
      // Its traced money is spent (what is left is below the threshold and stays with it).
      r.scheduled = false;
      r.traced = 0;
      continue;
    }
    scheduleNext(r);
  }

  const accounts: TracedAccount[] = order
    .map((r) => ({
      account: keys[r.id]!,
      depth: r.depth,
      receivedFen: r.received,
      passedOnFen: r.passedOn,
      heldFen: r.received - r.passedOn,
    }))
    .sort((a, b) => a.depth - b.depth);
  return {
    rule,
    sources: run.sources.map((id) => keys[id]!),
    flows,
    accounts,
    truncated,
  };
}
