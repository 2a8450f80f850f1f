/**
 * Scale-out on PostgreSQL + NATS JetStream, both layouts in one run, each on its own fresh database, the
 * simulator driving them through a round-robin balancer at the same offered rate:
 *  - scaleout_all_answers_per_s: one `all` process;
 *  - scaleout_split_answers_per_s: two `api` and two `worker` processes;
 *  - scaleout_answers_ratio: split ÷ all (1.0: nothing lost by adding processes);
 *  - scaleout_<layout>_cpu_ms_per_answer, _process_switches_per_answer, _machine_switches_per_answer: fanzha's
 *    CPU, its processes' context switches (all threads) and the whole machine's, over the run, per answer;
 *  - live_update_p50_ms / live_update_p99_ms: during the split run, a draft report saved on API process 1
 *    (four a second) → its message on the stream of a desk connected to API process 2. Timed from the
 *    request's start, so an upper bound of commit → screen; `_after_answer_` times from the save's answer
 *    (the relay, NATS and the other node's stream only); `_from_transaction_` times from the saving
 *    transaction's start (its outbox row's `created_at`, before its commit: the tightest upper bound of
 *    commit → screen, without the request's wait for a CPU, its parsing and its sign-in check); `_from_commit_`
 *    times from the saving transaction's commit itself, the issue's exact figure, where PostgreSQL keeps commit
 *    times (`track_commit_timestamp = on`, a setting that needs a restart; without it the line says so). The one
 *    process carries the same probes (saved and watched on itself: `live_update_one_process_*`), so both
 *    layouts are offered the same load.
 * FANZHA_BENCH_SIM_RATE (reports a minute, default 1,200), FANZHA_BENCH_SCALEOUT_S (default 30) and
 * BENCH_MODE (all | split) change it. Ports 4630–4635 unless FANZHA_BENCH_PORT moves them.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import type { StreamMessage } from '../packages/contracts/src/index';
import { startSimulation } from '../packages/simulator/src/index';
import { draft } from '../packages/server/testing/core-loop-fixtures';
import { openStream } from '../packages/server/testing/sse';
import { balancer, serve, signInAdmin, signInCookie, type ServerProcess } from './server-process';
import {
  contextSwitchesOf,
  cpuMsOf,
  cpuMsOfCommand,
  freshDatabase,
  machine,
  machineContextSwitches,
  percentile,
  report,
} from './support';

const RATE = Number(process.env.FANZHA_BENCH_SIM_RATE ?? 1200);
const SECONDS = Number(process.env.FANZHA_BENCH_SCALEOUT_S ?? 30);
const PORT = Number(process.env.FANZHA_BENCH_PORT ?? 4630);
const PROBE_EVERY_MS = 250;
const PASSWORD = 'Probe-Passw0rd-2026';

interface Probe {
  /** The event's id, as the stream's message id (the outbox row's `event_id`). */
  eventId: string;
  /** The draft report the probe saved (its row is written by the saving transaction only). */
  reportId: string;
  /** From the save's start to the desk's stream (ms). */
  total: number;
  /** From the save's answer to the desk's stream (ms). */
  afterAnswer: number;
  /** When the desk's stream carried it (ms since the epoch, this machine's clock as PostgreSQL's). */
  seenAtEpochMs: number;
}

/** Reports saved on `from`, watched for on a desk's stream on `to`, until `stop` resolves. */
async function probeLiveUpdates(from: string, to: string, until: Promise<unknown>): Promise<Probe[]> {
  const taker = await signInCookie(from, 'probe-taker', PASSWORD);
  const desk = await openStream(`${to}/api/stream`, await signInCookie(to, 'probe-desk', PASSWORD));
  const latencies: Array<Promise<Probe>> = [];
  let isDone = false;
  void until.then(() => (isDone = true));
  try {
    while (!isDone) {
      // A draft without accounts: the desk hears of it, and the simulated province has nothing to do with it.
      const id = randomUUID();
      const t0 = performance.now();
      const saved = fetch(`${from}/api/reports/${id}`, {
        method: 'PUT',
        headers: { cookie: taker, 'content-type': 'application/json' },
        body: JSON.stringify(draft({ at: new Date(), transfers: [] })),
      });
      const isFor = (m: StreamMessage) => m.type === 'report' && m.report.id === id;
      latencies.push(
        saved.then(async (res) => {
          if (!res.ok) throw new Error(`probe report: ${res.status} ${await res.text()}`);
          const answered = performance.now();
          const seen = await desk.waitFor(isFor, 60_000);
          const at = seen.at;
          return {
            eventId: seen.id,
            reportId: id,
            total: at - t0,
            afterAnswer: Math.max(0, at - answered),
            seenAtEpochMs: performance.timeOrigin + at,
          };
        }),
      );
      await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
    }
    return await Promise.all(latencies);
  } finally {
    desk.close();
  }
}

