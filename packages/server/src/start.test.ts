import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { loadConfig } from './config';
import { DEMO_PASSWORD } from './modules/identity/index';
import { fieldKeyStatus } from './platform/crypto/field-rotation';
import { withFieldKeys } from './platform/crypto/field-cipher';
import { cardOf, draft } from '../testing/core-loop-fixtures';
import { freshDatabase, isPostgresAvailable, type TestDatabase } from '../testing/test-databases';
import { sampleValue, scrape } from '../testing/prometheus-text';
import { start, type Running } from './start';
import { startNotice } from './start-notice';

/** The two ways to start: the embedded demo on this machine only, and production on PostgreSQL. */
function captureLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: { level: 'info', stream } };
}

const boundTo = (running: Running) => (running.app.server.address() as AddressInfo).address;

describe('starting the embedded demo', () => {
  let dir: string;
  let running: Running | undefined;
  afterAll(async () => {
    await running?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  // Each of these starts a whole server (migrations, seed, consumers): slow on a loaded machine.
  const startsAServer = { timeout: 120_000 };

  it(
    'seeds the demo accounts, serves /api/demo and listens on this machine only',
    startsAServer,
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'fanzha-start-'));
      const config = loadConfig({ FANZHA_DATA_DIR: dir, FANZHA_PORT: '0', FANZHA_METRICS_PORT: '0' });
      running = await start(config);
      expect(boundTo(running)).toBe('127.0.0.1');
      expect(running.demoAccounts.length).toBeGreaterThan(5);
      const demo = await fetch(`${running.url}/api/demo/accounts`);
      expect(demo.status).toBe(200);
      const notice = startNotice(config, { url: running.url, demoAccounts: running.demoAccounts });
      expect(notice).toContain('DEMO MODE');
      expect(notice).not.toContain('PRODUCTION');
    },
  );

  it(
    'keeps every event it enqueues sealed at rest, the consumers’ too (wall, indicators, money graph)',
    startsAServer,
    async () => {
      const url = running!.url;
      const post = (path: string, body: unknown, cookie = '') =>
        fetch(`${url}${path}`, {
          method: path.startsWith('/api/reports/') && !path.endsWith('/submit') ? 'PUT' : 'POST',
          headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
          body: JSON.stringify(body),
        });
      // The demo's call-taker signs in with the code the demo publishes.
      const { accounts } = (await (await fetch(`${url}/api/demo/accounts`)).json()) as {
        accounts: Array<{ username: string; password: string; totpCode: string }>;
      };
      const taker = accounts.find((a) => a.username === 'calltaker')!;
      const step1 = (await (
        await post('/api/auth/sign-in', { username: taker.username, password: taker.password })
      ).json()) as {
        challengeId: string;
      };
      const verified = await post('/api/auth/verify', {
        challengeId: step1.challengeId,
        code: taker.totpCode,
      });
      expect(verified.status).toBe(200);
      const cookie = String(verified.headers.get('set-cookie')).split(';')[0]!;
      const id = randomUUID();
      const transfers = [{ number: cardOf('ICBC', 4242), amountFen: 880_000 }];
      const saved = await post(
        `/api/reports/${id}`,
        draft({ at: new Date(), transfers, complete: true }),
        cookie,
      );
      expect(saved.status, await saved.clone().text()).toBe(200);
      const { version } = (await saved.json()) as { version: number };
      expect((await post(`/api/reports/${id}/submit`, { version }, cookie)).status).toBe(200);
      // The consumers' own events follow the report's; each envelope stored sealed, none as plain JSON.
      const db = withFieldKeys(running!.database.db, running!.fieldKeys);
      const subjects = ['wall.changed', 'indicator.changed', 'money-graph.changed'];
      await expect
        .poll(
          async () =>
            (
              await db
                .selectFrom('outbox')
                .select('subject')
                .distinct()
                .where('subject', 'in', subjects)
                .execute()
            ).length,
          { timeout: 30_000 },
        )
        .toBe(3);
      expect((await fieldKeyStatus(db)).plaintext).toBe(0);
    },
  );

  it('serves metrics on a listener of its own, on this machine, and not on the API port', async () => {
    const { metricsUrl } = running!;
    expect(new URL(metricsUrl!).hostname).toBe('127.0.0.1');
    expect(new URL(metricsUrl!).port).not.toBe(new URL(running!.url).port);
    const samples = await scrape(metricsUrl!);
    // The request of the case above, the process's own figures, and the relay's and outbox's.
    expect(
      sampleValue(samples, 'fanzha_http_request_duration_seconds_count', { route: '/api/demo/accounts' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sampleValue(samples, 'fanzha_outbox_unpublished')).toBeGreaterThanOrEqual(0);
    const onApiPort = await fetch(`${running!.url}/metrics`);
    expect(onApiPort.status).toBe(404);
    expect(await onApiPort.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it(
    'disables the demo accounts when the same folder is started with the demo off, and enables them again with it on',
    startsAServer,
    async () => {
      await running!.stop();
      running = undefined;
      const signIn = (url: string) =>
        fetch(`${url}/api/auth/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
        });
      const real = loadConfig({
        FANZHA_DATA_DIR: dir,
        FANZHA_PORT: '0',
        FANZHA_DEMO: 'off',
        FANZHA_HOST: '127.0.0.1',
      });
      running = await start(real);
      expect(running.demoAccounts).toEqual([]);
      expect((await fetch(`${running.url}/api/demo/accounts`)).status).toBe(404);
      // The published password opens nothing any more; each account's disabling is in the audit trail.
      expect((await signIn(running.url)).status).not.toBe(200);
      const db = running.database.db;
      const demo = await db
        .selectFrom('app_user')
        .select(['username', 'is_disabled'])
        .where('is_demo', '=', true)
        .execute();
      expect(demo.length).toBeGreaterThan(5);
      expect(demo.every((u) => u.is_disabled)).toBe(true);
      const audited = await db
        .selectFrom('audit_entry')
        .select('object_id')
        .where('action', '=', 'user.disable')
        .where(sql<string>`details->>'origin'`, '=', 'demo-off')
        .execute();
      expect(audited).toHaveLength(demo.length);
      await running.stop();
      running = await start(loadConfig({ FANZHA_DATA_DIR: dir, FANZHA_PORT: '0' }));
      expect((await signIn(running.url)).status).toBe(200);
    },
  );
});

describe.skipIf(!isPostgresAvailable)('starting in production [postgres]', () => {
  let database: TestDatabase | undefined;
  let running: Running | undefined;
  afterAll(async () => {
    await running?.stop();
    await database?.close();
  });

  it('says it is production, seeds no demo account and has no /api/demo', async () => {
    database = await freshDatabase('postgres', { migrated: false });
    const config = loadConfig({
      DATABASE_URL: database.url,
      FANZHA_SECRET_KEY: 'ef'.repeat(32),
      FANZHA_PORT: '0',
      FANZHA_HOST: '127.0.0.1',
    });
    expect(config).toMatchObject({ isProduction: true, demo: false });
    const log = captureLog();
    running = await start(config, { logger: log.logger });
    expect(running.demoAccounts).toEqual([]);
    expect(log.lines.some((l) => l.includes('production start'))).toBe(true);
    expect((await fetch(`${running.url}/api/demo/accounts`)).status).toBe(404);
    const demoUsers = await database.db
      .selectFrom('app_user')
      .select('username')
      .where('is_demo', '=', true)
      .execute();
    expect(demoUsers).toEqual([]);
    const notice = startNotice(config, { url: running.url, demoAccounts: [] });
    expect(notice).toContain('PRODUCTION');
    expect(notice).not.toContain('DEMO');
  });

  it('holds no more PostgreSQL connections than FANZHA_DB_POOL_SIZE, named as its role in pg_stat_activity', async () => {
    const own = await freshDatabase('postgres', { migrated: false });
    const small = await start(
      loadConfig({
        DATABASE_URL: own.url,
        FANZHA_SECRET_KEY: 'ef'.repeat(32),
        FANZHA_PORT: '0',
        FANZHA_HOST: '127.0.0.1',
        FANZHA_DB_POOL_SIZE: '5',
      }),
      { logger: captureLog().logger },
    );
    try {
      // Forty health checks at once, each reading the database: the default pool would open up to 16.
      const answers = await Promise.all(
        Array.from({ length: 40 }, () => fetch(`${small.url}/api/health`).then((r) => r.status)),
      );
      expect(answers.every((status) => status === 200)).toBe(true);
      const held = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and application_name = 'fanzha all'`.execute(own.db);
      expect(held.rows[0]!.n).toBeGreaterThanOrEqual(2);
      expect(held.rows[0]!.n).toBeLessThanOrEqual(5);
    } finally {
      await small.stop();
      await own.close();
    }
  });

  it('refuses a hand-made configuration that asks for the demo on PostgreSQL', async () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://127.0.0.1:1/none',
      FANZHA_SECRET_KEY: 'ef'.repeat(32),
    });
    await expect(start({ ...config, demo: true })).rejects.toThrow(/only on the embedded database/);
  });
});
