import { TestClock } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, type App } from './app';
import { loadConfig } from './config';
import { describeEachStorage } from '../testing/test-databases';
import { createMemoryBus } from './platform/bus/memory-bus';
import { createSecretBox } from './platform/crypto/secret-box';
import { createFieldKeys } from './platform/crypto/field-cipher';
import { createSigner } from './platform/crypto/signer';

/**
 * A worker runs the relay and the consumers; over HTTP it answers health only (metrics have a listener
 * of their own, FANZHA_METRICS_PORT, in every role), never the API, the API reference or the web app — those are the api role's.
 */
describeEachStorage('routes by process role', (database) => {
  const build = (role: 'worker' | 'api') => {
    const clock = new TestClock('2026-05-01T00:00:00Z');
    return buildApp({
      // The configuration would also ask for PostgreSQL and NATS; the routes depend on the role alone.
      config: { ...loadConfig({ FANZHA_DEMO: 'off' }), role },
      database: database(),
      bus: createMemoryBus(),
      clock,
      secretBox: createSecretBox(Buffer.alloc(32, 7)),
      signer: createSigner(Buffer.alloc(32, 7)),
      fieldKeys: createFieldKeys(Buffer.alloc(32, 7)),
      checkpointSigner: createSigner(Buffer.alloc(32, 7), 'audit-checkpoints'),
      wakeRelay: () => undefined,
      startedAt: clock.now(),
    });
  };
  let worker: App;
  beforeAll(async () => {
    worker = await build('worker');
  });
  afterAll(() => worker.close());

  it('a worker registers health and nothing else', async () => {
    expect(worker.registeredRoutes.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'GET /api/health',
      'HEAD /api/health',
    ]);
    const health = await worker.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ role: 'worker', status: 'ok' });
  });

  it('a worker answers every other path with the error body, 404', async () => {
    for (const [method, url] of [
      ['GET', '/api/reports'],
      ['GET', '/api/stop-payments'],
      ['GET', '/api/openapi.json'],
      ['GET', '/api/docs'],
      ['GET', '/api/stream'],
      ['POST', '/api/auth/sign-in'],
      ['GET', '/'],
      ['GET', '/wall'],
      ['GET', '/metrics'],
    ] as const) {
      const res = await worker.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json()).toMatchObject({
        error: { code: 'not_found', requestId: res.headers['x-request-id'] },
      });
    }
  });

  it('an api process serves those API routes on the same database, so the 404s come from the role alone', async () => {
    const api = await build('api');
    try {
      for (const url of ['/api/reports', '/api/stop-payments']) {
        const res = await api.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(401);
        expect(res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
      }
      expect((await api.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
      // Not the web app's deep link either: metrics are never on the API's port.
      const metrics = await api.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(404);
      expect(metrics.json()).toMatchObject({
        error: { code: 'not_found', requestId: metrics.headers['x-request-id'] },
      });
    } finally {
      await api.close();
    }
  });
});
