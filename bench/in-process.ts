/**
 * A fanzha server started in the benchmark's own process, on each engine a benchmark measures: embedded
 * (PGlite + the in-process bus, in a fresh data directory) and PostgreSQL + NATS JetStream (in a fresh
 * database, dropped after with its streams). `BENCH_MODE=embedded` or `postgres` runs one of them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../packages/server/src/config';
import { start, type Running } from '../packages/server/src/start';
import { dropDeploymentStreams, natsUrl, pgUrl } from './support';

const base = {
  FANZHA_PORT: '0',
  FANZHA_HOST: '127.0.0.1',
  FANZHA_DEMO: 'off',
  FANZHA_LOG_LEVEL: 'silent',
  FANZHA_OUTBOX_POLL_MS: '200',
  // One session sends thousands of requests a second: the figures are the server's, not its rate limits'.
  FANZHA_RATE_LIMITS: 'off',
};

/** Runs `bench` against a server on each engine in turn (`embedded`, then `postgres_nats`), stopping each after. */
export async function onEachEngine(bench: (label: string, running: Running) => Promise<void>): Promise<void> {
  const only = process.env.BENCH_MODE;
  if (!only || only === 'embedded') {
    const dir = await mkdtemp(join(tmpdir(), 'fanzha-bench-'));
    const running = await start(loadConfig({ ...base, FANZHA_DATA_DIR: dir }));
    try {
      await bench('embedded', running);
    } finally {
      await running.stop();
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
    const running = await start(
      loadConfig({
        ...base,
        DATABASE_URL: dbUrl.toString(),
        NATS_URL: natsUrl,
        FANZHA_SECRET_KEY: randomBytes(32).toString('hex'),
      }),
    );
    try {
      await bench('postgres_nats', running);
    } finally {
      await running.stop();
      await dropDeploymentStreams(dbUrl.toString());
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }
}
