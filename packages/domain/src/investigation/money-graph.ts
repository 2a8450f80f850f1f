import { EdgeStore } from './edge-store';
import { runTrace } from './trace';

// The interface agreed with the server's money-graph module: amounts are integer fen, times epoch ms.

/** An account key: `${bankCode}:${number}` for bank accounts/cards, `victim:${reportId}` for a victim's source. */
export type MoneyAccountKey = string;

export type AllocationRule = 'fifo' | 'lifo' | 'proportional';

export interface MoneyTransferInput {
  readonly from: MoneyAccountKey;
  readonly to: MoneyAccountKey;
  readonly amountFen: number;
  readonly at: number; // epoch ms
}

export interface TraceOptions {
  readonly rule: AllocationRule;
  readonly maxDepth: number; // 1..20; 5 = five layers
  readonly minAmountFen?: number; // stop following flows below this (default 100 fen)
}

/** One traced edge: how much of the source's money is attributed to this transfer under the rule. */
export interface TracedFlow {
  readonly from: MoneyAccountKey;
  readonly to: MoneyAccountKey;
  readonly depth: number; // 1 = victim -> first layer
  readonly at: number;
  readonly transferFen: number; // the transfer's whole amount
  readonly tracedFen: number; // the part attributed to the traced source(s), <= transferFen
}

export interface TracedAccount {
  readonly account: MoneyAccountKey;
  readonly depth: number; // smallest depth it was reached at
  readonly receivedFen: number; // traced money received
  readonly passedOnFen: number; // traced money sent on (never more than received, at any time)
  readonly heldFen: number; // received - passedOn: what of the source's money should still sit there
}

export interface TraceResult {
  readonly rule: AllocationRule;
  readonly sources: readonly MoneyAccountKey[];
  readonly flows: readonly TracedFlow[];
  readonly accounts: readonly TracedAccount[];
  readonly truncated: boolean; // a hub cap or depth cap was hit
}

/** Each source's share of an account's traced balance (pooled funds), at a time. */
export interface AccountShare {
  readonly source: MoneyAccountKey; // e.g. victim:<reportId>
  readonly heldFen: number;
  readonly share: number; // 0..1 of the account's traced balance
}

export interface MoneyGraph {
  /** Adds transfers (idempotent on (from,to,amountFen,at)); visible to the next trace. */
  add(transfers: readonly MoneyTransferInput[]): void;
  /**
   * Removes transfers (those not held are ignored); the next trace no longer sees them. Adding one again brings
   * it back. For a report whose payments were edited: its old victim → first-layer transfers are removed.
   */
  remove(transfers: readonly MoneyTransferInput[]): void;
  trace(sources: readonly MoneyAccountKey[], options: TraceOptions): TraceResult;
  /** Shares of every victim source whose money reached `account`, under the rule, at time `at` (default: latest). */
  shares(
    account: MoneyAccountKey,
    options: { rule: AllocationRule; maxDepth?: number; at?: number },
  ): readonly AccountShare[];
  stats(): { accounts: number; transfers: number; bytes: number };
}

/** The prefix of a victim's source account key. */
export const VICTIM_SOURCE_PREFIX = 'victim:';
export const DEFAULT_MIN_AMOUNT_FEN = 100;
export const DEFAULT_HUB_TRANSFERS = 10_000;
export const DEFAULT_SHARES_DEPTH = 5;
export const MAX_TRACE_DEPTH = 20;

/** Why a transfer or trace option is refused (the caller validates first; this guards the graph). */
function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(message);
}

/**
 * The in-memory money graph: accounts and transfers in typed arrays (see `EdgeStore`), traced forward
 * in time under an allocation rule (see `runTrace`). `hubTransfers` caps the transfers of one account
 * a trace visits; `compactAt` is the smallest delta folded into the CSR tables.
 */
