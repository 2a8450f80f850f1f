/**
 * The simulated province at a high rate against a real server process (embedded, then PostgreSQL + NATS
 * JetStream), everything over HTTP as in production: whole reports in batches (the telephony path), the
 * robot desk sending each account, the 18 simulated banks answering with signatures, the cascade.
 *  - sim_*_reports_per_s: reports filed per second, sustained over the run;
 *  - sim_*_answers_per_s: bank answers accepted per second (all layers);
 *  - sim_*_confirmations_per_s: the banks' confirmations of freezes, renewals, releases and returns;
 *  - sim_*_round_trip_p50_ms / _p99_ms: instruction sent (its issuedAt) → the bank's answer accepted, as the
 *    simulated bank sees it (it learns of instructions from the stream and reads its pull queue);
 *  - sim_*_errors: anything that went wrong;
 *  - sim_signals_per_s: operators' signals published on NATS alone, asked for at 1.2 M a minute.
 * The server runs in its own process, so it has a core of its own. The offered load is one the mode can
 * take on two cores (each report brings about six bank answers); FANZHA_BENCH_SIM_RATE (reports a minute,
 * for both modes) and FANZHA_BENCH_SIM_S (seconds, default 30) change it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { ApiClient } from '../packages/contracts/src/index';
import { startSimulation } from '../packages/simulator/src/index';
import { serve, signInAdmin } from './server-process';
import { dropDeploymentStreams, machine, natsUrl, pgUrl, report } from './support';

const RATES = {
  embedded: Number(process.env.FANZHA_BENCH_SIM_RATE ?? 480),
  postgres_nats: Number(process.env.FANZHA_BENCH_SIM_RATE ?? 900),
};
const SECONDS = Number(process.env.FANZHA_BENCH_SIM_S ?? 30);

async function bench(label: keyof typeof RATES, url: string, admin: ApiClient) {
  console.log(`# ${label}: ${RATES[label]} reports/min offered for ${SECONDS} s, pace 0, batch intake`);
  const cpu = process.cpuUsage();
  const sim = await startSimulation({
    target: url,
    auth: { kind: 'client', admin },
    seed: 'bench',
    ratePerMinute: RATES[label],
    durationMs: SECONDS * 1000,
    pace: 0,
    intake: 'batch',
    drainTimeoutMs: 120_000,
    isKeepingLog: false,
  });
  const s = await sim.done;
  const used = process.cpuUsage(cpu);
  console.log(`# ${label}: the simulator used ${((used.user + used.system) / 1e6).toFixed(1)} s of CPU`);
  console.log(
    `# ${label}: ${s.reportsFiled} reports, ${s.instructionsAnswered} answers (layers ${s.answersByLayer.join('/')}), ` +
      `${s.elapsedS} s with the drain, ${s.unfinished} unfinished`,
  );
  console.log(
    `# ${label}: ${s.freezesRequested} freezes sent, ${s.accountsFrozen} confirmed, ${s.freezesFailed} failed; ` +
      `${s.confirmationsSent} confirmations of measures, ${s.caseWorkOpen} case work open`,
  );
  report(`sim_${label}_reports_per_s`, s.reportsPerS, 'reports/s');
  report(`sim_${label}_answers_per_s`, Math.round(s.instructionsAnswered / s.elapsedS), 'answers/s');
  report(`sim_${label}_confirmations_per_s`, Math.round(s.confirmationsSent / s.elapsedS), 'confirmations/s');
  report(`sim_${label}_round_trip_p50_ms`, s.roundTripP50Ms ?? Number.NaN, 'ms');
  report(`sim_${label}_round_trip_p99_ms`, s.roundTripP99Ms ?? Number.NaN, 'ms');
  report(`sim_${label}_errors`, s.errors + s.unfinished, 'errors');
}

console.log(`# machine: ${machine()}`);
const only = process.env.BENCH_MODE;

if (!only || only === 'embedded') {
  const dir = await mkdtemp(join(tmpdir(), 'fanzha-bench-sim-'));
  const server = await serve({ FANZHA_DATA_DIR: dir });
  try {
    await bench('embedded', server.url, await signInAdmin(server.url));
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (!only || only === 'postgres') {
  const name = `fanzha_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const dbUrl = new URL(pgUrl);
  dbUrl.pathname = `/${name}`;
  const server = await serve({
    DATABASE_URL: dbUrl.toString(),
    NATS_URL: natsUrl,
    FANZHA_SECRET_KEY: randomBytes(32).toString('hex'),
  });
  try {
    const adminClient = await signInAdmin(server.url);
    await bench('postgres_nats', server.url, adminClient);
    // The operators' feeds alone, nothing else asked of the machine.
    const feed = await startSimulation({
      target: server.url,
      auth: { kind: 'client', admin: adminClient },
      seed: 'bench-signals',
      ratePerMinute: 0.001,
      durationMs: Math.max(5, SECONDS / 3) * 1000,
      pace: 0,
      natsUrl,
      signalsPerMinute: 1_200_000,
      banks: [],
      drainTimeoutMs: 0,
      isKeepingLog: false,
    });
    const s = await feed.done;
    report('sim_signals_per_s', Math.round(s.signalsPublished / s.elapsedS), 'signals/s');
  } finally {
    await server.stop();
    await dropDeploymentStreams(dbUrl.toString());
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
