import { generateKeyPairSync } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, signInCast, type Harness } from '../testing/app-harness';
import { describeEachStorage } from '../testing/test-databases';
import { rateVariable } from './config';
import { limitClasses, publicLimitClasses } from './platform/http/rate-limit';

/** Every class at 4 requests a minute: a burst of 4, then one more every 15 seconds. */
const LIMIT = 4;
const env = Object.fromEntries(limitClasses.map((c) => [rateVariable(c), `${LIMIT}/min`]));

/** A 429 in the one error shape, with the seconds to wait. */
function expectRateLimited(res: LightMyRequestResponse, what: string) {
  expect(res.statusCode, what).toBe(429);
  expect(Number(res.headers['retry-after']), what).toBe(15);
  const body = res.json<{ error: Record<string, unknown> }>();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toMatchObject({ code: 'rate_limited', requestId: res.headers['x-request-id'] });
  expect(typeof body.error.message).toBe('string');
}

describeEachStorage('rate limits', (database) => {
  let h: Harness;
  const cookies: Record<string, string> = {};
  const keys: Record<string, string> = {};
  const cast = [
    ['root', 'admin', {}],
    ['analyst1', 'analyst', {}],
    ['analyst2', 'analyst', {}],
  ] as const;

  beforeAll(async () => {
    h = await createHarness(database(), { env: { ...env, FANZHA_DEMO: 'on', FANZHA_RATE_LIMITS: 'on' } });
    await createCast(h, cast);
    // Signing in spends the sign-in bucket of the harness's address: a minute apart, each finds it full.
    for (const [username] of cast) {
      h.clock.advance(60_000);
      Object.assign(cookies, await signInCast(h, [[username, 'analyst', {}]]));
    }
    const publicKeyPem = generateKeyPairSync('ed25519')
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    for (const name of ['gateway-a', 'gateway-b']) {
      h.clock.advance(60_000);
      const created = await h.app.inject({
        method: 'POST',
        url: '/api/integrations/bank-keys',
        headers: { cookie: cookies.root! },
        payload: { name, bankCode: 'ICBC', publicKeyPem },
      });
      expect(created.statusCode, created.body).toBe(201);
      keys[name] = created.json<{ key: string }>().key;
    }
  });
  afterAll(() => h.close());
  // Every test starts with full buckets.
  const refill = () => h.clock.advance(60_000);

  /**
   * Sends `request` until the class's limit is spent: LIMIT answers that are not 429, then a 429 in the
   * one shape; the same request goes through again once `Retry-After` has passed.
   */
  async function exceed(what: string, request: InjectOptions) {
    refill();
    for (let i = 0; i < LIMIT; i++) {
      const res = await h.app.inject(request);
      expect(res.statusCode, `${what} #${i + 1}: ${res.body.slice(0, 200)}`).not.toBe(429);
    }
    const refused = await h.app.inject(request);
    expectRateLimited(refused, what);
    h.clock.advance(Number(refused.headers['retry-after']) * 1000);
    expect((await h.app.inject(request)).statusCode, `${what} after Retry-After`).not.toBe(429);
    expectRateLimited(await h.app.inject(request), `${what}, spent again`);
  }

  it('gives every public route a limit class', () => {
    const classes = new Set(
      h.app.registeredRoutes.flatMap((r) => (r.policy?.access === 'public' ? [r.policy.limit] : [])),
    );
    expect([...classes].sort()).toEqual([...publicLimitClasses].sort());
  });

  const publicRequests = {
    'sign-in': {
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'nobody', password: 'not-the-password' },
    },
    public: { method: 'GET', url: '/api/bank/signing-key' },
    static: { method: 'GET', url: '/intake' },
    demo: { method: 'GET', url: '/api/demo/accounts' },
    health: { method: 'GET', url: '/api/health' },
    lookup: {
      method: 'POST',
      url: '/api/public/risk-lookup',
      payload: { kind: 'phone', value: '13800138000' },
    },
    appeal: { method: 'GET', url: '/api/public/appeals/SS-2026-AAAAAAAA?phone=13800138000' },
  } as const satisfies Record<(typeof publicLimitClasses)[number], InjectOptions>;

  for (const [limitClass, request] of Object.entries(publicRequests))
    it(`limits the ${limitClass} class per client address`, async () => {
      await exceed(limitClass, { ...request, remoteAddress: '203.0.113.7' });
      // Another client, and the same client in another class, are unaffected.
      expect((await h.app.inject({ ...request, remoteAddress: '203.0.113.8' })).statusCode).not.toBe(429);
      const other = limitClass === 'public' ? publicRequests.health : publicRequests.public;
      expect((await h.app.inject({ ...other, remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
    });

  it('counts both sign-in steps in one bucket, and an IPv6 client by its /64', async () => {
    refill();
    const verify = { method: 'POST', url: '/api/auth/verify' } as const;
    const payload = { challengeId: 'made-up-challenge-0123456789', code: '123456' };
    for (let i = 0; i < LIMIT; i++) {
      const step = i % 2 === 0 ? publicRequests['sign-in'] : { ...verify, payload };
      const res = await h.app.inject({ ...step, remoteAddress: `2001:db8:1:2::${i + 1}` });
      expect(res.statusCode).toBe(401);
    }
    expectRateLimited(
      await h.app.inject({ ...verify, payload, remoteAddress: '2001:db8:1:2:ffff::9' }),
      'verify from the same /64',
    );
    expect((await h.app.inject({ ...verify, payload, remoteAddress: '2001:db8:1:3::1' })).statusCode).toBe(
      401,
    );
  });

  it('never refuses a health check from this machine, and a client’s other requests never spend it', async () => {
    refill();
    for (let i = 0; i < LIMIT * 5; i++)
      expect((await h.app.inject({ ...publicRequests.health, remoteAddress: '127.0.0.1' })).statusCode).toBe(
        200,
      );
    // A load balancer whose address also carries other traffic keeps its health bucket.
    for (let i = 0; i < LIMIT + 2; i++)
      await h.app.inject({ ...publicRequests.public, remoteAddress: '192.0.2.80' });
    expect((await h.app.inject({ ...publicRequests.health, remoteAddress: '192.0.2.80' })).statusCode).toBe(
      200,
    );
  });

  it('puts a ceiling on each session, not on the address its people share', async () => {
    await exceed('session', {
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: cookies.analyst1! },
    });
    const other = await h.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: cookies.analyst2! },
    });
    expect(other.statusCode).toBe(200);
  });

  it("limits a bank's system per key", async () => {
    const feed = (key: string) =>
      ({
        method: 'GET',
        url: '/api/bank/instructions',
        headers: { authorization: `Bearer ${key}` },
        remoteAddress: '198.51.100.60',
      }) as const;
    await exceed('bank key', feed(keys['gateway-a']!));
    // The same bank's other key, from the same address, has its own bucket.
    const other = await h.app.inject(feed(keys['gateway-b']!));
    expect(other.statusCode, other.body).toBe(200);
  });

  it('limits requests without a valid credential per address, and never refuses a valid one there', async () => {
    const forged = {
      method: 'POST',
      url: '/api/users',
      headers: { cookie: 'fanzha_session=forged-session-token' },
      payload: {},
      remoteAddress: '192.0.2.99',
    } as const;
    await exceed('unauthenticated', forged);
    expect((await h.app.inject({ ...forged, remoteAddress: '192.0.2.100' })).statusCode).toBe(401);
    const valid = await h.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: cookies.analyst2! },
      remoteAddress: '192.0.2.99',
    });
    expect(valid.statusCode).toBe(200);
  });
});
