/**
 * Deterministic fault injection on the stop-payment path, many seeds (`FANZHA_FAULT_SEEDS`, default 500):
 * each seed runs intake → send → answer with onward transfers → the next layer → freeze → confirmation →
 * return decision → return confirmed with the faults it picks (a statement failing as a lost connection
 * would, before or after it ran; an answer lost and the request retried; a request sent twice at once; a
 * bank's answer twice and then a different one; the bus down for a few publishes; the relay dying between
 * publish and mark; a consumer failing), then reconciles in SQL against a fault-free run.
 * `FANZHA_FAULT_ENGINES=pglite` (default `pglite,postgres`) chooses the databases. A failing seed is printed
 * with what went wrong; replay it with `FANZHA_FAULT_SEED=N npx vitest run packages/server/src/faults.test.ts`.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { migrate, openDatabase, type Database } from '../packages/server/src/db/database';
import {
  createFaultEnv,
  faultKinds,
  type FaultKind,
} from '../packages/server/testing/fault-injection/engine';
import { machine, pgUrl, report } from './support';

const SEEDS = Number(process.env.FANZHA_FAULT_SEEDS ?? 500);
const engines = (process.env.FANZHA_FAULT_ENGINES ?? 'pglite,postgres').split(',');

async function run(label: string, database: Database, url?: string): Promise<void> {
  await migrate(database.db);
  const env = await createFaultEnv({ ...database, url });
  const reference = await env.runSeed(0, { faults: false });
  if (reference.problems.length > 0) throw new Error(`fault-free run: ${reference.problems.join('; ')}`);
  const injected = Object.fromEntries(faultKinds.map((k) => [k, 0])) as Record<FaultKind, number>;
  let lost = 0;
  let duplicated = 0;
  let unreconciled = 0;
  const started = performance.now();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const r = await env.runSeed(seed);
    for (const [k, n] of Object.entries(r.injected)) injected[k as FaultKind] += n;
    lost += r.lost;
    duplicated += r.duplicated;
    if (r.problems.length > 0) {
      unreconciled++;
      console.error(`seed ${seed} [${label}]: ${r.problems.join('; ')}`);
    }
    if (seed % 50 === 0) {
      const audit = await env.auditProblem();
      if (audit) {
        unreconciled++;
        console.error(`after seed ${seed} [${label}]: ${audit}`);
      }
      console.error(`# ${label}: ${seed}/${SEEDS} seeds`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const audit = await env.auditProblem();
  if (audit) {
    unreconciled++;
    console.error(`at the end [${label}]: ${audit}`);
  }
  await env.close();
  report(`fault_seeds_${label}`, SEEDS, 'count');
  report(`fault_lost_instructions_${label}`, lost, 'count');
  report(`fault_duplicated_instructions_${label}`, duplicated, 'count');
  report(`fault_unreconciled_${label}`, unreconciled, 'count');
  for (const k of faultKinds) report(`fault_injected_${k}_${label}`, injected[k], 'count');
  report(`fault_seeds_per_s_${label}`, SEEDS / seconds, 'seeds/s');
}

console.log(
  `# ${machine()}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
if (engines.includes('pglite')) {
  const database = await openDatabase({ kind: 'pglite' });
  try {
    await run('pglite', database);
  } finally {
    await database.close();
  }
}
if (engines.includes('postgres')) {
  const name = `fanzha_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 8 });
  try {
    await run('postgres', database, url.toString());
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
console.log(
  `# load average after ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
