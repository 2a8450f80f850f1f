import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { defaultNatsNamespace } from '../packages/server/src/config';
import { signalStreamNames } from '../packages/server/src/modules/screening/index';
import { natsNames } from '../packages/server/src/platform/bus/nats-bus';

/** Prints one figure as `name value unit`, the line format every benchmark uses. */
export function report(name: string, value: number, unit: string): void {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
  console.log(`${name} ${shown} ${unit}`);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function machine(): string {
  return `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}`;
}

/**
 * The machine's CPU time so far (ms, all cores, from /proc/stat on Linux): `busy` (everything but idle and
 * I/O wait) and `total`. Two readings around a phase give how full the machine was — whether a figure is
 * bounded by CPU or by waiting. Zeros where there is no /proc.
 */
export function machineCpuMs(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: ((total - idle) * 1000) / 100, total: (total * 1000) / 100 };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); 0 where there is none. */
export function cpuMsOf(pid: number): number {
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks, counted after the command's closing parenthesis.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU time (ms) used so far by every running process of one command (`postgres`: the server and all its
 * backends; `nats-server`), from /proc (Linux): two readings around a phase give what that service spent on
 * it, while its processes live through the phase. 0 where there is no /proc.
 */
export function cpuMsOfCommand(command: string): number {
  let ms = 0;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command) ms += cpuMsOf(Number(entry));
      } catch {
        // the process ended between the listing and the read
      }
    }
  } catch {
    return 0;
  }
  return ms;
}

/**
 * Context switches so far of one process, all its threads (`voluntary` + `nonvoluntary` of each
 * /proc/PID/task/TID/status): a process that waits for a CPU or for a reply more often switches more. 0
 * where there is no /proc.
 */
export function contextSwitchesOf(pid: number): number {
  let n = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
        for (const m of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)) n += Number(m[1]);
      } catch {
        // the thread ended between the listing and the read
      }
    }
  } catch {
    return 0;
  }
  return n;
}

/** Context switches so far of the whole machine (`ctxt` in /proc/stat); 0 where there is no /proc. */
export function machineContextSwitches(): number {
  try {
    return Number(/^ctxt (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export const pgUrl = process.env.FANZHA_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const natsUrl = process.env.FANZHA_BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';

/**
 * Deletes the JetStream streams of a deployment named by default from its database URL — its events and its
 * signals, each reserving storage in JetStream —, so a benchmark leaves the NATS server as it found it.
 */
export async function dropDeploymentStreams(databaseUrl: string): Promise<void> {
  const namespace = defaultNatsNamespace(databaseUrl, '.');
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    for (const stream of [natsNames(namespace).stream, signalStreamNames(namespace).stream])
      await jsm.streams.delete(stream).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

/**
 * A new database for one run (`FANZHA_BENCH_DATABASE_URL`'s server), with the environment a deployment on it
 * starts with (its database, the bench's NATS, a secret key of its own); `drop` removes it and its streams.
 */
export async function freshDatabase(): Promise<{
  url: string;
  env: Record<string, string>;
  drop(): Promise<void>;
}> {
  const name = `fanzha_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    env: {
      DATABASE_URL: url.toString(),
      NATS_URL: natsUrl,
      FANZHA_SECRET_KEY: randomBytes(32).toString('hex'),
    },
    async drop() {
      // The deployment's streams (events and signals), named from its database as any deployment's are.
      await dropDeploymentStreams(url.toString());
      const a = new pg.Client({ connectionString: pgUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
