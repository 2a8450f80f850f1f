/**
 * What the processes of each layout cost with nothing to do, on PostgreSQL + NATS JetStream: each layout on a
 * fresh database, its processes started as an operator starts them, left FANZHA_BENCH_IDLE_SETTLE_S (default
 * 15) to settle, then their CPU read from /proc over FANZHA_BENCH_IDLE_S (default 30):
 *  - idle_<layout>_<role>_<n>_cpu_ms_per_s: one fanzha process (its relay's poll, sweeps, consumers' pulls);
 *  - idle_<layout>_postgres_cpu_ms_per_s / _nats_cpu_ms_per_s: what PostgreSQL and NATS spent meanwhile.
 * The fixed cost a layout adds to every second of a run, whatever its load. BENCH_MODE (all | split) runs one.
 */
import { serve, type ServerProcess } from './server-process';
import { cpuMsOf, cpuMsOfCommand, freshDatabase, machine, report } from './support';

const SETTLE_S = Number(process.env.FANZHA_BENCH_IDLE_SETTLE_S ?? 15);
const SECONDS = Number(process.env.FANZHA_BENCH_IDLE_S ?? 30);
const layouts = { all: ['all'], split: ['worker', 'worker', 'api', 'api'] } as const;

const perSecond = (ms: number) => Math.round((ms / SECONDS) * 10) / 10;

console.log(`# machine: ${machine()}`);
const only = process.env.BENCH_MODE;
for (const [layout, roles] of Object.entries(layouts)) {
  if (only && only !== layout) continue;
  const database = await freshDatabase();
  const env = database.env;
  const processes: Array<{ name: string; process: ServerProcess }> = [];
  try {
    // A worker (or the one process) first: it creates the bootstrap admin before the API processes come up.
    for (const [i, role] of roles.entries())
      processes.push({ name: `${role}_${i + 1}`, process: await serve({ ...env, FANZHA_ROLE: role }) });
    await new Promise((r) => setTimeout(r, SETTLE_S * 1000));
    const before = {
      each: processes.map((p) => cpuMsOf(p.process.pid)),
      postgres: cpuMsOfCommand('postgres'),
      nats: cpuMsOfCommand('nats-server'),
    };
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    processes.forEach((p, i) =>
      report(
        `idle_${layout}_${p.name}_cpu_ms_per_s`,
        perSecond(cpuMsOf(p.process.pid) - before.each[i]!),
        'ms/s',
      ),
    );
    report(
      `idle_${layout}_postgres_cpu_ms_per_s`,
      perSecond(cpuMsOfCommand('postgres') - before.postgres),
      'ms/s',
    );
    report(
      `idle_${layout}_nats_cpu_ms_per_s`,
      perSecond(cpuMsOfCommand('nats-server') - before.nats),
      'ms/s',
    );
  } finally {
    for (const p of processes.reverse()) await p.process.stop();
    await database.drop();
  }
}
