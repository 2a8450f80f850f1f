/**
 * The money graph (`@fanzha/domain` investigation): a seeded graph of transfers between bank accounts
 * with heavy-tailed (power-law) degrees — a few hub accounts with tens of thousands of transfers, most
 * with a handful — and victims' sources paying into it. Figures: the start-up rebuild (every transfer
 * added in batches of 10,000, as a server loads them), memory per transfer, 5-layer traces from random
 * victims under each allocation rule (p50, p99), and transfers added per second afterwards (each batch
 * of 100 visible to the next trace).
 *
 * Scale: `FANZHA_BENCH_TRANSFERS` (default 10,000,000) and `FANZHA_BENCH_ACCOUNTS` (default 2,000,000).
 */
import { createMoneyGraph, type AllocationRule, type MoneyTransferInput } from '../packages/domain/src/index';
import { machine, percentile, report } from './support';

const TRANSFERS = Number(process.env.FANZHA_BENCH_TRANSFERS ?? 10_000_000);
const ACCOUNTS = Number(process.env.FANZHA_BENCH_ACCOUNTS ?? 2_000_000);
const TRACES = Number(process.env.FANZHA_BENCH_TRACES ?? 200);
const BATCH = 10_000;
const ADDS = 100_000;
const T0 = Date.UTC(2026, 10, 1);
// One transfer every 50 ms on average: 10 M transfers span about six days.
const STEP_MS = 50;
// Every 100th transfer is a victim's payment; each victim pays twice.
const VICTIM_EVERY = 100;

// mulberry32: a small seeded generator, so every run builds the same graph.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const random = rng(20261204);
const BANKS = ['ICBC', 'CCB', 'ABC', 'BOC', 'CMB', 'PSBC'];
const accountKey = (i: number): string => `${BANKS[i % BANKS.length]}:62220${String(i).padStart(11, '0')}`;
// A power-law rank: P(rank ≤ k) = (k / N)^(1/3), so the first account takes about N^(-1/3) of all
// transfers (≈ 0.8 % at 2 M accounts). Senders and receivers are ranked by different permutations.
const zipf = (): number => Math.floor(ACCOUNTS * random() ** 3);
const sender = (): number => zipf();
const receiver = (): number => (zipf() * 7_919 + 104_729) % ACCOUNTS;
// Log-uniform amounts: 10 yuan to 100,000 yuan; victims pay 1,000 to 50,000 yuan.
const amount = (lo: number, hi: number): number => Math.round(lo * (hi / lo) ** random());

function transfer(i: number): MoneyTransferInput {
  const at = T0 + i * STEP_MS;
  if (i % VICTIM_EVERY === 0)
    return {
      from: `victim:${Math.floor(i / (2 * VICTIM_EVERY))}`,
      to: accountKey(receiver()),
      amountFen: amount(100_000, 5_000_000),
      at,
    };
  return { from: accountKey(sender()), to: accountKey(receiver()), amountFen: amount(1_000, 10_000_000), at };
}

console.log(`# machine: ${machine()}`);
console.log(
  `# scale: ${TRANSFERS} transfers, ${ACCOUNTS} accounts (heavy-tailed degrees), ${TRACES} traces per rule`,
);
const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;

const graph = createMoneyGraph();
let t0 = performance.now();
// The rebuild is the time inside `add` (the batches are generated outside it, as rows read elsewhere).
let addMs = 0;
for (let start = 0; start < TRANSFERS; start += BATCH) {
  const batch: MoneyTransferInput[] = [];
  for (let i = start; i < Math.min(TRANSFERS, start + BATCH); i++) batch.push(transfer(i));
  const s = performance.now();
  graph.add(batch);
  addMs += performance.now() - s;
}
const buildS = addMs / 1000;
report('rebuild_with_generation_s', (performance.now() - t0) / 1000, 's');
const stats = graph.stats();
global.gc?.();
const heapAfter = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
report('trace_transfers', stats.transfers, 'transfers');
report('trace_accounts', stats.accounts, 'accounts');
report('rebuild_10m_s', buildS, 's');
report('rebuild_per_s', Math.round(stats.transfers / buildS), 'transfers/s');
report('bytes_per_transfer', stats.bytes / stats.transfers, 'B');
report('heap_bytes_per_transfer', (heapAfter - heapBefore) / stats.transfers, 'B');

const victims = Math.floor(TRANSFERS / (2 * VICTIM_EVERY));
const pick = rng(7);
const sources = Array.from({ length: TRACES }, () => `victim:${Math.floor(pick() * victims)}`);
for (const rule of ['fifo', 'lifo', 'proportional'] as AllocationRule[]) {
  for (let i = 0; i < 10; i++) graph.trace([sources[i]!], { rule, maxDepth: 5 });
  const ms: number[] = [];
  let flows = 0;
  let truncated = 0;
  for (const source of sources) {
    const s = performance.now();
    const r = graph.trace([source], { rule, maxDepth: 5 });
    ms.push(performance.now() - s);
    flows += r.flows.length;
    if (r.truncated) truncated++;
  }
  ms.sort((a, b) => a - b);
  report(`trace_${rule}_p50_ms`, percentile(ms, 50), 'ms');
  report(`trace_${rule}_p99_ms`, percentile(ms, 99), 'ms');
  report(`trace_${rule}_flows_mean`, flows / sources.length, 'flows');
  report(`trace_${rule}_truncated_share`, truncated / sources.length, 'traces');
}
// The proportional rule's p99 is the headline (it reads whole balances); `trace_p99_ms` is the worst rule's.

const sharesMs: number[] = [];
for (let i = 0; i < 20; i++) {
  const r = graph.trace([sources[i]!], { rule: 'proportional', maxDepth: 2 });
  const last = r.accounts[r.accounts.length - 1];
  if (last === undefined) continue;
  const s = performance.now();
  graph.shares(last.account, { rule: 'proportional' });
  sharesMs.push(performance.now() - s);
}
sharesMs.sort((a, b) => a - b);
report('shares_p50_ms', percentile(sharesMs, 50), 'ms');

t0 = performance.now();
for (let start = TRANSFERS; start < TRANSFERS + ADDS; start += 100) {
  const batch: MoneyTransferInput[] = [];
  for (let i = start; i < start + 100; i++) batch.push(transfer(i));
  graph.add(batch);
}
report('add_per_s', Math.round(ADDS / ((performance.now() - t0) / 1000)), 'transfers/s');