/**
 * When each probe's transaction started (its outbox row's `created_at` is `now()`, the transaction's start,
 * so at or before its commit), and when it committed (its report row's `xmin`: null when PostgreSQL keeps no
 * commit times, `track_commit_timestamp` off), in ms since the epoch, by event id and by report id.
 */
async function probeTimes(
  databaseUrl: string,
  probed: Probe[],
): Promise<{ started: Map<string, number>; committed: Map<string, number> | null }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The envelope is encrypted at rest; the event's id is not.
    const started = await client.query<{ event: string; created: number }>(
      `select event_id::text as event, extract(epoch from created_at) * 1000 as created
       from outbox
       where event_id::text = any($1::text[])`,
      [probed.map((p) => p.eventId)],
    );
    const setting = await client.query<{ track_commit_timestamp: string }>('show track_commit_timestamp');
    const committed =
      setting.rows[0]?.track_commit_timestamp !== 'on'
        ? null
        : await client.query<{ id: string; committed: number | null }>(
            `select id::text as id, extract(epoch from pg_xact_commit_timestamp(xmin)) * 1000 as committed
             from report
             where id = any($1::uuid[])`,
            [probed.map((p) => p.reportId)],
          );
    return {
      started: new Map(started.rows.map((r) => [r.event, Number(r.created)])),
      committed:
        committed &&
        new Map(committed.rows.flatMap((r) => (r.committed === null ? [] : [[r.id, Number(r.committed)]]))),
    };
  } finally {
    await client.end();
  }
}

