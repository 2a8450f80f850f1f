/**
 * The screening pipeline end to end: batches of operators' call signals published on the signals stream
 * (NATS JetStream) → a worker process pulls them, matches them in its in-memory matcher, and commits each
 * batch's hits on PostgreSQL (one transaction per batch, in a table with a unique key on (source, signal
 * id), as the warnings module keeps them) before acknowledging it. Run with one worker process and with
 * two; `screen_pipeline_two_workers_ratio` is two over one. 1 % of the signals hit an indicator.
 *
 * Every batch is published before the workers start, so the figure is how fast workers drain a backlog.
 * First, `screen_parse_*`: reading and checking the same batches alone, one core (FANZHA_BENCH_PARSE_ONLY=1:
 * only that).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { migrate, openDatabase } from '../packages/server/src/db/database';
import {
  defaultSignalStreamLimits,
  ensureSignalStream,
  parseBatch,
  signalStreamNames,
} from '../packages/server/src/modules/screening/index';
import { recordingWarnings } from '../packages/server/testing/screening-kit';
import { machine, natsUrl, pgUrl, report } from './support';

const SIGNALS = Number(process.env.FANZHA_BENCH_SIGNALS ?? 400_000);
const BATCH = 1_000;
const HIT_EVERY = 100;
/** Indicators in each worker's matcher. */
const INDICATORS = Number(process.env.FANZHA_BENCH_PIPELINE_INDICATORS ?? 200_000);
const worker = fileURLToPath(new URL('./screen-pipeline.worker.ts', import.meta.url));

const from = (i: number) => `+86170${String(i % INDICATORS).padStart(8, '0')}`;
const clean = (i: number) => `+86133${String(i).padStart(8, '0')}`;

/** Batch `b` of the run as published: BATCH call signals, 1 in HIT_EVERY from an indicator's number. */
function batchText(b: number, at: string): string {
  const signals = Array.from({ length: BATCH }, (_, k) => {
    const i = b * BATCH + k;
    return {
      id: `s${i}`,
      at,
      subscriber: clean(i),
      countyCode: '520102',
      from: i % HIT_EVERY === 0 ? from(i) : clean(i + 50_000_000),
      durationS: 20,
      isInternational: false,
    };
  });
  return JSON.stringify({ kind: 'call', operator: 'china_mobile', sentAt: at, signals });
}

/**
 * Reading and checking batches alone (`parseBatch`: JSON, the envelope, each signal's contract, normal
 * forms), one core: signals per second of wall time and of this process's CPU time.
 */
function parseOnly(): { perS: number; perCpuS: number } {
  const at = new Date().toISOString();
  const texts = Array.from({ length: 100 }, (_, b) => batchText(b, at));
  for (const t of texts.slice(0, 20)) parseBatch(t, new Date()); // warm-up
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  for (let round = 0; round < 3; round++) for (const t of texts) n += parseBatch(t, new Date()).items.length;
  const s = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  return { perS: Math.round(n / s), perCpuS: Math.round(n / ((used.user + used.system) / 1e6)) };
}

async function run(workers: number): Promise<{ perS: number; perCpuS: number }> {
  const namespace = `bench-${randomBytes(4).toString('hex')}`;
  const dbName = `fanzha_b_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(pgUrl);
  url.pathname = `/${dbName}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  await migrate(database.db);
  await recordingWarnings(database.db, 'bench_hit');

  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  const names = signalStreamNames(namespace);
  await ensureSignalStream(jsm, names, defaultSignalStreamLimits, 30_000);
  const js = jetstream(nc);
  const at = new Date().toISOString();
  for (let b = 0; b < SIGNALS / BATCH; b++) await js.publish(names.subjects.call, batchText(b, at));

  const children: ChildProcess[] = [];
  const handled: number[] = [];
  const cpuMs: number[] = [];
  let resolveDone!: (ms: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  let readyCount = 0;
  let startedAt = 0;
  const go = () => {
    startedAt = performance.now();
    for (const c of children) c.send({ go: true });
  };
  for (let w = 0; w < workers; w++) {
    handled.push(0);
    const child = fork(worker, [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        BENCH_DB: url.toString(),
        BENCH_NS: namespace,
        BENCH_INDICATORS: String(INDICATORS),
      },
    });
    child.on('message', (m: { ready?: true; handled?: number; cpuMs?: number }) => {
      if (m.cpuMs !== undefined) cpuMs[w] = m.cpuMs;
      if (m.ready && ++readyCount === workers) go();
      if (m.handled !== undefined) {
        handled[w] = m.handled;
        if (handled.reduce((a, b) => a + b, 0) >= SIGNALS) resolveDone(performance.now() - startedAt);
      }
    });
    children.push(child);
  }
  const ms = await done;
  for (const c of children) c.send({ stop: true });
  await Promise.all(children.map((c) => new Promise((r) => c.on('exit', r))));
  const hits = await database.db
    .selectFrom('bench_hit' as never)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  if (Number((hits as { n: unknown }).n) !== SIGNALS / HIT_EVERY)
    throw new Error(`expected ${SIGNALS / HIT_EVERY} hits, got ${String((hits as { n: unknown }).n)}`);
  await jsm.streams.delete(names.stream);
  await nc.drain();
  await database.close();
  await admin.query(`drop database ${dbName} with (force)`);
  await admin.end();
  const cpuS = cpuMs.reduce((a, b) => a + b, 0) / 1000;
  return { perS: Math.round(SIGNALS / (ms / 1000)), perCpuS: Math.round(SIGNALS / cpuS) };
}

console.log(
  `# machine: ${machine()}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `# ${SIGNALS} signals in batches of ${BATCH}, 1 in ${HIT_EVERY} hits; ${INDICATORS} indicators per matcher`,
);
const parse = parseOnly();
report('screen_parse_signals_per_s', parse.perS, 'signals/s');
report('screen_parse_signals_per_cpu_s', parse.perCpuS, 'signals/cpu-s');
if (process.env.FANZHA_BENCH_PARSE_ONLY) process.exit(0);
const one = await run(1);
report('screen_pipeline_signals_per_s', one.perS, 'signals/s');
// Signals per second of the worker's own CPU time (its share of a loaded machine taken out).
report('screen_pipeline_signals_per_worker_cpu_s', one.perCpuS, 'signals/cpu-s');
const two = await run(2);
report('screen_pipeline_two_workers_signals_per_s', two.perS, 'signals/s');
report('screen_pipeline_two_workers_signals_per_worker_cpu_s', two.perCpuS, 'signals/cpu-s');
report('screen_pipeline_two_workers_ratio', two.perS / one.perS, 'x');
console.log(
  `# load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
