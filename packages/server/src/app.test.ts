import { TestClock } from '@fanzha/domain';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp, type App } from './app';
import { loadConfig } from './config';
import { describeEachStorage } from '../testing/test-databases';
import { createMemoryBus } from './platform/bus/memory-bus';
import { AppError, installErrorHandler } from './platform/http/errors';
import { installPolicies, type AccessPolicy } from './platform/http/policy';
import { createSecretBox } from './platform/crypto/secret-box';
import { createFieldKeys } from './platform/crypto/field-cipher';
import { createSigner } from './platform/crypto/signer';

describeEachStorage('HTTP app', (database, kind) => {
  let app: App;
  beforeAll(async () => {
    const clock = new TestClock('2026-05-01T00:00:00Z');
    app = await buildApp({
      config: loadConfig({}),
      database: database(),
      bus: createMemoryBus(),
      clock,
      secretBox: createSecretBox(Buffer.alloc(32, 7)),
      signer: createSigner(Buffer.alloc(32, 7)),
      fieldKeys: createFieldKeys(Buffer.alloc(32, 7)),
      checkpointSigner: createSigner(Buffer.alloc(32, 7), 'audit-checkpoints'),
      wakeRelay: () => undefined,
      startedAt: new Date('2026-04-30T23:59:00Z'),
    });
  });
  afterAll(() => app.close());

  it('answers health with the storage and bus in use', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      storage: kind,
      bus: 'memory',
      role: 'all',
      uptimeS: 60,
      checks: { database: 'ok', outboxUnpublished: 0 },
    });
  });

  it('serves the OpenAPI document with the health contract', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: object };
    }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/health');
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['HealthResponse', 'ErrorBody']),
    );
  });

  it('serves a browsable API reference', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('tells browsers not to store API answers, not to guess types and not to frame any page', async () => {
    const cookie = 'fanzha_session=nobody';
    for (const [url, headers] of [
      ['/api/health', {}],
      ['/api/openapi.json', {}],
      ['/api/reports', { cookie }],
      ['/api/no-such-thing', {}],
    ] as const) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.headers['cache-control'], url).toBe('no-store');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['content-security-policy'], url).toBe("default-src 'none'; frame-ancestors 'none'");
    }
    for (const url of ['/', '/intake', '/wall', '/api/docs/']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).not.toContain('unsafe-eval');
    }
  });

  it('answers an unknown API path with the error body, a request id, and no stack', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(res.statusCode).toBe(404);
    const body = res.json<{ error: { code: string; requestId: string; message: string } }>();
    expect(body.error.code).toBe('not_found');
    expect(body.error.requestId).toBe(res.headers['x-request-id']);
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('keeps a well-formed upstream request id and replaces a malformed one', async () => {
    const kept = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-request-id': 'tel-20260501-0001' },
    });
    expect(kept.headers['x-request-id']).toBe('tel-20260501-0001');
    const replaced = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-request-id': 'bad id\n<script>' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('declares an access policy on every route', () => {
    expect(app.registeredRoutes.length).toBeGreaterThan(3);
    const missing = app.registeredRoutes.filter((r) => !r.policy).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });
});

describe('route policy', () => {
  it('refuses to register a route without a policy', () => {
    const app = Fastify();
    installPolicies(app, { isStrict: true, publicPrefixes: [] });
    expect(() => app.get('/api/forgotten', async () => 'x')).toThrow('declares no access policy');
  });

  it('refuses to register a public route without a rate-limit class', () => {
    const app = Fastify();
    installPolicies(app, { isStrict: true, publicPrefixes: [] });
    // As a plugin written in JavaScript could declare it: the type would not let TypeScript code.
    const policy = { access: 'public' } as unknown as AccessPolicy;
    expect(() => app.get('/api/open', { config: { policy } }, async () => 'x')).toThrow(
      'declares no rate-limit class',
    );
  });

  it('answers 401 on a route that names roles, while sign-in does not exist', async () => {
    const app = Fastify();
    installErrorHandler(app);
    installPolicies(app, { isStrict: true, publicPrefixes: [] });
    app.get(
      '/api/secret',
      { config: { policy: { access: 'roles', roles: ['admin'] } } },
      async () => 'secret',
    );
    const res = await app.inject({ method: 'GET', url: '/api/secret' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    expect(res.body).not.toContain('secret"');
  });
});

describe('error handler', () => {
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  app.post(
    '/t',
    {
      schema: {
        body: z.object({
          amount: z.number().int().positive(),
          card: z.object({ number: z.string().min(16) }),
        }),
      },
    },
    async () => 'ok',
  );
  app.get('/boom', async () => {
    throw new Error('database password is hunter2');
  });
  app.get('/domain', async () => {
    throw new AppError('conflict', 'The request was already answered');
  });
  // What the pg driver throws when PostgreSQL refuses a transaction that lost a race.
  const sqlError = (code: string) => Object.assign(new Error(`pg says ${code} on table secret_t`), { code });
  app.get('/unique', async () => {
    throw sqlError('23505');
  });
  app.get('/deadlock', async () => {
    throw sqlError('40P01');
  });
  app.get(
    '/out',
    { schema: { response: { 200: z.object({ n: z.number() }) } } },
    async () => ({ n: 'x' }) as never,
  );

  it('names each invalid field and its reason', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/t',
      payload: { amount: -5, card: { number: '123' } },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: { code: string; details: Array<{ field: string; reason: string }> } }>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d) => d.field).sort()).toEqual(['body.amount', 'body.card.number']);
    expect(body.error.details.every((d) => d.reason === 'too_small')).toBe(true);
  });

  it('answers malformed JSON as a validation failure', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/t',
      headers: { 'content-type': 'application/json' },
      payload: '{"amount": 1,',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('hides unknown errors behind a 500 without details', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ error: { code: 'internal', message: 'Internal error' } });
    expect(res.body).not.toContain('hunter2');
  });

  it('maps domain errors to their status', async () => {
    const res = await app.inject({ method: 'GET', url: '/domain' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: { code: 'conflict', message: 'The request was already answered' },
    });
  });

  it('answers a transaction that lost a race as retryable, never a 500, and names no table', async () => {
    const taken = await app.inject({ method: 'GET', url: '/unique' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ error: { code: 'conflict' } });
    expect(taken.headers['retry-after']).toBe('1');
    const deadlock = await app.inject({ method: 'GET', url: '/deadlock' });
    expect(deadlock.statusCode).toBe(503);
    expect(deadlock.json()).toMatchObject({ error: { code: 'unavailable' } });
    for (const r of [taken, deadlock]) expect(r.body).not.toContain('secret_t');
  });

  it('never sends a response that breaks its contract', async () => {
    const res = await app.inject({ method: 'GET', url: '/out' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ error: { code: 'internal' } });
  });
});