async function layout(
  label: 'all' | 'split',
  processes: ServerProcess[],
  apis: string[],
  databaseUrl: string,
) {
  const front = await balancer(apis, PORT + 5);
  try {
    const admin = await signInAdmin(front.url);
    for (const [username, role] of [
      ['probe-taker', 'call_taker'],
      ['probe-desk', 'stop_payment_officer'],
    ] as const)
      await admin.POST('/api/users', { body: { username, displayName: username, role, password: PASSWORD } });
    console.log(`# ${label}: ${processes.length} processes, ${RATE} reports/min offered for ${SECONDS} s`);
    const load = loadavg()[0]!;
    const cpuBefore = processes.map((p) => cpuMsOf(p.pid));
    const switchesBefore = processes.map((p) => contextSwitchesOf(p.pid));
    const machineSwitchesBefore = machineContextSwitches();
    // The rest of the machine over the same run: PostgreSQL (server and backends), NATS, and this bench (the
    // simulated parties, the balancer and the probes).
    const othersBefore = [cpuMsOfCommand('postgres'), cpuMsOfCommand('nats-server'), cpuMsOf(process.pid)];
    const sim = await startSimulation({
      target: front.url,
      auth: { kind: 'client', admin },
      seed: 'bench',
      ratePerMinute: RATE,
      durationMs: SECONDS * 1000,
      pace: 0,
      intake: 'batch',
      drainTimeoutMs: 120_000,
      isKeepingLog: false,
    });
    // Both layouts carry the probes (four draft saves a second), so that they are offered the same load;
    // with one process the probe's desk watches the process it saved on.
    const probes = probeLiveUpdates(apis[0]!, apis.at(-1)!, sim.done);
    const s = await sim.done;
    const probed = await probes;
    const latencies = probed.map((p) => p.total).sort((a, b) => a - b);
    const afterAnswer = probed.map((p) => p.afterAnswer).sort((a, b) => a - b);
    const answersPerS = s.instructionsAnswered / s.elapsedS;
    // What each process spent: the same work split over more processes should cost no more CPU in all.
    const cpuMs = processes.map((p, i) => cpuMsOf(p.pid) - cpuBefore[i]!);
    // How often the processes gave up a CPU or were taken off one: more processes on two cores, more turns.
    const switches = processes.map((p, i) => contextSwitchesOf(p.pid) - switchesBefore[i]!);
    const machineSwitches = machineContextSwitches() - machineSwitchesBefore;
    const [postgresMs, natsMs, benchMs] = [
      cpuMsOfCommand('postgres'),
      cpuMsOfCommand('nats-server'),
      cpuMsOf(process.pid),
    ].map((ms, i) => ms - othersBefore[i]!);
    console.log(`# ${label}: CPU ms per process ${cpuMs.map((ms) => Math.round(ms)).join(' / ')}`);
    console.log(
      `# ${label}: context switches per process ${switches.join(' / ')}, the machine ${machineSwitches}`,
    );
    console.log(
      `# ${label}: CPU ms of PostgreSQL ${Math.round(postgresMs!)}, NATS ${Math.round(natsMs!)}, ` +
        `the bench ${Math.round(benchMs!)}`,
    );
    console.log(
      `# ${label}: ${s.reportsFiled} reports, ${s.instructionsAnswered} answers in ${s.elapsedS} s with the drain, ` +
        `${s.unfinished} unfinished, ${s.errors} errors; load average ${load.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`,
    );
    // What the simulated parties asked, through the balancer (the probes go to the API processes directly).
    const routes = [...front.requests].sort((a, b) => b[1] - a[1]);
    const total = routes.reduce((n, [, c]) => n + c, 0);
    console.log(`# ${label}: ${total} requests (${(total / s.elapsedS).toFixed(0)}/s), the most asked:`);
    for (const [route, count] of routes.slice(0, 12)) console.log(`#   ${count} ${route}`);
    if (s.errors > 0)
      console.log(`# ${label}: errors ${JSON.stringify(s.errorsByKind)} ${JSON.stringify(s.errorSamples)}`);
    report(`scaleout_${label}_answers_per_s`, Math.round(answersPerS * 10) / 10, 'answers/s');
    report(`scaleout_${label}_errors`, s.errors + s.unfinished, 'errors');
    const cpuPerAnswer = cpuMs.reduce((a, b) => a + b, 0) / Math.max(1, s.instructionsAnswered);
    report(`scaleout_${label}_cpu_ms_per_answer`, Math.round(cpuPerAnswer * 10) / 10, 'ms');
    const perAnswer = (n: number) => Math.round(n / Math.max(1, s.instructionsAnswered));
    report(
      `scaleout_${label}_process_switches_per_answer`,
      perAnswer(switches.reduce((a, b) => a + b, 0)),
      'switches',
    );
    report(`scaleout_${label}_machine_switches_per_answer`, perAnswer(machineSwitches), 'switches');
    if (latencies.length > 0) {
      // The figure is across nodes (split); the one process's own is printed for comparison.
      const prefix = label === 'split' ? 'live_update' : 'live_update_one_process';
      console.log(`# ${label}: live updates, ${latencies.length} probes`);
      report(`${prefix}_p50_ms`, Math.round(percentile(latencies, 50)), 'ms');
      report(`${prefix}_p99_ms`, Math.round(percentile(latencies, 99)), 'ms');
      // The part after the saving node answered: the relay, NATS and the (other) node's stream.
      report(`${prefix}_after_answer_p50_ms`, Math.round(percentile(afterAnswer, 50)), 'ms');
      report(`${prefix}_after_answer_p99_ms`, Math.round(percentile(afterAnswer, 99)), 'ms');
      const { started: times, committed: commits } = await probeTimes(databaseUrl, probed);
      const fromTransaction: number[] = [];
      for (const p of probed) {
        const started = times.get(p.eventId);
        if (started === undefined) throw new Error(`probe event ${p.eventId}: no outbox row`);
        fromTransaction.push(Math.max(0, p.seenAtEpochMs - started));
      }
      fromTransaction.sort((a, b) => a - b);
      report(`${prefix}_from_transaction_p50_ms`, Math.round(percentile(fromTransaction, 50)), 'ms');
      report(`${prefix}_from_transaction_p99_ms`, Math.round(percentile(fromTransaction, 99)), 'ms');
      if (commits === null) {
        console.log(`# ${label}: live updates from the commit not timed: track_commit_timestamp is off`);
      } else {
        // A report row written again after its save would show a later commit than its message: counted apart.
        const fromCommit: number[] = [];
        let rewritten = 0;
        for (const p of probed) {
          const committed = commits.get(p.reportId);
          if (committed === undefined || committed > p.seenAtEpochMs) rewritten++;
          else fromCommit.push(p.seenAtEpochMs - committed);
        }
        fromCommit.sort((a, b) => a - b);
        console.log(
          `# ${label}: live updates from the commit, ${fromCommit.length} probes (${rewritten} left out)`,
        );
        if (fromCommit.length > 0) {
          report(`${prefix}_from_commit_p50_ms`, Math.round(percentile(fromCommit, 50)), 'ms');
          report(`${prefix}_from_commit_p99_ms`, Math.round(percentile(fromCommit, 99)), 'ms');
        }
      }
    }
    return answersPerS;
  } finally {
    await front.stop();
  }
}

console.log(`# machine: ${machine()}`);
const only = process.env.BENCH_MODE;
const figures: Record<string, number> = {};
for (const label of ['all', 'split'] as const) {
  if (only && only !== label) continue;
  const database = await freshDatabase();
  const env = database.env;
  const processes: ServerProcess[] = [];
  try {
    if (label === 'all') processes.push(await serve(env, PORT));
    else {
      // A worker first: it creates the bootstrap admin before the API processes come up.
      processes.push(await serve({ ...env, FANZHA_ROLE: 'worker' }, PORT + 1));
      processes.push(await serve({ ...env, FANZHA_ROLE: 'worker' }, PORT + 2));
      processes.push(await serve({ ...env, FANZHA_ROLE: 'api' }, PORT + 3));
      processes.push(await serve({ ...env, FANZHA_ROLE: 'api' }, PORT + 4));
    }
    const apis = label === 'all' ? [processes[0]!.url] : [processes[2]!.url, processes[3]!.url];
    figures[label] = await layout(label, processes, apis, database.url);
  } finally {
    for (const p of processes.reverse()) await p.stop();
    await database.drop();
  }
}
if (figures.all && figures.split)
  report('scaleout_answers_ratio', Math.round((figures.split / figures.all) * 100) / 100, 'ratio');
