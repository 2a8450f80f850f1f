/**
 * A period report (日报/周报/月报) over ten million reports of history in PostgreSQL (target: a daily report
 * renders in < 5 s). The history goes straight into the tables the report reads — the wall's rollups
 * (`wall_report`, `wall_stop`, `wall_hour`, `wall_day`) and the county hand-offs (`county_task`) — with
 * generate_series, shaped as the wall bench's: a year of a busy province, one stop-payment request and one
 * hand-off per report. `county_task` rows point at reports that the bench does not load (its foreign keys are
 * not checked during the load: `session_replication_role = replica`). Prints the plans of the report's reads
 * as `#` lines and times the figures, the xlsx and the PDF of a daily, weekly and monthly report, the centre's
 * and one county's. FANZHA_BENCH_PERIOD_REPORTS changes the history's size.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { migrate, openDatabase } from '../packages/server/src/db/database';
import type { DB } from '../packages/server/src/db/schema';
import { countyTaskPeriodQuery } from '../packages/server/src/modules/county-tasks/index';
import { renderReport } from '../packages/server/src/modules/period-reports/index';
import { periodOf } from '../packages/server/src/modules/period-reports/period';
import { periodFigures } from '../packages/server/src/modules/period-reports/period-reports.figures';
import { reportPdf } from '../packages/server/src/modules/period-reports/period-reports.pdf';
import { reportXlsx } from '../packages/server/src/modules/period-reports/period-reports.xlsx';
import { wallPeriodQueries } from '../packages/server/src/modules/wall/index';
import { listCounties } from '../packages/domain/src/index';
import { machine, percentile, pgUrl, report } from './support';

const REPORTS = Number(process.env.FANZHA_BENCH_PERIOD_REPORTS ?? 10_000_000);
const DAYS = 365;
const RUNS = 5;
const BIG = ['wall_report', 'wall_stop', 'county_task'] as const;
const BANKS = ['ICBC', 'CCB', 'ABC', 'BOC', 'BOCOM', 'PSBC', 'CMB', 'CIB', 'GZRCU', 'GYCB', 'SPDB'];
const TYPES = [
  'TASK_REBATE',
  'FAKE_INVESTMENT',
  'FAKE_LOAN',
  'FAKE_CREDIT_REPAIR',
  'FAKE_ECOMMERCE_CS',
  'ROMANCE',
];
const NANMING = '520102';
const pgArray = (xs: readonly string[]) => `{${xs.join(',')}}`;

async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await f();
  console.log(`# ${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

async function load(db: Kysely<DB>, now: Date): Promise<void> {
  const counties = pgArray(listCounties().map((c) => c.code));
  const span = `${DAYS} days`;
  const at = sql`${now}::timestamptz - ${span}::interval * (i::float8 / ${REPORTS})`;
  const reportId = sql`md5(i::text)::uuid`;
  const county = sql`(${counties}::text[])[(1 + (i * 7919) % 88)::int]`;
  await sql`set timezone = 'UTC'`.execute(db);
  await sql`set synchronous_commit = off`.execute(db);
  await sql`set maintenance_work_mem = '1GB'`.execute(db);
  await sql`set session_replication_role = replica`.execute(db);
  const tables = sql.join(BIG.map((t) => sql.lit(t)));
  const keys = await sql<{ tbl: string; name: string; def: string }>`
    select conrelid::regclass::text tbl, conname name, pg_get_constraintdef(oid) def from pg_constraint
    where contype = 'p' and conrelid::regclass::text in (${tables})`.execute(db);
  const indexes = await sql<{ name: string; def: string }>`
    select indexname name, indexdef def from pg_indexes
    where tablename in (${tables}) and indexname not like '%_pkey'`.execute(db);
  for (const i of indexes.rows) await sql`drop index ${sql.id(i.name)}`.execute(db);
  for (const k of keys.rows)
    await sql`alter table ${sql.id(k.tbl)} drop constraint ${sql.id(k.name)} cascade`.execute(db);
  await timed(`wall_report ${REPORTS}`, () =>
    sql`
      insert into wall_report (report_id, answered_at, is_received, county_code, fraud_type, loss_fen, to_stop_s, stopped_fen)
      select ${reportId}, ${at}, true, ${county}, (${pgArray(TYPES)}::text[])[(1 + (i * 31) % ${TYPES.length})::int],
        (1000 + (i * 104729) % 9000000)::bigint * 100, case when i % 10 < 8 then 40 + (i * 13) % 400 end,
        case when i % 10 < 7 then (100 + (i * 7717) % 5000000)::bigint * 100 else 0 end
      from generate_series(1::bigint, ${REPORTS}) i`.execute(db),
  );
  await timed(`wall_stop ${REPORTS}`, () =>
    sql`
      insert into wall_stop (id, report_id, bank_code, layer, is_stopped, answered_at, response_s, stopped_fen, is_in_force, expires_at, event_at)
      select gen_random_uuid(), ${reportId}, (${pgArray(BANKS)}::text[])[(1 + (i * 17) % ${BANKS.length})::int], 1,
        i % 10 < 7, t, 20 + (i * 7) % 900, case when i % 10 < 7 then (100 + (i * 7717) % 5000000)::bigint * 100 else 0 end,
        false, t + interval '48 hours', t
      from generate_series(1::bigint, ${REPORTS}) i, lateral (select ${at} + interval '2 minutes' t) x`.execute(
      db,
    ),
  );
  await timed(`county_task ${REPORTS}`, () =>
    sql`
      insert into county_task (id, report_id, county_code, status, issued_at, accept_due_at, due_at, accepted_at, overdue_at, updated_at)
      select gen_random_uuid(), ${reportId}, ${county}, case when i % 10 < 9 then 'accepted' else 'issued' end, t,
        t + interval '30 minutes', t + interval '24 hours',
        case when i % 10 < 9 then t + make_interval(mins => (i % 45)::int) end,
        case when i % 10 = 9 then t + interval '30 minutes' end, t
      from generate_series(1::bigint, ${REPORTS}) i, lateral (select ${at} + interval '3 minutes' t) x`.execute(
      db,
    ),
  );
  await timed('indexes', async () => {
    for (const k of keys.rows)
      await sql`alter table ${sql.id(k.tbl)} add constraint ${sql.id(k.name)} ${sql.raw(k.def)}`.execute(db);
    for (const i of indexes.rows) await sql.raw(i.def).execute(db);
  });
  await timed('counters', async () => {
    await sql`insert into wall_hour (hour, metric, n, fen)
      select date_trunc('hour', answered_at), 'received', count(*), sum(loss_fen) from wall_report group by 1`.execute(
      db,
    );
    await sql`insert into wall_hour (hour, metric, n, fen)
      select date_trunc('hour', answered_at), 'stopped', count(*), sum(stopped_fen) from wall_stop where is_stopped group by 1`.execute(
      db,
    );
    for (const [metric, column] of [
      ['county', 'county_code'],
      ['fraud_type', 'fraud_type'],
    ] as const)
      await sql`insert into wall_day (day, metric, key, n, fen)
        select ((answered_at + interval '8 hours') at time zone 'UTC')::date, ${metric}, ${sql.ref(column)}, count(*), sum(loss_fen)
        from wall_report group by 1, 3`.execute(db);
  });
  await sql`set session_replication_role = origin`.execute(db);
  await timed('vacuum analyze', async () => {
    for (const t of [...BIG, 'wall_hour', 'wall_day']) await sql`vacuum analyze ${sql.id(t)}`.execute(db);
  });
}

async function printPlans(db: Kysely<DB>, day: string, county: string | null): Promise<number> {
  const p = periodOf('daily', day);
  const wall = wallPeriodQueries(db, {
    from: p.from,
    to: p.to,
    fromDay: p.fromDay,
    lastDay: p.lastDay,
    county,
    targetS: 180,
    bankTargetS: 600,
  });
  let fullScans = 0;
  for (const [name, query] of Object.entries({
    ...wall,
    countyTasks: countyTaskPeriodQuery(db, p.from, p.to, county),
  })) {
    const rows = await query.explain(undefined, sql`analyze, buffers`);
    const plan = rows.map((r) => String(Object.values(r as Record<string, unknown>)[0]));
    if (plan.some((line) => /Seq Scan on (wall_report|wall_stop|county_task)\b/.test(line))) fullScans++;
    console.log(`# --- ${name}${county ? ` (${county})` : ''}`);
    for (const line of plan) console.log(`#   ${line}`);
  }
  return fullScans;
}

async function timeReports(
  db: Kysely<DB>,
  label: string,
  kind: 'daily' | 'weekly' | 'monthly',
  day: string,
  county: string | null,
) {
  const t = { figures: [] as number[], xlsx: [] as number[], pdf: [] as number[], total: [] as number[] };
  let bytes = { xlsx: 0, pdf: 0 };
  const p = periodOf(kind, day);
  const meta = {
    title: label,
    from: p.fromDay,
    lastDay: p.lastDay,
    scope: county ?? 'centre',
    createdAt: new Date(),
  };
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const figures = await periodFigures(db, p, county, meta.createdAt);
    const t1 = performance.now();
    const xlsx = await reportXlsx(figures, meta);
    const t2 = performance.now();
    const pdf = await reportPdf(figures, meta);
    const t3 = performance.now();
    t.figures.push(t1 - t0);
    t.xlsx.push(t2 - t1);
    t.pdf.push(t3 - t2);
    t.total.push(t3 - t0);
    bytes = { xlsx: xlsx.length, pdf: pdf.length };
  }
  for (const [part, times] of Object.entries(t)) {
    times.sort((a, b) => a - b);
    report(`period_report_${label}_${part}_p50_ms`, percentile(times, 50), 'ms');
  }
  report(`period_report_${label}_total_max_ms`, t.total.at(-1)!, 'ms');
  console.log(`# ${label}: xlsx ${bytes.xlsx} bytes, pdf ${bytes.pdf} bytes`);
}

async function main(): Promise<void> {
  console.log(`# ${machine()}; ${REPORTS.toLocaleString('en-US')} reports over ${DAYS} days`);
  const name = `fanzha_bench_period_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 8 });
  try {
    await migrate(database.db);
    const now = new Date();
    await database.db.connection().execute((db) => load(db, now));
    // Yesterday in China time: a whole day of history.
    const yesterday = new Date(now.getTime() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
    const fullScans =
      (await printPlans(database.db, yesterday, null)) + (await printPlans(database.db, yesterday, NANMING));
    await renderReport(database.db, periodOf('daily', yesterday), null, now); // warm: the font, the plans
    await timeReports(database.db, 'daily', 'daily', yesterday, null);
    await timeReports(database.db, 'daily_county', 'daily', yesterday, NANMING);
    await timeReports(database.db, 'weekly', 'weekly', yesterday, null);
    await timeReports(database.db, 'monthly', 'monthly', yesterday, null);
    report('period_report_full_scans', fullScans, 'queries');
  } finally {
    await database.close();
    await new Promise((r) => setTimeout(r, 500));
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
