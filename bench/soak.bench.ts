/**
 * A long run of the scaled-out layout — two `api` and two `worker` processes on PostgreSQL + NATS behind a
 * round-robin balancer, the simulated province filing reports and answering as banks — to see that memory
 * stays flat and nothing is lost or applied twice:
 *  - soak_rss_slope_mb_per_h_<process>: the growth of each process's resident memory after the warm-up
 *    (least squares over the minute samples); flat memory is a slope near 0;
 *  - soak_rss_last_mb_<process>: its resident memory at the end;
 *  - soak_reports, soak_answers, soak_errors: what the simulator did;
 *  - soak_duplicated_instructions, soak_lost_instructions, soak_unnumbered_instructions,
 *    soak_outbox_unpublished: counted in the database once the run has drained (all 0).
 * FANZHA_BENCH_SOAK_MIN (default 120), FANZHA_BENCH_SOAK_WARMUP_MIN (default 10) and
 * FANZHA_BENCH_SIM_RATE (reports a minute, default 120) change it. Ports 4640–4645 unless FANZHA_BENCH_PORT.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import { startSimulation } from '../packages/simulator/src/index';
import { balancer, serve, signInAdmin, type ServerProcess } from './server-process';
import { dropDeploymentStreams, machine, natsUrl, pgUrl, report } from './support';

const MINUTES = Number(process.env.FANZHA_BENCH_SOAK_MIN ?? 120);
const WARMUP_MIN = Number(process.env.FANZHA_BENCH_SOAK_WARMUP_MIN ?? Math.min(10, MINUTES / 4));
const RATE = Number(process.env.FANZHA_BENCH_SIM_RATE ?? 120);
const PORT = Number(process.env.FANZHA_BENCH_PORT ?? 4640);
const SAMPLE_MS = Number(process.env.FANZHA_BENCH_SOAK_SAMPLE_S ?? 60) * 1000;

/** Resident memory of a process in MB, from /proc (Linux). */
const rssMb = (pid: number): number => {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) / 1024 : NaN;
};

/** The slope of y over x (least squares). */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

async function count(client: pg.Client, query: string): Promise<number> {
  return Number((await client.query<{ n: string }>(query)).rows[0]!.n);
}

console.log(`# machine: ${machine()}`);
const name = `fanzha_soak_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: pgUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(pgUrl);
url.pathname = `/${name}`;
const env = {
  DATABASE_URL: url.toString(),
  NATS_URL: natsUrl,
  FANZHA_SECRET_KEY: randomBytes(32).toString('hex'),
};
const named: Array<[string, ServerProcess]> = [];
try {
  named.push(['worker1', await serve({ ...env, FANZHA_ROLE: 'worker' }, PORT + 1)]);
  named.push(['worker2', await serve({ ...env, FANZHA_ROLE: 'worker' }, PORT + 2)]);
  named.push(['api1', await serve({ ...env, FANZHA_ROLE: 'api' }, PORT + 3)]);
  named.push(['api2', await serve({ ...env, FANZHA_ROLE: 'api' }, PORT + 4)]);
  const front = await balancer([named[2]![1].url, named[3]![1].url], PORT + 5);
  const samples = new Map<string, Array<[number, number]>>(named.map(([n]) => [n, []]));
  const t0 = Date.now();
  const sample = () => {
    const minute = (Date.now() - t0) / 60_000;
    const line = named.map(([n, p]) => {
      const mb = rssMb(p.pid);
      samples.get(n)!.push([minute, mb]);
      return `${n}=${mb.toFixed(0)}`;
    });
    console.log(`# t=${minute.toFixed(1)} min rss MB ${line.join(' ')} load ${loadavg()[0]!.toFixed(1)}`);
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_MS);
  try {
    console.log(
      `# soak: 2 api + 2 worker, ${RATE} reports/min for ${MINUTES} min, warm-up ${WARMUP_MIN} min`,
    );
    const sim = await startSimulation({
      target: front.url,
      auth: { kind: 'client', admin: await signInAdmin(front.url) },
      seed: 'soak',
      ratePerMinute: RATE,
      durationMs: MINUTES * 60_000,
      pace: 0,
      intake: 'batch',
      drainTimeoutMs: 300_000,
      isKeepingLog: false,
    });
    const s = await sim.done;
    sample();
    report('soak_minutes', Math.round((Date.now() - t0) / 6_000) / 10, 'min');
    report('soak_reports', s.reportsFiled, 'reports');
    report('soak_answers', s.instructionsAnswered, 'answers');
    report('soak_errors', s.errors + s.unfinished, 'errors');
  } finally {
    clearInterval(sampler);
    await front.stop();
  }
  for (const [n, points] of samples) {
    const settled = points.filter(([minute]) => minute >= WARMUP_MIN);
    report(`soak_rss_slope_mb_per_h_${n}`, Math.round(slope(settled) * 60 * 10) / 10, 'MB/h');
    report(`soak_rss_last_mb_${n}`, Math.round(points.at(-1)![1]), 'MB');
  }
  // Give the relays a moment to publish the last commits, then count in the system of record.
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  for (let i = 0; i < 50; i++) {
    if ((await count(db, 'select count(*) as n from outbox where published_at is null')) === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  report(
    'soak_duplicated_instructions',
    await count(
      db,
      `select count(*) as n from (select stop_payment_id from bank_instruction
        where kind = 'emergency_stop_payment' group by stop_payment_id having count(*) > 1) d`,
    ),
    'count',
  );
  report(
    'soak_lost_instructions',
    await count(
      db,
      `select count(*) as n from stop_payment s where s.sent_at is not null and not exists (
        select 1 from bank_instruction b where b.stop_payment_id = s.id and b.kind = 'emergency_stop_payment')`,
    ),
    'count',
  );
  report(
    'soak_unnumbered_instructions',
    await count(db, 'select count(*) as n from bank_instruction where pending or seq is null'),
    'count',
  );
  report(
    'soak_outbox_unpublished',
    await count(db, 'select count(*) as n from outbox where published_at is null'),
    'count',
  );
  await db.end();
} finally {
  for (const [, p] of named.reverse()) await p.stop();
  await dropDeploymentStreams(url.toString());
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
