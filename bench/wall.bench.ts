/**
 * The command wall's refresh over ten million reports' worth of history in PostgreSQL (target < 1 s, no
 * full scans): `wall_refresh_*_ms` is one `GET /api/wall/summary`'s worth of queries and assembly. The
 * history goes straight into the wall's own tables with generate_series — the refresh reads nothing else —
 * shaped like a year of a busy province: one stop-payment request and one county hand-off per report,
 * the last two days' stops still in force and hand-offs still open. Prints the plans the refresh relies on
 * (EXPLAIN ANALYZE) as `#` lines. Also: `wall_rollup_events_per_s`, the consumer applying events in batches.
 * FANZHA_BENCH_WALL_REPORTS changes the history's size.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { migrate, openDatabase } from '../packages/server/src/db/database';
import type { DB } from '../packages/server/src/db/schema';
import { systemClock } from '../packages/server/src/platform/clock';
import { applyWallEvents } from '../packages/server/src/modules/wall/index';
import { wallQueries } from '../packages/server/src/modules/wall/wall.queries';
import { WALL_LIMITS, wallSummary, wallWindow } from '../packages/server/src/modules/wall/wall.service';
import { listCounties, type EventEnvelope } from '../packages/domain/src/index';
import { machine, percentile, pgUrl, report } from './support';

const REPORTS = Number(process.env.FANZHA_BENCH_WALL_REPORTS ?? 10_000_000);
const DAYS = 365;
const REFRESHES = 30;
const ROLLUP_EVENTS = 20_000;
const BIG_TABLES = ['wall_report', 'wall_stop', 'wall_task'] as const;
const BANKS = [
  'ICBC',
  'CCB',
  'ABC',
  'BOC',
  'BOCOM',
  'PSBC',
  'CMB',
  'CIB',
  'ZYCBANK',
  'GZRCU',
  'GYCB',
  'SPDB',
];
const TYPES = [
  'TASK_REBATE',
  'FAKE_INVESTMENT',
  'FAKE_LOAN',
  'FAKE_CREDIT_REPAIR',
  'FAKE_ECOMMERCE_CS',
  'ROMANCE',
];

const pgArray = (xs: readonly string[]) => `{${xs.join(',')}}`;

async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await f();
  console.log(`# ${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

/** Drops the indexes of the big tables while loading (one sorted build each is much faster), and gives them back. */
async function withoutIndexes(db: Kysely<DB>, load: () => Promise<void>): Promise<void> {
  const tables = sql.join(BIG_TABLES.map((t) => sql.lit(t)));
  const keys = await sql<{ tbl: string; name: string; def: string }>`
    select conrelid::regclass::text tbl, conname name, pg_get_constraintdef(oid) def from pg_constraint
    where contype = 'p' and conrelid::regclass::text in (${tables})`.execute(db);
  const indexes = await sql<{ name: string; def: string }>`
    select indexname name, indexdef def from pg_indexes
    where tablename in (${tables}) and indexname not like '%_pkey'`.execute(db);
  for (const i of indexes.rows) await sql`drop index ${sql.id(i.name)}`.execute(db);
  for (const k of keys.rows)
    await sql`alter table ${sql.id(k.tbl)} drop constraint ${sql.id(k.name)}`.execute(db);
  await load();
  await timed('indexes', async () => {
    for (const k of keys.rows)
      await sql`alter table ${sql.id(k.tbl)} add constraint ${sql.id(k.name)} ${sql.raw(k.def)}`.execute(db);
    for (const i of indexes.rows) await sql.raw(i.def).execute(db);
  });
}

/** A year of history, `REPORTS` reports spread evenly, as the rollup consumer would have left it. */
async function loadHistory(pool: Kysely<DB>, now: Date): Promise<void> {
  // One connection throughout, so that the session settings below hold for every statement.
  await pool.connection().execute((db) => load(db, now));
}

