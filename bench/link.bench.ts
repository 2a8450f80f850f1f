/**
 * Case linking (串并案): linking a new report against N reports already indexed in PostgreSQL (target
 * `link_p99_ms` < 10 at N = 1,000,000). The index (link_value) and the clusters are seeded straight into the
 * module's tables with generate_series: each report names a phone, a payee account and an app; three reports
 * in ten share a gang's phone (clusters of three); the apps are named by so many reports that the over-shared
 * guard skips them (the look-up still reads up to the guard's count of rows for each). Each new report is then
 * linked in its own transaction as the linker does it (the lock, its values into the index, the one look-up,
 * the plan's writes): half share a gang's phone and join its cluster, a tenth of those bridge two gangs (a
 * merge), the rest link nothing. Prints `link_p50_ms`, `link_p99_ms` and `link_statements_per_report`.
 * FANZHA_BENCH_LINK_REPORTS changes N; FANZHA_BENCH_LINK_NEW the number of new reports.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { migrate, openDatabase } from '../packages/server/src/db/database';
import { systemClock } from '../packages/server/src/platform/clock';
import {
  linkerStats,
  linkReport,
  type LinkerDeps,
} from '../packages/server/src/modules/case-links/case-links.linker';
import { caseLinkWrites } from '../packages/server/src/modules/case-links/case-links.repository';
import type { LinkValue } from '../packages/domain/src/index';
import { machine, percentile, pgUrl, report } from './support';

const REPORTS = Number(process.env.FANZHA_BENCH_LINK_REPORTS ?? 1_000_000);
const NEW = Number(process.env.FANZHA_BENCH_LINK_NEW ?? 2_000);
const SHARED = 50;
/** No alert here: an alert names its report (a row the bench does not seed), and is raised once per cluster. */
const ALERT = 1_000_000;
const APPS = 20;

const gangPhone = (g: number) => `+8613${String(g).padStart(9, '0')}`;

async function main(): Promise<void> {
  console.log(`# ${machine()}; ${REPORTS.toLocaleString('en-US')} reports indexed, ${NEW} linked`);
  const name = `fanzha_bench_link_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 });
  const db = database.db;
  try {
    await migrate(db);
    const t0 = performance.now();
    const n = REPORTS;
    // Three reports in ten share their gang's phone: report 10g, 10g+1, 10g+2 are gang g's.
    await sql`
      insert into link_value (kind, value, report_id, layer, seen_at)
      select 'phone', case when i % 10 < 3 then '+8613' || lpad((i / 10)::text, 9, '0')
                           else '+8615' || lpad(i::text, 9, '0') end,
             md5('r' || i)::uuid, null, now()
      from generate_series(0, ${n - 1}) i
      union all
      select 'account', '62' || lpad(i::text, 17, '0'), md5('r' || i)::uuid, 1, now() from generate_series(0, ${n - 1}) i
      union all
      select 'app', 'com.app' || (i % ${APPS}), md5('r' || i)::uuid, null, now() from generate_series(0, ${n - 1}) i
    `.execute(db);
    await sql`
      insert into cluster (id, status, report_count, created_at, updated_at)
      select md5('c' || g)::uuid, 'open', 3, now(), now() from generate_series(0, ${Math.ceil(n / 10) - 1}) g
      where g * 10 + 2 < ${n}`.execute(db);
    await sql`
      insert into cluster_report (report_id, cluster_id, joined_at)
      select md5('r' || i)::uuid, md5('c' || (i / 10))::uuid, now() from generate_series(0, ${n - 1}) i
      where i % 10 < 3 and (i / 10) * 10 + 2 < ${n}`.execute(db);
    await sql`
      insert into report_link (report_a, report_b, kind, value, status, linked_at)
      select least(md5('r' || i)::uuid, md5('r' || (i + 1))::uuid), greatest(md5('r' || i)::uuid, md5('r' || (i + 1))::uuid),
             'phone', '+8613' || lpad((i / 10)::text, 9, '0'), 'active', now()
      from generate_series(0, ${n - 1}) i where i % 10 < 2 and (i / 10) * 10 + 2 < ${n}`.execute(db);
    await sql`analyze`.execute(db);
    console.log(`# seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const deps: LinkerDeps = {
      db,
      clock: systemClock,
      sharedReports: SHARED,
      alertReports: ALERT,
      wake: () => {},
    };
    const gangs = Math.floor(n / 10);
    let rnd = 12345;
    const next = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const times: number[] = [];
    let statements = 0;
    for (let j = 0; j < NEW + 100; j++) {
      const reportId = randomUUID();
      const values: LinkValue[] = [
        { kind: 'account', value: `63${String(j).padStart(17, '0')}` },
        { kind: 'app', value: `com.app${j % APPS}` },
      ];
      const r = next();
      if (r < 0.5) values.push({ kind: 'phone', value: gangPhone(Math.floor(next() * gangs)) });
      else values.push({ kind: 'phone', value: `+8617${String(j).padStart(9, '0')}` });
      if (r < 0.05) values.push({ kind: 'social', value: `wechat:gang${Math.floor(next() * gangs)}` });
      if (r < 0.05) values.push({ kind: 'phone', value: gangPhone(Math.floor(next() * gangs)) });
      const before = linkerStats.statements;
      const s0 = performance.now();
      await db.transaction().execute(async (trx) => {
        await caseLinkWrites.lockLinker(trx);
        await caseLinkWrites.insertValues(
          trx,
          values.map((v) => ({ ...v, report_id: reportId, layer: v.kind === 'account' ? 1 : null })),
          systemClock.now(),
        );
        await linkReport(deps, trx, reportId, values, { changed: new Map() });
      });
      const ms = performance.now() - s0;
      // The first hundred warm the caches and the pool.
      if (j >= 100) {
        times.push(ms);
        statements += 2 + linkerStats.statements - before;
      }
    }
    times.sort((a, b) => a - b);
    report('link_p50_ms', percentile(times, 50), 'ms');
    report('link_p99_ms', percentile(times, 99), 'ms');
    report('link_statements_per_report', statements / NEW, 'statements');
    const plan = await sql<{ 'QUERY PLAN': string }>`explain analyze
      select lv.report_id from link_value lv where lv.kind = 'phone' and lv.value = ${gangPhone(1)}
      order by lv.kind, lv.value, lv.report_id limit ${SHARED + 2}`.execute(db);
    for (const row of plan.rows) console.log(`# ${row['QUERY PLAN']}`);
  } finally {
    await database.close();
    await new Promise((r) => setTimeout(r, 500));
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
