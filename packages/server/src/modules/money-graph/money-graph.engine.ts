// Temporary stand-in for the domain's money graph (helper "trace" implements it in
// packages/domain/src/investigation/); the same interface, a plain implementation. Replaced by the import
// from '@fanzha/domain' once it lands.

export type MoneyAccountKey = string;
export type AllocationRule = 'fifo' | 'lifo' | 'proportional';
export interface MoneyTransferInput {
  readonly from: MoneyAccountKey;
  readonly to: MoneyAccountKey;
  readonly amountFen: number;
  readonly at: number;
}
export interface TraceOptions {
  readonly rule: AllocationRule;
  readonly maxDepth: number;
  readonly minAmountFen?: number;
}
export interface TracedFlow {
  readonly from: MoneyAccountKey;
  readonly to: MoneyAccountKey;
  readonly depth: number;
  readonly at: number;
  readonly transferFen: number;
  readonly tracedFen: number;
}
export interface TracedAccount {
  readonly account: MoneyAccountKey;
  readonly depth: number;
  readonly receivedFen: number;
  readonly passedOnFen: number;
  readonly heldFen: number;
}
export interface TraceResult {
  readonly rule: AllocationRule;
  readonly sources: readonly MoneyAccountKey[];
  readonly flows: readonly TracedFlow[];
  readonly accounts: readonly TracedAccount[];
  readonly truncated: boolean;
}
export interface AccountShare {
  readonly source: MoneyAccountKey;
  readonly heldFen: number;
  readonly share: number;
}
export interface MoneyGraph {
  add(transfers: readonly MoneyTransferInput[]): void;
  trace(sources: readonly MoneyAccountKey[], options: TraceOptions): TraceResult;
  shares(
    account: MoneyAccountKey,
    options: { rule: AllocationRule; maxDepth?: number; at?: number },
  ): readonly AccountShare[];
  stats(): { accounts: number; transfers: number; bytes: number };
}

interface Lot {
  source: MoneyAccountKey;
  fen: number;
  at: number;
}

export function createMoneyGraph(): MoneyGraph {
  const seen = new Set<string>();
  const out = new Map<MoneyAccountKey, MoneyTransferInput[]>();
  const into = new Map<MoneyAccountKey, MoneyTransferInput[]>();
  const accounts = new Set<MoneyAccountKey>();
  let count = 0;

  function run(sources: readonly MoneyAccountKey[], options: TraceOptions, until = Infinity) {
    const isSource = new Set(sources);
    const depth = new Map<MoneyAccountKey, number>(sources.map((s) => [s, 0]));
    let frontier = [...isSource];
    let truncated = false;
    const edges: Array<MoneyTransferInput & { depth: number }> = [];
    for (let d = 0; frontier.length > 0; d++) {
      const next: MoneyAccountKey[] = [];
      for (const a of frontier)
        for (const t of out.get(a) ?? []) {
          if (d >= options.maxDepth) {
            truncated = true;
            break;
          }
          if (t.at > until) continue;
          edges.push({ ...t, depth: d + 1 });
          if (!depth.has(t.to)) {
            depth.set(t.to, d + 1);
            next.push(t.to);
          }
        }
      frontier = next;
    }
    edges.sort((a, b) => a.at - b.at || a.depth - b.depth);
    const lots = new Map<MoneyAccountKey, Lot[]>();
    const flows: TracedFlow[] = [];
    const received = new Map<MoneyAccountKey, number>();
    const passed = new Map<MoneyAccountKey, number>();
    const min = options.minAmountFen ?? 100;
    for (const e of edges) {
      let taken: Lot[];
      if (isSource.has(e.from)) taken = [{ source: e.from, fen: e.amountFen, at: e.at }];
      else {
        const have = lots.get(e.from) ?? [];
        const total = have.reduce((s, l) => s + l.fen, 0);
        if (total < min) continue;
        const want = Math.min(total, e.amountFen);
        taken = [];
        if (options.rule === 'proportional') {
          let left = want;
          have.forEach((l, i) => {
            const part = i === have.length - 1 ? Math.min(left, l.fen) : Math.floor((l.fen * want) / total);
            left -= part;
            l.fen -= part;
            if (part > 0) taken.push({ source: l.source, fen: part, at: e.at });
          });
        } else {
          const order = options.rule === 'fifo' ? have : [...have].reverse();
          let left = want;
          for (const l of order) {
            const part = Math.min(left, l.fen);
            if (part <= 0) continue;
            l.fen -= part;
            left -= part;
            taken.push({ source: l.source, fen: part, at: e.at });
          }
        }
        lots.set(
          e.from,
          have.filter((l) => l.fen > 0),
        );
        passed.set(e.from, (passed.get(e.from) ?? 0) + want);
      }
      const tracedFen = taken.reduce((s, l) => s + l.fen, 0);
      if (tracedFen <= 0) continue;
      if (!isSource.has(e.to)) {
        const list = lots.get(e.to) ?? [];
        list.push(...taken);
        lots.set(e.to, list);
        received.set(e.to, (received.get(e.to) ?? 0) + tracedFen);
      }
      flows.push({ from: e.from, to: e.to, depth: e.depth, at: e.at, transferFen: e.amountFen, tracedFen });
    }
    const traced: TracedAccount[] = [...received].map(([account, r]) => ({
      account,
      depth: depth.get(account) ?? 0,
      receivedFen: r,
      passedOnFen: passed.get(account) ?? 0,
      heldFen: r - (passed.get(account) ?? 0),
    }));
    return { flows, traced, lots, truncated };
  }

  return {
    add(transfers) {
      for (const t of transfers) {
        const k = `${t.from}|${t.to}|${t.amountFen}|${t.at}`;
        if (seen.has(k)) continue;
        seen.add(k);
        count++;
        accounts.add(t.from).add(t.to);
        const outs = out.get(t.from);
        if (outs) outs.push(t);
        else out.set(t.from, [t]);
        const ins = into.get(t.to);
        if (ins) ins.push(t);
        else into.set(t.to, [t]);
      }
    },
    trace(sources, options) {
      const r = run(sources, options);
      return { rule: options.rule, sources, flows: r.flows, accounts: r.traced, truncated: r.truncated };
    },
    shares(account, options) {
      const maxDepth = options.maxDepth ?? 20;
      const found = new Set<MoneyAccountKey>();
      const seenUp = new Set([account]);
      let frontier = [account];
      for (let d = 0; d < maxDepth && frontier.length > 0; d++) {
        const next: MoneyAccountKey[] = [];
        for (const a of frontier)
          for (const t of into.get(a) ?? []) {
            if (t.from.startsWith('victim:')) found.add(t.from);
            else if (!seenUp.has(t.from)) {
              seenUp.add(t.from);
              next.push(t.from);
            }
          }
        frontier = next;
      }
      const r = run([...found].sort(), { rule: options.rule, maxDepth }, options.at);
      const held = new Map<MoneyAccountKey, number>();
      for (const l of r.lots.get(account) ?? []) held.set(l.source, (held.get(l.source) ?? 0) + l.fen);
      const total = [...held.values()].reduce((s, v) => s + v, 0);
      return [...held]
        .filter(([, v]) => v > 0)
        .map(([source, heldFen]) => ({ source, heldFen, share: total > 0 ? heldFen / total : 0 }));
    },
    stats() {
      return { accounts: accounts.size, transfers: count, bytes: count * 64 + accounts.size * 48 };
    },
  };
}
