/**
 * The public risk lookup over HTTP with a large registry (target: `lookup_p99_ms` < 50 at 1,000 requests/s
 * over 10,000,000 indicators). The registry is seeded straight into the `indicator` table with one
 * `insert … select from generate_series` (its unique key and index dropped while loading and built once
 * after), shaped like a province's: 60 % phone numbers, 20 % domains, 20 % accounts, some shared and some
 * suspended, risk scores of all three levels decayed for up to 400 days, and one in 101 merged into its
 * neighbour (the read resolves it to the survivor in the same statement). Then a server process on that
 * database answers `POST /api/public/risk-lookup`:
 * - `lookup_p50_ms`, `lookup_p99_ms`: latency at an open-loop rate of FANZHA_BENCH_LOOKUP_RATE requests/s
 *   (default 1000), half hits and half misses, each written the way a person types it;
 * - `lookup_per_s_max`: lookups per second with FANZHA_BENCH_LOOKUP_CONCURRENCY requests in flight (32).
 * FANZHA_BENCH_LOOKUP_INDICATORS sets the registry's size (default 10,000,000), FANZHA_BENCH_LOOKUP_SECONDS
 * each phase's length (default 10). Rate limits are off: the bench measures the lookup, not the limiter.
 * To find where a tail comes from, the open loop also prints its stalls (`lookup_stalls`: runs of lookups
 * over 50 ms sent within 100 ms of each other), each with when it began and its longest wait: one long stall
 * and a steady trickle of slow lookups have different causes.
 */
import { randomBytes } from 'node:crypto';
import { createApiClient } from '@fanzha/contracts';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { migrate, openDatabase } from '../packages/server/src/db/database';
import type { DB } from '../packages/server/src/db/schema';
import { machine, natsUrl, percentile, pgUrl, report, dropDeploymentStreams } from './support';
import { serve } from './server-process';

const INDICATORS = Number(process.env.FANZHA_BENCH_LOOKUP_INDICATORS ?? 10_000_000);
const RATE = Number(process.env.FANZHA_BENCH_LOOKUP_RATE ?? 1000);
const SECONDS = Number(process.env.FANZHA_BENCH_LOOKUP_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.FANZHA_BENCH_LOOKUP_CONCURRENCY ?? 32);

/** The i-th indicator's kind and value (the seed's SQL writes the same). */
function nth(i: number): { kind: 'phone' | 'url' | 'account'; value: string } {
  const m = i % 5;
  if (m <= 2)
    return {
      kind: 'phone',
      value: `139 ${String(i)
        .padStart(8, '0')
        .replace(/(\d{4})(\d{4})/, '$1 $2')}`,
    };
  if (m === 3) return { kind: 'url', value: `https://www.site${i}.com.cn/pay?id=1` };
  return { kind: 'account', value: `9${String(i).padStart(17, '0')}` };
}
/** A value of the same shapes that no indicator has. */
function missing(i: number): { kind: 'phone' | 'url' | 'account'; value: string } {
  const m = i % 5;
  if (m <= 2) return { kind: 'phone', value: `137${String(i % 100_000_000).padStart(8, '0')}` };
  if (m === 3) return { kind: 'url', value: `absent${i}.com.cn` };
  return { kind: 'account', value: `8${String(i).padStart(17, '0')}` };
}

/** Slow lookups grouped into stalls: sent within 100 ms of the previous slow one. */
function stallsOf(slow: Array<{ at: number; ms: number }>) {
  const stalls: Array<{ from: number; count: number; longest: number }> = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const s of [...slow].sort((a, b) => a.at - b.at)) {
    const current = stalls.at(-1);
    if (current && s.at - last <= 100) {
      current.count += 1;
      current.longest = Math.max(current.longest, s.ms);
    } else stalls.push({ from: s.at, count: 1, longest: s.ms });
    last = s.at;
  }
  return stalls;
}

