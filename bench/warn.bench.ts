/**
 * Early warning end to end, on PostgreSQL + NATS JetStream, against a server process started as an operator
 * starts it (role `all`: API, relay, consumers, screening) and read as a persuader's browser reads it (the
 * live stream of a persuader of county 520102):
 *  - indicator_to_matcher_p50/p99_ms: a whole report naming a fraud contact (a phone number) is saved →
 *    a call signal from that number is matched (a hit). Signals naming the number are published every
 *    PROBE_GAP_MS from the save's answer on, each for the same new person; the time is from the save's
 *    answer to the server's recording of the first hit (`recordedAt` of the episode's earliest warning;
 *    same machine, same wall clock). An upper bound by up to PROBE_GAP_MS and one signal's screening.
 *    Each report waits until the probes of the one before are all screened. No background traffic.
 *  - warn_p50/p99_ms: a call signal naming a known indicator is published on NATS → its episode (`opened`)
 *    on the persuader's live stream, while a process of its own publishes background call signals (that
 *    hit nothing) at FANZHA_BENCH_WARN_BACKGROUND signals a second. One probe at a time, every
 *    WARN_GAP_MS, each a new person (so each opens an episode).
 *  - warn_background_*: what the background published, and what the server screened of it meanwhile
 *    (published minus the growth of the signals stream's backlog): a backlog that grows means the rate
 *    offered is more than the machine sustains, and the probes wait behind it.
 * FANZHA_BENCH_WARN_S (default 20) is the warning run's length, FANZHA_BENCH_MATCHER_REPORTS (default 20)
 * the number of reports of the first part.
 */
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import type { ApiClient, StreamMessage } from '../packages/contracts/src/index';
import { natsNames } from '../packages/server/src/platform/bus/nats-bus';
import { signalStreamNames } from '../packages/server/src/modules/screening/index';
import { cardOf, draft } from '../packages/server/testing/core-loop-fixtures';
import { openStream, type SseConnection } from '../packages/server/testing/sse';
import { serve, signInAdmin, signInClient, signInCookie } from './server-process';
import { machine, natsUrl, percentile, pgUrl, report } from './support';

const WARN_S = Number(process.env.FANZHA_BENCH_WARN_S ?? 20);
const BACKGROUND = Number(process.env.FANZHA_BENCH_WARN_BACKGROUND ?? 10_000);
const REPORTS = Number(process.env.FANZHA_BENCH_MATCHER_REPORTS ?? 20);
const PROBE_GAP_MS = 20;
const WARN_GAP_MS = 250;
const WARMUP_MS = 3_000;
const COUNTY = '520102';
const PASSWORD = 'Warn-Bench-Passw0rd-2026';
const background = fileURLToPath(new URL('./warn-background.worker.ts', import.meta.url));
/** A few digits of this run in every number, so that nothing of an earlier run matches. */
const runDigits = String(Math.floor(Math.random() * 1e4)).padStart(4, '0');
const fraudPhone = (k: number) => `170${runDigits}${String(k).padStart(4, '0')}`;
/** Person `i`'s phone: its last four digits are what the stream shows of it (`138****0042`). */
const personPhone = (i: number) => `+86138${runDigits}${String(i).padStart(4, '0')}`;
const lastFour = (i: number) => String(i).padStart(4, '0');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loads = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function callBatch(id: string, from: string, person: number): string {
  const at = new Date().toISOString();
  return JSON.stringify({
    kind: 'call',
    operator: 'china_mobile',
    sentAt: at,
    signals: [
      {
        id,
        at,
        subscriber: personPhone(person),
        countyCode: COUNTY,
        from,
        durationS: 40,
        isInternational: false,
      },
    ],
  });
}

/** The episode opened for person `i`, as the persuader's stream carries it. */
const openedFor = (i: number) => (m: StreamMessage) =>
  m.type === 'episode' && m.change === 'opened' && (m.episode.personPhoneMasked ?? '').endsWith(lastFour(i));

let filed = 0;
async function fileReport(taker: ApiClient, phone: string): Promise<void> {
  // A whole report needs a transfer: its payee becomes an indicator too, which no signal here names.
  const transfers = [
    {
      number: cardOf('ICBC', Number(`9${runDigits}${String(++filed).padStart(4, '0')}`)),
      amountFen: 500_000,
    },
  ];
  const { version: _v, ...d } = draft({ at: new Date(), transfers, countyCode: COUNTY, complete: true });
  await taker.POST('/api/reports', {
    body: { id: randomUUID(), ...d, contacts: [{ key: 'c0', kind: 'phone', value: phone }] },
  });
}

/** Report saved → the first signal naming its phone that hit. */
async function indicatorToMatcher(ctx: {
  js: JetStreamClient;
  subject: string;
  taker: ApiClient;
  supervisor: ApiClient;
  stream: SseConnection;
  drained: () => Promise<void>;
}): Promise<number[]> {
  const latencies: number[] = [];
  for (let k = 0; k < REPORTS; k++) {
    await ctx.drained();
    const phone = fraudPhone(k);
    await fileReport(ctx.taker, phone);
    const savedAt = performance.now();
    const savedAtWall = Date.now();
    const publishedAt: number[] = [];
    let opened: { message: StreamMessage } | undefined;
    const waiting = ctx.stream.waitFor(openedFor(k), 60_000).then((m) => (opened = m));
    while (!opened && performance.now() - savedAt < 60_000) {
      publishedAt.push(performance.now());
      await ctx.js.publish(ctx.subject, callBatch(`m${runDigits}-${k}-${publishedAt.length - 1}`, phone, k));
      await Promise.race([waiting, sleep(PROBE_GAP_MS)]);
    }
    const m = (await waiting).message;
    if (m.type !== 'episode') throw new Error('not an episode');
    const episode = await ctx.supervisor.GET('/api/episodes/{id}', {
      params: { path: { id: m.episode.id } },
    });
    const first = Math.min(...episode.warnings.map((w) => Date.parse(w.recordedAt)));
    latencies.push(first - savedAtWall);
  }
  return latencies.sort((a, b) => a - b);
}

