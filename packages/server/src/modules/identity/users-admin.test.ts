import type { ErrorBody, PasswordReset, SignInResponse, UserView } from '@fanzha/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachStorage, type TestDatabase } from '../../../testing/test-databases';
import { createHarness, TEST_PASSWORD, type Harness } from '../../../testing/app-harness';

/**
 * What an admin does for people after the first day: a forgotten password (a one-time password the user
 * must replace at the next sign-in) and a changed post (role and scope). Strict contracts, audited, and
 * the people's sessions end when their access changes.
 */
describeEachStorage('account administration: password reset, role and scope', (database) => {
  let h: Harness;
  let db: TestDatabase['db'];
  let admin = '';
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await createHarness(database());
    db = database().db;
    for (const [username, role] of [
      ['root', 'admin'],
      ['lin', 'call_taker'],
      ['mei', 'call_taker'],
      ['rui', 'supervisor'],
    ] as const)
      ids[username] = (await h.createUser({ username, displayName: username, role })).id;
    admin = await h.signIn('root');
  });
  afterAll(() => h.close());

  const as = (cookie: string, method: 'POST' | 'PUT' | 'GET', url: string, payload?: unknown) =>
    payload === undefined
      ? h.app.inject({ method, url, headers: { cookie } })
      : h.app.inject({ method, url, headers: { cookie }, payload: payload as object });
  const step1 = (payload: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload });
  const audit = (action: string) =>
    db
      .selectFrom('audit_entry')
      .select(['action', 'object_id', 'username', 'details'])
      .where('action', '=', action)
      .execute();
  const userRow = (id: string) =>
    db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  describe('password reset', () => {
    it('gives a one-time password once, ends the sessions, and the user must replace it at sign-in', async () => {
      const session = await h.signIn('lin');
      const res = await as(admin, 'POST', `/api/users/${ids.lin}/reset-password`, {});
      expect(res.statusCode).toBe(200);
      const reset = res.json<PasswordReset>();
      expect(reset.oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
      expect(reset.user).toMatchObject({ username: 'lin', mustChangePassword: true, hasTotp: true });
      // Not stored in clear.
      expect(JSON.stringify(await userRow(ids.lin!))).not.toContain(reset.oneTimePassword);
      expect((await as(session, 'GET', '/api/auth/session')).statusCode).toBe(401);
      // The old password is gone.
      expect((await step1({ username: 'lin', password: TEST_PASSWORD })).statusCode).toBe(401);

      // The one-time password alone: refused in the one error shape, naming the field; nothing changes.
      const alone = await step1({ username: 'lin', password: reset.oneTimePassword });
      expect(alone.statusCode).toBe(400);
      expect(alone.json()).toMatchObject({
        error: {
          code: 'validation_failed',
          details: [{ field: 'body.newPassword', reason: 'password_change_required' }],
        },
      });
      expect(alone.headers['set-cookie']).toBeUndefined();
      // A weak new password, or the one-time one again: refused, the one-time password still works.
      const weak = await step1({
        username: 'lin',
        password: reset.oneTimePassword,
        newPassword: 'aaaaaaaaaaaa',
      });
      expect(weak.statusCode).toBe(400);
      expect(weak.json<ErrorBody>().error.details?.[0]).toMatchObject({
        field: 'body.newPassword',
        reason: 'weak_password',
      });
      const same = await step1({
        username: 'lin',
        password: reset.oneTimePassword,
        newPassword: reset.oneTimePassword,
      });
      expect(same.json<ErrorBody>().error.details).toContainEqual(
        expect.objectContaining({ field: 'body.newPassword', reason: 'same_password' }),
      );
      expect((await userRow(ids.lin!)).must_change_password).toBe(true);

      // With a good new password: on to the second factor (kept), then a session.
      const fresh = 'Fresh-Passw0rd-2026-x';
      const ok = await step1({ username: 'lin', password: reset.oneTimePassword, newPassword: fresh });
      expect(ok.statusCode).toBe(200);
      expect(ok.json<SignInResponse>().next).toBe('totp');
      expect((await userRow(ids.lin!)).must_change_password).toBe(false);
      await h.signIn('lin', fresh);
      // The one-time password worked once.
      expect((await step1({ username: 'lin', password: reset.oneTimePassword })).statusCode).toBe(401);

      expect(await audit('user.reset_password')).toEqual([
        expect.objectContaining({ object_id: ids.lin, username: 'root', details: { username: 'lin' } }),
      ]);
      const changed = await audit('user.change_password');
      expect(changed).toEqual([expect.objectContaining({ object_id: ids.lin, username: 'lin' })]);
      expect(JSON.stringify([...changed, ...(await audit('user.reset_password'))])).not.toContain(fresh);
    });

    it('refuses newPassword on an ordinary sign-in, a body, an unknown user and the admin themself', async () => {
      const ordinary = await step1({
        username: 'mei',
        password: TEST_PASSWORD,
        newPassword: 'Fresh-Passw0rd-2026-y',
      });
      expect(ordinary.statusCode).toBe(400);
      expect(ordinary.json<ErrorBody>().error.details?.[0]).toMatchObject({
        field: 'body.newPassword',
        reason: 'not_allowed',
      });
      const before = await userRow(ids.mei!);
      const withBody = await as(admin, 'POST', `/api/users/${ids.mei}/reset-password`, { password: 'x' });
      expect(withBody.statusCode).toBe(400);
      expect(withBody.json<ErrorBody>().error.code).toBe('validation_failed');
      expect((await userRow(ids.mei!)).password_hash).toBe(before.password_hash);
      const unknown = await as(
        admin,
        'POST',
        '/api/users/00000000-0000-4000-8000-000000000000/reset-password',
        {},
      );
      expect(unknown.statusCode).toBe(404);
      const self = await as(admin, 'POST', `/api/users/${ids.root}/reset-password`, {});
      expect(self.statusCode).toBe(409);
      const byOther = await as(await h.signIn('rui'), 'POST', `/api/users/${ids.mei}/reset-password`, {});
      expect(byOther.statusCode).toBe(403);
      expect((await userRow(ids.mei!)).password_hash).toBe(before.password_hash);
    });
  });

  describe('role and scope', () => {
    it('replaces role and scope as a whole, ends the sessions, and audits from and to', async () => {
      const session = await h.signIn('mei');
      const res = await as(admin, 'PUT', `/api/users/${ids.mei}/role`, {
        role: 'county_police',
        countyCode: '520102',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<UserView>()).toMatchObject({
        role: 'county_police',
        countyCode: '520102',
        bankCode: null,
      });
      expect((await as(session, 'GET', '/api/auth/session')).statusCode).toBe(401);
      const cookie = await h.signIn('mei');
      const me = await as(cookie, 'GET', '/api/auth/session');
      expect(me.json()).toMatchObject({
        user: { role: 'county_police', countyCode: '520102', consoles: ['county'] },
      });

      const toBank = await as(admin, 'PUT', `/api/users/${ids.mei}/role`, {
        role: 'bank_liaison',
        bankCode: 'ICBC',
      });
      expect(toBank.json<UserView>()).toMatchObject({
        role: 'bank_liaison',
        bankCode: 'ICBC',
        countyCode: null,
      });
      expect(await audit('user.set_role')).toContainEqual(
        expect.objectContaining({
          object_id: ids.mei,
          username: 'root',
          details: {
            username: 'mei',
            from: { role: 'county_police', bankCode: null, operatorCode: null, countyCode: '520102' },
            to: { role: 'bank_liaison', bankCode: 'ICBC', operatorCode: null, countyCode: null },
          },
        }),
      );
    });

    it('refuses a scope the role does not take, a missing or unknown one, unknown fields, and the admin themself', async () => {
      const before = await userRow(ids.rui!);
      const cases: Array<[unknown, string, unknown]> = [
        [{ role: 'bank_liaison' }, 'body.bankCode', 'required'],
        [{ role: 'bank_liaison', bankCode: 'NOPE' }, 'body.bankCode', 'unknown_bank'],
        // A name every JavaScript object has is not a bank either.
        [{ role: 'bank_liaison', bankCode: 'toString' }, 'body.bankCode', 'unknown_bank'],
        [{ role: 'call_taker', countyCode: '520102' }, 'body.countyCode', 'not_allowed'],
        [{ role: 'county_police', countyCode: '999999' }, 'body.countyCode', expect.any(String)],
        [{ role: 'call_taker', isDisabled: true }, '', 'unrecognized_keys'],
        [{ role: 'emperor' }, 'body.role', expect.any(String)],
        [{}, 'body.role', expect.any(String)],
      ];
      for (const [payload, field, reason] of cases) {
        const res = await as(admin, 'PUT', `/api/users/${ids.rui}/role`, payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        const details = res.json<ErrorBody>().error.details as Array<{ field: string; reason: string }>;
        if (field) expect(details).toContainEqual(expect.objectContaining({ field, reason }));
        else expect(details.map((d) => d.reason)).toContain(reason);
      }
      expect(await userRow(ids.rui!)).toEqual(before);
      const self = await as(admin, 'PUT', `/api/users/${ids.root}/role`, { role: 'auditor' });
      expect(self.statusCode).toBe(409);
      expect((await userRow(ids.root!)).role).toBe('admin');
    });
  });

  it('tells the sign-in page whether the first admin is still to be made', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/auth/setup' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ needsFirstAdmin: false });
  });
});

describeEachStorage('a fresh installation without an admin', (database) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(database());
  });
  afterAll(() => h.close());

  it('says publicly that the first admin is to be created, and nothing more', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/auth/setup' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ needsFirstAdmin: true });
  });
});
