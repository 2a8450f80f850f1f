import type { SignInResponse } from '@fanzha/contracts';
import { beforeAll, afterAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { totpCode, totpStep } from '../../platform/crypto/totp';
import { createHarness, TEST_PASSWORD, type Harness } from '../../../testing/app-harness';

describeEachStorage('sign-in with two factors', (database) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(database());
    for (const [username, role] of [
      ['alice', 'call_taker'],
      ['bob', 'admin'],
      ['carol', 'auditor'],
      ['dave', 'call_taker'],
      ['erin', 'supervisor'],
      ['wally', 'wall'],
    ] as const)
      await h.createUser({ username, displayName: username, role });
  });
  afterAll(() => h.close());

  const signInStep1 = (username: string, password: string) =>
    h.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password } });

  it('refuses a password alone: step 1 opens no session', async () => {
    const res = await signInStep1('alice', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json<SignInResponse>().next).toBe('enrol_totp');
    expect(res.headers['set-cookie']).toBeUndefined();
    const session = await h.app.inject({ method: 'GET', url: '/api/auth/session' });
    expect(session.statusCode).toBe(401);
  });

  it('enrols an authenticator at first sign-in and opens a session with the role and its consoles', async () => {
    const cookie = await h.signIn('alice');
    const res = await h.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      user: { username: 'alice', role: 'call_taker', consoles: ['intake', 'callbacks', 'wall'] },
    });
    const second = await signInStep1('alice', TEST_PASSWORD);
    expect(second.json<SignInResponse>()).toMatchObject({ next: 'totp' });
    expect(second.json<SignInResponse>().enrolment).toBeUndefined();
  });

  it('refuses a replayed TOTP code, and takes the next one', async () => {
    await h.signIn('dave');
    const step = totpStep(h.clock.now());
    const code = totpCode(h.secrets.get('dave')!, step);
    const first = await signInStep1('dave', TEST_PASSWORD);
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/auth/verify',
      payload: { challengeId: first.json<SignInResponse>().challengeId, code },
    });
    expect(ok.statusCode).toBe(200);
    const again = await signInStep1('dave', TEST_PASSWORD);
    const replay = await h.app.inject({
      method: 'POST',
      url: '/api/auth/verify',
      payload: { challengeId: again.json<SignInResponse>().challengeId, code },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({
      error: { code: 'unauthenticated', message: 'Wrong or already used code' },
    });
    expect(replay.headers['set-cookie']).toBeUndefined();
    h.clock.advance(30_000);
    const fresh = await h.app.inject({
      method: 'POST',
      url: '/api/auth/verify',
      payload: { challengeId: again.json<SignInResponse>().challengeId, code: h.codeFor('dave') },
    });
    expect(fresh.statusCode).toBe(200);
  });

  it('lets a challenge die after five wrong codes', async () => {
    h.clock.advance(30_000);
    const res = await signInStep1('dave', TEST_PASSWORD);
    const { challengeId } = res.json<SignInResponse>();
    const right = h.codeFor('dave');
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) {
      const r = await h.app.inject({
        method: 'POST',
        url: '/api/auth/verify',
        payload: { challengeId, code: wrong },
      });
      expect(r.statusCode).toBe(401);
    }
    const late = await h.app.inject({
      method: 'POST',
      url: '/api/auth/verify',
      payload: { challengeId, code: right },
    });
    expect(late.statusCode).toBe(401);
    expect(late.json()).toMatchObject({
      error: { message: 'This sign-in has expired; enter your password again' },
    });
  });

  it('throttles the sixth wrong password, answering the same whether or not the user exists', async () => {
    const answers = async (username: string) => {
      const seen: Array<{ status: number; code: string; message: string }> = [];
      for (let i = 0; i < 6; i++) {
        const r = await signInStep1(username, `wrong-password-${i}`);
        const e = r.json<{ error: { code: string; message: string } }>().error;
        seen.push({ status: r.statusCode, code: e.code, message: e.message });
      }
      return seen;
    };
    const real = await answers('erin');
    const ghost = await answers('nobody-here');
    expect(real).toEqual(ghost);
    expect(real.slice(0, 5).every((a) => a.status === 401)).toBe(true);
    expect(real[5]).toMatchObject({ status: 429, code: 'rate_limited' });
    // Locked means locked: the right password is refused too, until the lock ends.
    expect((await signInStep1('erin', TEST_PASSWORD)).statusCode).toBe(429);
    h.clock.advance(15 * 60_000 + 1000);
    expect((await signInStep1('erin', TEST_PASSWORD)).statusCode).toBe(200);
  });

  const fromAddress = (username: string, password: string, remoteAddress: string) =>
    h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      remoteAddress,
      payload: { username, password },
    });

  it('locks a username guessed from one address, not its owner signing in from another', async () => {
    await h.createUser({ username: 'gina', displayName: 'gina', role: 'stop_payment_officer' });
    for (let i = 0; i < 5; i++)
      expect((await fromAddress('gina', `guess-${i}`, '203.0.113.7')).statusCode).toBe(401);
    const locked = await fromAddress('gina', TEST_PASSWORD, '203.0.113.7');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    // The officer at their own desk is not locked out by a stranger.
    expect((await fromAddress('gina', TEST_PASSWORD, '198.51.100.20')).statusCode).toBe(200);
    h.clock.advance(5 * 60_000);
    const later = await fromAddress('gina', TEST_PASSWORD, '203.0.113.7');
    expect(Number(later.headers['retry-after'])).toBeLessThanOrEqual(10 * 60);
    h.clock.advance(10 * 60_000 + 1000);
  });

  it('throttles one address failing often, whatever the usernames', async () => {
    await h.createUser({ username: 'hank', displayName: 'hank', role: 'analyst' });
    // 30 failures over 10 usernames: under the pair's limit and the address's different usernames'.
    for (let i = 0; i < 30; i++)
      expect((await fromAddress(`nobody-${i % 10}`, 'guess', '203.0.113.8')).statusCode).toBe(401);
    const locked = await fromAddress('hank', TEST_PASSWORD, '203.0.113.8');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await fromAddress('hank', TEST_PASSWORD, '198.51.100.21')).statusCode).toBe(200);
    h.clock.advance(15 * 60_000 + 1000);
    expect((await fromAddress('hank', TEST_PASSWORD, '203.0.113.8')).statusCode).toBe(200);
  });

  it('locks a username guessed from many addresses everywhere (a distributed guess), for a while', async () => {
    await h.createUser({ username: 'ivan', displayName: 'ivan', role: 'analyst' });
    for (let a = 0; a < 10; a++)
      for (let i = 0; i < 5; i++)
        expect((await fromAddress('ivan', `guess-${i}`, `192.0.2.${a + 1}`)).statusCode).toBe(401);
    const elsewhere = await fromAddress('ivan', TEST_PASSWORD, '198.51.100.22');
    expect(elsewhere.statusCode).toBe(429);
    expect(elsewhere.headers['retry-after']).toBeDefined();
    h.clock.advance(15 * 60_000 + 1000);
    expect((await fromAddress('ivan', TEST_PASSWORD, '198.51.100.22')).statusCode).toBe(200);
  });

  it('counts an IPv6 client by its /64, so a new address in the same network starts no fresh count', async () => {
    await h.createUser({ username: 'jill', displayName: 'jill', role: 'analyst' });
    for (let i = 0; i < 5; i++)
      expect((await fromAddress('jill', `guess-${i}`, `2001:db8:1:2::${i + 1}`)).statusCode).toBe(401);
    expect((await fromAddress('jill', TEST_PASSWORD, '2001:db8:1:2::99')).statusCode).toBe(429);
    expect((await fromAddress('jill', TEST_PASSWORD, '2001:db8:1:3::1')).statusCode).toBe(200);
    h.clock.advance(15 * 60_000 + 1000);
  });

  it('ends a session after the idle timeout and at the absolute limit', async () => {
    const cookie = await h.signIn('carol');
    const session = () => h.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
    h.clock.advance(29 * 60_000);
    expect((await session()).statusCode).toBe(200);
    h.clock.advance(31 * 60_000);
    expect((await session()).statusCode).toBe(401);

    const busy = await h.signIn('carol');
    const touch = () => h.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: busy } });
    for (let elapsed = 0; elapsed < 11.5 * 60; elapsed += 20) {
      h.clock.advance(20 * 60_000);
      expect((await touch()).statusCode, `after ${elapsed + 20} min`).toBe(200);
    }
    h.clock.advance(40 * 60_000);
    expect((await touch()).statusCode).toBe(401);
  });

  it('keeps a wall display signed in for weeks while it refreshes, and still ends it when left idle', async () => {
    const verify = await h.signIn('wally');
    const touch = () =>
      h.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: verify } });
    for (let hours = 0; hours < 72; hours += 0.25) {
      h.clock.advance(15 * 60_000);
      expect((await touch()).statusCode, `after ${hours + 0.25} h`).toBe(200);
    }
    h.clock.advance(31 * 60_000);
    expect((await touch()).statusCode).toBe(401);
  });

  it('signs out, and a signed-out cookie opens nothing', async () => {
    const cookie = await h.signIn('carol');
    const out = await h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { cookie },
      payload: {},
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } })).statusCode,
    ).toBe(401);
  });

  it('enforces roles: 403 for the wrong role, 200 for the right one', async () => {
    const clerk = await h.signIn('alice');
    const admin = await h.signIn('bob');
    const auditor = await h.signIn('carol');
    const get = (url: string, cookie: string) => h.app.inject({ method: 'GET', url, headers: { cookie } });
    expect((await get('/api/users', clerk)).statusCode).toBe(403);
    expect((await get('/api/users', admin)).statusCode).toBe(200);
    expect((await get('/api/audit', admin)).statusCode).toBe(403);
    expect((await get('/api/audit', auditor)).statusCode).toBe(200);
  });

  it('disabling a user ends their sessions and refuses their sign-in with the usual answer', async () => {
    const { id } = await h.createUser({ username: 'frank', displayName: 'frank', role: 'analyst' });
    const cookie = await h.signIn('frank');
    const admin = await h.signIn('bob');
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/users/${id}/disable`,
      headers: { cookie: admin },
      payload: {},
    });
    expect(res.statusCode).toBe(200);
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } })).statusCode,
    ).toBe(401);
    const again = await signInStep1('frank', TEST_PASSWORD);
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ error: { message: 'Wrong username or password' } });
  });

  it('refuses a state change sent as a form (CSRF defence)', async () => {
    const admin = await h.signIn('bob');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin, 'content-type': 'text/plain' },
      payload: 'username=mallory',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { details: [{ field: 'header.content-type' }] } });
  });
});