/** Resolves once the screening consumer has nothing pending or unacknowledged. */
async function drained(stream: string, durable: string): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  for (;;) {
    const info = await jsm.consumers.info(stream, durable);
    if (info.num_pending + info.num_ack_pending === 0) break;
    await sleep(50);
  }
  await nc.close();
}

/** Signals not yet screened: batches pending or in flight on the screening consumer, 1,000 signals each. */
async function backlog(stream: string, durable: string): Promise<number> {
  const nc = await connect({ servers: natsUrl });
  const info = await (await jetstreamManager(nc)).consumers.info(stream, durable);
  await nc.close();
  return (info.num_pending + info.num_ack_pending) * 1_000;
}

console.log(`# machine: ${machine()}; load average ${loads()}`);
const dbName = `fanzha_bench_${randomBytes(4).toString('hex')}`;
const namespace = `bench-warn-${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: pgUrl });
await admin.connect();
await admin.query(`create database ${dbName}`);
const dbUrl = new URL(pgUrl);
dbUrl.pathname = `/${dbName}`;
const server = await serve({
  DATABASE_URL: dbUrl.toString(),
  NATS_URL: natsUrl,
  FANZHA_NATS_NAMESPACE: namespace,
  FANZHA_SECRET_KEY: randomBytes(32).toString('hex'),
});
const nc = await connect({ servers: natsUrl });
const names = signalStreamNames(namespace);
let stream: SseConnection | undefined;
try {
  const root = await signInAdmin(server.url);
  for (const [username, role] of [
    ['warn-taker', 'call_taker'],
    ['warn-persuader', 'persuader'],
    ['warn-supervisor', 'supervisor'],
  ] as const)
    await root.POST('/api/users', {
      body: {
        username,
        displayName: username,
        role,
        password: PASSWORD,
        ...(role === 'persuader' ? { countyCode: COUNTY } : {}),
      },
    });
  const taker = await signInClient(server.url, 'warn-taker', PASSWORD);
  // The persuader's console's live stream; a supervisor reads each episode's warnings.
  stream = await openStream(
    `${server.url}/api/stream`,
    await signInCookie(server.url, 'warn-persuader', PASSWORD),
  );
  const supervisor = await signInClient(server.url, 'warn-supervisor', PASSWORD);
  const js = jetstream(nc);
  const subject = names.subjects.call;

  const matcher = await indicatorToMatcher({
    js,
    subject,
    taker,
    supervisor,
    stream,
    drained: () => drained(names.stream, names.durable),
  });
  console.log(`# indicator → matcher: ${matcher.length} reports; load average ${loads()}`);
  report('indicator_to_matcher_p50_ms', Math.round(percentile(matcher, 50)), 'ms');
  report('indicator_to_matcher_p99_ms', Math.round(percentile(matcher, 99)), 'ms');

  // The warnings under background traffic; the first report's number is the known indicator.
  const known = fraudPhone(0);
  // The first part's probes all screened: the backlog from here on is the background's.
  await drained(names.stream, names.durable);
  const child = fork(background, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_NS: namespace, BENCH_RATE: String(BACKGROUND) },
  });
  const count = () =>
    new Promise<{ published: number; ms: number; backlog: number }>((resolve) => {
      child.once(
        'message',
        (m: { published: number; ms: number }) =>
          void backlog(names.stream, names.durable).then((b) => resolve({ ...m, backlog: b })),
      );
      child.send({ count: true });
    });
  await sleep(WARMUP_MS);
  const from = await count();
  const latencies: number[] = [];
  const t0 = performance.now();
  for (let i = 1000; performance.now() - t0 < WARN_S * 1000; i++) {
    const slot = performance.now();
    await js.publish(subject, callBatch(`w${runDigits}-${i}`, known, i));
    latencies.push((await stream.waitFor(openedFor(i), 120_000)).at - slot);
    await sleep(Math.max(0, WARN_GAP_MS - (performance.now() - slot)));
  }
  const to = await count();
  const done = new Promise<void>((r) => child.on('exit', () => r()));
  child.send({ stop: true });
  await done;
  latencies.sort((a, b) => a - b);
  const s = (to.ms - from.ms) / 1000;
  const published = to.published - from.published;
  console.log(
    `# warnings: ${latencies.length} probes over ${s.toFixed(1)} s; background offered ${BACKGROUND}/s, ` +
      `backlog ${from.backlog} → ${to.backlog} signals; load average ${loads()}`,
  );
  report('warn_p50_ms', Math.round(percentile(latencies, 50)), 'ms');
  report('warn_p99_ms', Math.round(percentile(latencies, 99)), 'ms');
  report('warn_background_published_per_s', Math.round(published / s), 'signals/s');
  report(
    'warn_background_screened_per_s',
    Math.round((published - (to.backlog - from.backlog)) / s),
    'signals/s',
  );
  report('warn_background_backlog_end', to.backlog, 'signals');
} finally {
  stream?.close();
  await server.stop();
  const jsm = await jetstreamManager(nc);
  for (const s of [names.stream, natsNames(namespace).stream])
    await jsm.streams.delete(s).catch(() => undefined);
  await nc.close();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