async function load(db: Kysely<DB>, now: Date): Promise<void> {
  const counties = pgArray(listCounties().map((c) => c.code));
  const span = `${DAYS} days`;
  await sql`set timezone = 'UTC'`.execute(db);
  await sql`set synchronous_commit = off`.execute(db);
  await sql`set maintenance_work_mem = '1GB'`.execute(db);
  await withoutIndexes(db, async () => {
    await timed(`wall_report ${REPORTS}`, () =>
      sql`
        insert into wall_report (report_id, answered_at, is_received, county_code, fraud_type, loss_fen, to_stop_s, stopped_fen)
        select gen_random_uuid(), ${now}::timestamptz - ${span}::interval * (i::float8 / ${REPORTS}), true,
          (${counties}::text[])[(1 + (i * 7919) % 88)::int], (${pgArray(TYPES)}::text[])[(1 + (i * 31) % ${TYPES.length})::int],
          (1000 + (i * 104729) % 9000000)::bigint * 100,
          case when i % 10 < 8 then 40 + (i * 13) % 400 end, 0
        from generate_series(1::bigint, ${REPORTS}) i`.execute(db),
    );
    await timed(`wall_stop ${REPORTS}`, () =>
      sql`
        insert into wall_stop (id, bank_code, layer, is_stopped, answered_at, response_s, stopped_fen, is_in_force, expires_at, event_at)
        select gen_random_uuid(), (${pgArray(BANKS)}::text[])[(1 + (i * 17) % ${BANKS.length})::int], (1 + i % 3)::int,
          i % 10 < 7, t, 20 + (i * 7) % 600, case when i % 10 < 7 then (100 + (i * 7717) % 5000000)::bigint * 100 else 0 end,
          i % 10 < 7 and t > ${now}::timestamptz - interval '48 hours', t + interval '48 hours', t
        from generate_series(1::bigint, ${REPORTS}) i,
          lateral (select ${now}::timestamptz - ${span}::interval * (i::float8 / ${REPORTS}) + interval '2 minutes' t) x`.execute(
        db,
      ),
    );
    await timed(`wall_task ${REPORTS}`, () =>
      sql`
        insert into wall_task (id, county_code, is_open, is_overdue, due_at, event_at)
        select gen_random_uuid(), (${counties}::text[])[(1 + (i * 7919) % 88)::int], t > ${now}::timestamptz - interval '48 hours',
          false, t + interval '24 hours', t
        from generate_series(1::bigint, ${REPORTS}) i,
          lateral (select ${now}::timestamptz - ${span}::interval * (i::float8 / ${REPORTS}) t) x`.execute(
        db,
      ),
    );
  });
  await timed('counters', async () => {
    await sql`
      insert into wall_hour (hour, metric, n, fen)
      select date_trunc('hour', answered_at), 'received', count(*), sum(loss_fen) from wall_report group by 1`.execute(
      db,
    );
    await sql`
      insert into wall_hour (hour, metric, n, fen)
      select date_trunc('hour', answered_at), 'stopped', count(*), sum(stopped_fen) from wall_stop where is_stopped group by 1`.execute(
      db,
    );
    for (const [metric, column] of [
      ['county', 'county_code'],
      ['fraud_type', 'fraud_type'],
    ] as const)
      await sql`
        insert into wall_day (day, metric, key, n, fen)
        select ((answered_at + interval '8 hours') at time zone 'UTC')::date, ${metric}, ${sql.ref(column)}, count(*), sum(loss_fen)
        from wall_report group by 1, 3`.execute(db);
    await sql`
      insert into wall_ticker (at, kind, county_code, fraud_type, loss_fen, stopped_fen, frozen_fen, returned_fen, text)
      select ${now}::timestamptz - i * interval '1 minute', 'stopped', '520102', 'TASK_REBATE', 5000000, 3100000, 0, 0,
        '贵阳市南明区 · 刷单返利 · ¥50,000 · 已止付 ¥31,000'
      from generate_series(1, 500) i`.execute(db);
  });
  await timed('vacuum analyze', async () => {
    for (const t of ['wall_report', 'wall_stop', 'wall_task', 'wall_hour', 'wall_day', 'wall_ticker'])
      await sql`vacuum analyze ${sql.id(t)}`.execute(db);
  });
}

async function printPlans(db: Kysely<DB>, now: Date): Promise<number> {
  let fullScans = 0;
  const q = wallQueries(db, wallWindow(now), WALL_LIMITS);
  for (const [name, query] of Object.entries(q)) {
    const rows = await query.explain(undefined, sql`analyze, buffers`);
    const plan = rows.map((r) => String(Object.values(r as Record<string, unknown>)[0]));
    if (plan.some((line) => /Seq Scan on wall_(report|stop|task)\b/.test(line))) fullScans++;
    console.log(`# --- ${name}`);
    for (const line of plan) console.log(`#   ${line}`);
  }
  return fullScans;
}

/** The consumer's throughput: stop-payment events in batches of 500, as a busy stream delivers them. */
async function rollupThroughput(db: Kysely<DB>, now: Date): Promise<number> {
  const events: EventEnvelope[] = Array.from({ length: ROLLUP_EVENTS }, (_, i) => ({
    id: randomUUID(),
    subject: 'stop-payment.changed',
    version: 1,
    occurredAt: now.toISOString(),
    data: {
      reportCreatedBy: randomUUID(),
      owningCountyCode: null,
      request: {
        id: randomUUID(),
        reportId: randomUUID(),
        layer: 1,
        account: { bankCode: BANKS[i % BANKS.length]! },
        sentAt: new Date(now.getTime() - 60_000).toISOString(),
        result: { outcome: 'stopped', stoppedFen: 100_000, answeredAt: now.toISOString() },
        legalState: 'stopped',
        expiresAt: new Date(now.getTime() + 48 * 3_600_000).toISOString(),
        frozenFen: 0,
        returnedFen: 0,
      },
    } as unknown as EventEnvelope<'stop-payment.changed'>['data'],
  }));
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += 500)
    await applyWallEvents({ db, clock: systemClock, wake: () => undefined }, events.slice(i, i + 500));
  return ROLLUP_EVENTS / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  console.log(`# ${machine()}; ${REPORTS.toLocaleString('en-US')} reports over ${DAYS} days`);
  const name = `fanzha_bench_wall_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 8 });
  try {
    await migrate(database.db);
    const now = new Date();
    await loadHistory(database.db, now);
    const fullScans = await printPlans(database.db, now);

    for (let i = 0; i < 3; i++) await wallSummary(database.db, new Date());
    const times: number[] = [];
    for (let i = 0; i < REFRESHES; i++) {
      const t0 = performance.now();
      await wallSummary(database.db, new Date());
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    report('wall_refresh_p50_ms', percentile(times, 50), 'ms');
    report('wall_refresh_p99_ms', percentile(times, 99), 'ms');
    report('wall_refresh_full_scans', fullScans, 'queries');
    report(
      'wall_rollup_events_per_s',
      Math.round(await rollupThroughput(database.db, new Date())),
      'events/s',
    );
  } finally {
    await database.close();
    // The pool's sockets finish closing after end() resolves; dropping under them would be an error.
    await new Promise((r) => setTimeout(r, 500));
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
