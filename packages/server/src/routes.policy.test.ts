import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withIdCheckChar } from '@fanzha/domain';
import { describeEachStorage } from '../testing/test-databases';
import { listAudit, sealAudit } from './modules/audit/index';
import { isStateChanging } from './platform/http/policy';
import { createHarness, TEST_PASSWORD, type Harness } from '../testing/app-harness';

const someId = '6f1c1d2e-0000-4000-8000-000000000001';
const fill = (url: string) => url.replace(/:[A-Za-z]+/g, someId);

describeEachStorage('every route', (database) => {
  const logLines: string[] = [];
  let h: Harness;
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    h = await createHarness(database(), { logger: { level: 'trace', stream } });
  });
  afterAll(() => h.close());

  it('answers 401 without a session, unless it is public', async () => {
    const guarded = h.app.registeredRoutes.filter(
      (r) => r.policy?.access !== 'public' && r.method !== 'HEAD',
    );
    expect(guarded.length).toBeGreaterThanOrEqual(8);
    for (const route of guarded) {
      const res = await h.app.inject({
        method: route.method as 'GET',
        url: fill(route.url),
        ...(isStateChanging(route.method) ? { payload: {} } : {}),
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.json(), `${route.method} ${route.url}`).toMatchObject({
        error: { code: 'unauthenticated' },
      });
    }
  });

  it('audits every refused state change under its declared action', async () => {
    const changing = h.app.registeredRoutes.filter(
      (r) => isStateChanging(r.method) && r.policy?.access !== 'public',
    );
    for (const route of changing)
      await h.app.inject({ method: route.method as 'POST', url: fill(route.url), payload: {} });
    await sealAudit(database().db);
    const entries = await listAudit(database().db, { limit: 500 });
    for (const route of changing) {
      const hit = entries.find((e) => e.action === route.action && e.result === 'denied');
      expect(hit, `${route.method} ${route.url} → ${route.action}`).toBeDefined();
    }
  });

  it('never writes a password, a TOTP secret, a session or a full ID number into the logs', async () => {
    await h.createUser({ username: 'logcheck', displayName: 'Log Check', role: 'admin' });
    const cookie = await h.signIn('logcheck');
    const secret = h.secrets.get('logcheck')!;
    const newPassword = 'Another-Secret-Passw0rd';
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie },
      payload: { username: 'newbie', displayName: 'New', role: 'analyst', password: newPassword },
    });
    expect(res.statusCode).toBe(201);
    await h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'logcheck', password: 'wrong-guess-123' },
    });
    // A victim's full ID number goes through intake, a read and a refused save: it must not reach the log.
    await h.createUser({ username: 'taker9', displayName: 'Taker', role: 'call_taker' });
    const taker = await h.signIn('taker9');
    const idNumber = withIdCheckChar('52010219800101123');
    const reportId = '7f1c1d2e-0000-4000-8000-000000000009';
    const saved = await h.app.inject({
      method: 'PUT',
      url: `/api/reports/${reportId}`,
      headers: { cookie: taker },
      payload: {
        version: 0,
        callAnsweredAt: h.clock.now().toISOString(),
        victim: { name: '赵六', idNumber },
        transfers: [],
      },
    });
    expect(saved.statusCode).toBe(200);
    await h.app.inject({ method: 'GET', url: `/api/reports/${reportId}`, headers: { cookie: taker } });
    await h.app.inject({
      method: 'PUT',
      url: `/api/reports/${reportId}`,
      headers: { cookie: taker },
      payload: {
        version: 0,
        callAnsweredAt: h.clock.now().toISOString(),
        victim: { idNumber },
        transfers: [],
      },
    });
    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(1000);
    for (const secretText of [
      TEST_PASSWORD,
      newPassword,
      'wrong-guess-123',
      secret,
      cookie.split('=')[1]!,
      idNumber,
    ])
      expect(log, 'a secret leaked into the log').not.toContain(secretText);
  });

  it('never writes an appellant’s contact phone, which checks the appeal with its reference, into the logs', async () => {
    const phone = '13700011234';
    const filed = await h.app.inject({
      method: 'POST',
      url: '/api/public/appeals',
      payload: {
        subjectKind: 'phone',
        subjectValue: '13800138000',
        name: '王五',
        contactPhone: phone,
        statement: '号码是我本人在用',
      },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const { reference } = filed.json<{ reference: string }>();
    const from = logLines.length;
    for (const [query, status] of [
      [`phone=${phone}`, 200],
      [`phone=%2B86%20137-0001-1234`, 200],
      [`phone=13700019999`, 404],
      [`Phone=${phone}`, 400],
    ] as const) {
      const res = await h.app.inject({ method: 'GET', url: `/api/public/appeals/${reference}?${query}` });
      expect(res.statusCode, query).toBe(status);
    }
    const log = logLines.slice(from).join('');
    for (const digits of ['13700011234', '137-0001-1234', '13700019999'])
      expect(log, 'a contact phone leaked into the log').not.toContain(digits);
    expect(log).toContain(`/api/public/appeals/${reference}?phone=redacted`);
  });
});
