import type { AccountUse, MoneyGraphChange } from '@fanzha/contracts';
import { createMoneyGraph, type EventEnvelope, type MoneyGraph } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics/metrics';
import { moneyGraphRepository as repo } from './money-graph.repository';

/** Rows per page when the graph is built from the record. */
export const LOAD_PAGE = 50_000;

/**
 * The money graph in this process's memory: built from the record in pages, kept current by
 * `money-graph.changed` heard live, built again after a gap. Reads always see a whole graph: a rebuild fills a
 * new one and swaps it in, with what was heard meanwhile added on top.
 */
export interface LiveMoneyGraph {
  /** The current graph (built on first use when nothing started it). */
  graph(): Promise<MoneyGraph>;
  /** What a bank said an account is used for, if it said. */
  accountUse(key: string): AccountUse | null;
  /** Builds the graph from the record and swaps it in; resolves with the transfers loaded. */
  load(): Promise<number>;
  /** Applies a change heard on the bus (removals, then additions). */
  apply(change: MoneyGraphChange): void;
  stats(): { accounts: number; transfers: number; bytes: number };
}

export function createLiveMoneyGraph(deps: { db: Kysely<DB>; pageSize?: number }): LiveMoneyGraph {
  const pageSize = deps.pageSize ?? LOAD_PAGE;
  let current: MoneyGraph | undefined;
  let uses = new Map<string, AccountUse>();
  let loading: Promise<number> | undefined;
  /** Changes heard while a rebuild runs: added to the new graph when it is swapped in. */
  let heard: MoneyGraphChange[] | undefined;

  const inputs = (ts: MoneyGraphChange['transfers']) =>
    ts.map((t) => ({ from: t.from, to: t.to, amountFen: t.amountFen, at: Date.parse(t.at) }));
  /** A change on a graph: what a report no longer names first, then what was recorded. */
  const applyTo = (graph: MoneyGraph, c: MoneyGraphChange) => {
    if (c.removed?.length) graph.remove(inputs(c.removed));
    graph.add(inputs(c.transfers));
  };

  async function build(): Promise<number> {
    heard = [];
    try {
      const graph = createMoneyGraph();
      const nextUses = new Map<string, AccountUse>();
      let after = 0;
      let loaded = 0;
      for (;;) {
        const page = await repo.pageTransfers(deps.db, after, pageSize);
        if (page.length === 0) break;
        graph.add(
          page.map((t) => ({ from: t.from_key, to: t.to_key, amountFen: t.amount_fen, at: t.at.getTime() })),
        );
        loaded += page.length;
        after = page.at(-1)!.id;
        if (page.length < pageSize) break;
      }
      let afterKey = '';
      for (;;) {
        const page = await repo.pageAccountUses(deps.db, afterKey, pageSize);
        for (const a of page) nextUses.set(a.key, a.account_use);
        if (page.length < pageSize) break;
        afterKey = page.at(-1)!.key;
      }
      for (const c of heard) {
        applyTo(graph, c);
        for (const a of c.accounts) if (a.accountUse) nextUses.set(a.key, a.accountUse);
      }
      current = graph;
      uses = nextUses;
      return loaded;
    } finally {
      heard = undefined;
    }
  }

  const live: LiveMoneyGraph = {
    async graph() {
      if (!current) await live.load();
      return current!;
    },
    accountUse: (key) => uses.get(key) ?? null,
    load() {
      loading ??= build().finally(() => (loading = undefined));
      return loading;
    },
    apply(change) {
      heard?.push(change);
      if (current) applyTo(current, change);
      for (const a of change.accounts) if (a.accountUse) uses.set(a.key, a.accountUse);
    },
    stats: () => current?.stats() ?? { accounts: 0, transfers: 0, bytes: 0 },
  };
  return live;
}

/** The live graph's size as a gauge: accounts, transfers and bytes held in memory. */
export function registerMoneyGraphMetrics(metrics: Metrics, live: LiveMoneyGraph): void {
  metrics.gauge({
    name: 'fanzha_money_graph',
    help: 'The live money graph of this process: accounts, transfers and bytes of memory',
    labelNames: ['measure'],
    collect() {
      const s = live.stats();
      this.set({ measure: 'accounts' }, s.accounts);
      this.set({ measure: 'transfers' }, s.transfers);
      this.set({ measure: 'bytes' }, s.bytes);
    },
  });
}

/**
 * Keeps the live graph current (roles all and api): listens first, then builds, so a change heard during the
 * build is on top of it; after a lost connection to the broker the graph is built again.
 */
export async function startLiveMoneyGraph(deps: {
  live: LiveMoneyGraph;
  bus: Bus;
  log: Pick<Logger, 'info' | 'error'>;
}): Promise<Subscription> {
  const { live, log } = deps;
  const listening = await deps.bus.listen(
    ['money-graph.changed'],
    (event) => live.apply((event as EventEnvelope<'money-graph.changed'>).data),
    () => {
      live
        .load()
        .then((n) => log.info({ transfers: n }, 'money graph: rebuilt after a gap'))
        .catch((err: unknown) => log.error({ err }, 'money graph: rebuild failed'));
    },
  );
  const started = Date.now();
  const n = await live.load();
  log.info({ transfers: n, bytes: live.stats().bytes, ms: Date.now() - started }, 'money graph: built');
  return listening;
}