export function createMoneyGraph(options: { hubTransfers?: number; compactAt?: number } = {}): MoneyGraph {
  const hubTransfers = options.hubTransfers ?? DEFAULT_HUB_TRANSFERS;
  check(Number.isInteger(hubTransfers) && hubTransfers >= 1, 'hubTransfers must be a positive integer');
  const store = new EdgeStore(options.compactAt);

  const trace = (
    sources: readonly MoneyAccountKey[],
    opts: TraceOptions,
    until = Number.POSITIVE_INFINITY,
  ): TraceResult => {
    check(
      Number.isInteger(opts.maxDepth) && opts.maxDepth >= 1 && opts.maxDepth <= MAX_TRACE_DEPTH,
      'maxDepth must be 1..20',
    );
    const minAmountFen = opts.minAmountFen ?? DEFAULT_MIN_AMOUNT_FEN;
    check(
      Number.isSafeInteger(minAmountFen) && minAmountFen >= 0,
      'minAmountFen must be a non-negative integer',
    );
    const ids: number[] = [];
    for (const key of sources) {
      const id = store.accounts.find(key);
      if (id >= 0 && !ids.includes(id)) ids.push(id);
    }
    const result = runTrace(store, {
      sources: ids,
      rule: opts.rule,
      maxDepth: opts.maxDepth,
      minAmountFen,
      hubTransfers,
      until,
    });
    return { ...result, sources: [...new Set(sources)] };
  };

  return {
    add(transfers) {
      for (const t of transfers) {
        check(Number.isSafeInteger(t.amountFen) && t.amountFen > 0, 'amountFen must be a positive integer');
        check(Number.isSafeInteger(t.at), 'at must be an integer time in ms');
        check(t.from.length > 0 && t.to.length > 0, 'account keys must not be empty');
      }
      for (const t of transfers) store.add(t.from, t.to, t.amountFen, t.at);
      store.maybeCompact();
    },

    remove(transfers) {
      for (const t of transfers) store.remove(t.from, t.to, t.amountFen, t.at);
    },

    trace: (sources, opts) => trace(sources, opts),

    shares(account, opts) {
      const maxDepth = opts.maxDepth ?? DEFAULT_SHARES_DEPTH;
      const until = opts.at ?? Number.POSITIVE_INFINITY;
      const target = store.accounts.find(account);
      if (target < 0) return [];
      const held: { source: MoneyAccountKey; heldFen: number }[] = [];
      for (const source of victimSourcesUpstream(store, target, maxDepth, until, hubTransfers)) {
        const result = trace([source], { rule: opts.rule, maxDepth, minAmountFen: 1 }, until);
        const fen = result.accounts.find((a) => a.account === account)?.heldFen ?? 0;
        if (fen > 0) held.push({ source, heldFen: fen });
      }
      const total = held.reduce((sum, h) => sum + h.heldFen, 0);
      return held
        .map((h) => ({ ...h, share: h.heldFen / total }))
        .sort((a, b) => b.heldFen - a.heldFen || (a.source < b.source ? -1 : 1));
    },

    stats: () => ({ accounts: store.accounts.size, transfers: store.size, bytes: store.byteLength }),
  };
}

/**
 * The victim sources (`victim:…`) from which money could have reached `target` by `until` within
 * `maxDepth` transfers, each transfer earlier than the next: a backward walk over incoming transfers,
 * visiting at most `hubTransfers` of each account (the latest ones).
 */
function victimSourcesUpstream(
  store: EdgeStore,
  target: number,
  maxDepth: number,
  until: number,
  hubTransfers: number,
): MoneyAccountKey[] {
  const keys = store.accounts.keys;
  // For each account walked: the time by which money must have left it (later is wider) and the depth
  // it was walked at (nearer leaves more layers); a walk dominated by an earlier one is skipped.
  const bound = new Map<number, { before: number; depth: number }>([[target, { before: until, depth: 0 }]]);
  const found = new Set<MoneyAccountKey>();
  let frontier: { id: number; before: number; inclusive: boolean }[] = [
    { id: target, before: until, inclusive: true },
  ];
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const { id, before, inclusive } of frontier) {
      const v = store.in(id);
      let end = v.end;
      while (end > v.start) {
        const t = store.at[v.edge[end - 1]!]!;
        if (t < before || (inclusive && t === before)) break;
        end--;
      }
      const start = Math.max(v.start, end - hubTransfers);
      for (let i = start; i < end; i++) {
        const e = v.edge[i]!;
        const from = store.from[e]!;
        const t = store.at[e]!;
        const key = keys[from]!;
        if (key.startsWith(VICTIM_SOURCE_PREFIX)) found.add(key);
        const known = bound.get(from);
        if (known !== undefined && known.before >= t && known.depth <= depth + 1) continue;
        bound.set(from, { before: t, depth: depth + 1 });
        next.push({ id: from, before: t, inclusive: false });
      }
    }
    frontier = next;
  }
  return [...found].sort();
}
