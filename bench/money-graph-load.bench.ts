/**
 * The live money graph's start-up: every transfer of the record read from PostgreSQL in pages (50,000 rows)
 * into the in-memory graph, as each API process does when it starts or after a broker gap.
 * `money_graph_load_per_s` is transfers loaded per second, `money_graph_bytes_per_transfer` the graph's memory
 * per transfer as it reports it. The record is made with generate_series: heavy-tailed accounts (a few mule
 * accounts receive a large share), a victim's source for every fifth transfer, one report per five transfers.
 * FANZHA_BENCH_MONEY_TRANSFERS changes the number of transfers (default 10,000,000).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { migrate, openDatabase } from '../packages/server/src/db/database';
import { createLiveMoneyGraph } from '../packages/server/src/modules/money-graph/index';
import { machine, pgUrl, report } from './support';

const TRANSFERS = Number(process.env.FANZHA_BENCH_MONEY_TRANSFERS ?? 10_000_000);
const ACCOUNTS = Math.max(10, Math.floor(TRANSFERS / 5));

async function main(): Promise<void> {
  console.log(`# ${machine()}; ${TRANSFERS.toLocaleString('en-US')} transfers, ${ACCOUNTS} accounts`);
  const name = `fanzha_bench_money_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 });
  try {
    await migrate(database.db);
    const t0 = performance.now();
    // In slices, so that one statement's memory stays bounded whatever the scale.
    const slice = 1_000_000;
    for (let from = 1; from <= TRANSFERS; from += slice) {
      const to = Math.min(TRANSFERS, from + slice - 1);
      await sql`
        insert into money_transfer (from_key, to_key, amount_fen, at, report_id, source_kind, source_id, recorded_at)
        select
          case when i % 5 = 0 then 'victim:' || md5((i / 5)::text)::uuid::text
               else 'ICBC:' || (floor(${ACCOUNTS}::float8 * power(((i * 7919) % 100003) / 100003.0, 2)))::int8 end,
          'CCB:' || (floor(${ACCOUNTS}::float8 * power(((i * 104729) % 99991) / 99991.0, 3)))::int8,
          100 + (i * 37) % 5000000,
          timestamptz '2026-01-01' + make_interval(secs => i),
          md5((i / 5)::text)::uuid,
          case when i % 5 = 0 then 'report' else 'bank_answer' end,
          i::text,
          now()
        from generate_series(${from}::int8, ${to}::int8) as i`.execute(database.db);
    }
    console.log(`# record made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const live = createLiveMoneyGraph({ db: database.db });
    const before = process.memoryUsage().heapUsed;
    const t1 = performance.now();
    const loaded = await live.load();
    const seconds = (performance.now() - t1) / 1000;
    const stats = live.stats();
    console.log(
      `# loaded ${loaded} transfers in ${seconds.toFixed(2)} s; ${stats.accounts} accounts; heap +${Math.round(
        (process.memoryUsage().heapUsed - before) / 1e6,
      )} MB`,
    );
    report('money_graph_load_per_s', Math.round(loaded / seconds), 'transfers/s');
    report('money_graph_bytes_per_transfer', stats.bytes / Math.max(1, stats.transfers), 'bytes');
  } finally {
    await database.close();
    await new Promise((r) => setTimeout(r, 500));
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