async function seed(db: Kysely<DB>): Promise<void> {
  const t0 = performance.now();
  await sql`alter table indicator drop constraint indicator_kind_value_key`.execute(db);
  await sql`drop index indicator_status_id`.execute(db);
  await sql`
    insert into indicator (kind, value, status, risk_level, report_count, answer_count, loss_fen,
      first_seen_at, last_seen_at, last_reported_at, created_at, updated_at, risk_score, scored_at)
    select
      case when i % 5 <= 2 then 'phone' when i % 5 = 3 then 'domain' else 'account' end,
      case when i % 5 <= 2 then '+86139' || lpad(i::text, 8, '0')
           when i % 5 = 3 then 'site' || i || '.com.cn'
           else '9' || lpad(i::text, 17, '0') end,
      case when i % 97 = 0 then 'shared' when i % 89 = 0 then 'suspended' else 'active' end,
      case when i % 3 = 0 then 'high' when i % 3 = 1 then 'medium' else 'low' end,
      1 + i % 4, (i % 7 = 0)::int, (i % 20) * 100000,
      now() - (i % 400) * interval '1 day', now() - (i % 400) * interval '1 day',
      now() - (i % 400) * interval '1 day', now(), now(),
      case when i % 3 = 0 then 40 + (i % 400) when i % 3 = 1 then 12 else 4 end,
      now() - (i % 400) * interval '1 day'
    from generate_series(1::bigint, ${INDICATORS}::bigint) i`.execute(db);
  await sql`
    update indicator set status = 'merged', merged_into = id - 1, risk_score = 0
    where id % 101 = 0 and id > 1`.execute(db);
  console.log(
    `# seeded ${INDICATORS.toLocaleString('en-US')} indicators in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const t1 = performance.now();
  await sql`alter table indicator add constraint indicator_kind_value_key unique (kind, value)`.execute(db);
  await sql`create index indicator_status_id on indicator (status, id)`.execute(db);
  // A registry in service was not bulk-loaded a moment ago: vacuum now, so that autovacuum's pass over ten
  // million new rows (and the first readers' hint-bit writes) do not fall inside the measured seconds.
  await sql`vacuum (freeze, analyze) indicator`.execute(db);
  console.log(`# indexed and vacuumed in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  if (INDICATORS > 99_999_999) throw new Error('at most 99,999,999 indicators (8-digit phone suffixes)');
  console.log(`# ${machine()}; ${INDICATORS.toLocaleString('en-US')} indicators, ${RATE}/s for ${SECONDS} s`);
  const name = `fanzha_bench_lookup_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 });
  try {
    await migrate(database.db);
    await seed(database.db);
    await database.close();
    const server = await serve({
      DATABASE_URL: url.toString(),
      NATS_URL: natsUrl,
      FANZHA_SECRET_KEY: randomBytes(32).toString('hex'),
    });
    try {
      const client = createApiClient({ baseUrl: server.url });
      let n = 0;
      let sentAt = 0;
      const ask = async () => {
        const i = 1 + ((n++ * 7_919) % INDICATORS);
        const body = n % 2 === 0 ? nth(i) : missing(i);
        const t0 = performance.now();
        sentAt = t0;
        await client.POST('/api/public/risk-lookup', { body });
        return performance.now() - t0;
      };
      // Warm up: the pool's connections (as many in flight as the closed loop has, so that every connection
      // is open and has its statements prepared — one at a time would open one), the JIT, the index's upper
      // pages.
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let i = 0; i < 50; i++) await ask();
        }),
      );

      // Open loop: requests go out on schedule whether or not earlier ones have answered.
      const latencies: number[] = [];
      const slow: Array<{ at: number; ms: number }> = [];
      const inFlight: Promise<void>[] = [];
      const total = RATE * SECONDS;
      const start = performance.now();
      for (let k = 0; k < total; k++) {
        const due = start + (k * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const request = ask();
        const at = sentAt - start;
        inFlight.push(
          request.then((ms) => {
            latencies.push(ms);
            if (ms > 50) slow.push({ at, ms });
          }),
        );
      }
      await Promise.all(inFlight);
      const achieved = total / ((performance.now() - start) / 1000);
      latencies.sort((a, b) => a - b);
      report('lookup_p50_ms', percentile(latencies, 50), 'ms');
      report('lookup_p99_ms', percentile(latencies, 99), 'ms');
      report('lookup_offered_per_s', Math.round(achieved), 'requests/s');
      const stalls = stallsOf(slow);
      report('lookup_stalls', stalls.length, 'stalls');
      for (const s of stalls.slice(0, 10))
        console.log(
          `# stall at ${(s.from / 1000).toFixed(2)} s: ${s.count} lookups over 50 ms, the longest ${s.longest.toFixed(0)} ms`,
        );

      // Closed loop: as many as the server answers with CONCURRENCY in flight.
      let done = 0;
      const until = performance.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < until) {
            await ask();
            done++;
          }
        }),
      );
      report('lookup_per_s_max', Math.round(done / SECONDS), 'requests/s');
    } finally {
      await server.stop();
    }
  } finally {
    await new Promise((r) => setTimeout(r, 500));
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    await dropDeploymentStreams(url.toString()).catch(() => undefined);
  }
}

await main();
