import { refusalBursts } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { createHarness, TEST_PASSWORD, type Harness } from '../../../testing/app-harness';
import { sealAudit, verifyAudit } from '../audit/index';
import { signInLimits } from './sign-in-limits';

/**
 * Refused sign-ins are audited by bursts: the first refusal of a kind at once, the rest counted, and one
 * entry with the count when the burst ends — not one entry per attempt. The limits still answer 429.
 */
describeEachStorage('refused sign-ins in the audit trail', (database) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(database());
    const { id } = await h.createUser({ username: 'gone', displayName: 'gone', role: 'analyst' });
    await h.app.services.users.disable({ at: h.clock.now(), requestId: null, actor: null }, id);
  });
  afterAll(() => h.close());

  const signIn = (username: string, remoteAddress: string, password = 'not-the-password') =>
    h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      remoteAddress,
      payload: { username, password },
    });
  const entriesOf = async (username: string) =>
    (
      await database()
        .db.selectFrom('audit_entry')
        .select(['action', 'result', 'details', 'client_address'])
        .where('action', '=', 'auth.sign_in')
        .orderBy('id')
        .execute()
    ).filter((e) => (e.details as { username?: string }).username === username);

  it('writes the first refusal at once and one entry with the count when the burst ends; 429 in the one shape', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await signIn('nobody-here', '203.0.113.10');
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        const body = res.json<{ error: Record<string, unknown> }>();
        expect(Object.keys(body)).toEqual(['error']);
        expect(body.error).toMatchObject({ code: 'rate_limited', requestId: res.headers['x-request-id'] });
        expect(typeof body.error.message).toBe('string');
      }
      h.clock.advance(1_000);
    }
    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(7).fill(429)]);
    // The burst is open: each kind of refusal shows at once, by its first attempt alone.
    expect((await entriesOf('nobody-here')).map((e) => e.details)).toEqual([
      { username: 'nobody-here', reason: 'unknown_user' },
      { username: 'nobody-here', reason: 'locked' },
    ]);
    h.clock.advance(refusalBursts.quietMs);
    expect(await h.app.services.auth.closeEndedBursts()).toBe(2);
    const entries = await entriesOf('nobody-here');
    expect(entries).toHaveLength(4);
    const closing = entries.slice(2).map((e) => {
      const details = e.details as { reason: string; count: number; firstAt: string; lastAt: string };
      return { result: e.result, address: e.client_address, ...details };
    });
    expect(closing).toEqual([
      {
        result: 'failure',
        address: '203.0.113.10',
        username: 'nobody-here',
        reason: 'unknown_user',
        count: 5,
        firstAt: '2026-05-01T08:00:00.000Z',
        lastAt: '2026-05-01T08:00:04.000Z',
      },
      {
        result: 'denied',
        address: '203.0.113.10',
        username: 'nobody-here',
        reason: 'locked',
        count: 7,
        firstAt: '2026-05-01T08:00:05.000Z',
        lastAt: '2026-05-01T08:00:11.000Z',
      },
    ]);
    // Nothing is left to close, and the trail (appended only) is intact once sealed.
    expect(await h.app.services.auth.closeEndedBursts()).toBe(0);
    while ((await sealAudit(database().db)) > 0);
    expect(await verifyAudit(database().db)).toMatchObject({ isIntact: true, unsealed: 0 });
  });

  it('closes an ended burst when the next refusal of its kind comes, and starts a new one', async () => {
    for (let i = 0; i < 3; i++)
      expect((await signIn('gone', '198.51.100.20', TEST_PASSWORD)).statusCode).toBe(401);
    expect(await entriesOf('gone')).toHaveLength(1);
    h.clock.advance(refusalBursts.quietMs + 1_000);
    expect((await signIn('gone', '198.51.100.20', TEST_PASSWORD)).statusCode).toBe(401);
    const entries = await entriesOf('gone');
    expect(entries.map((e) => e.details)).toEqual([
      { username: 'gone', reason: 'disabled' },
      expect.objectContaining({ username: 'gone', reason: 'disabled', count: 3 }),
      { username: 'gone', reason: 'disabled' },
    ]);
  });

  it('counts made-up second-step challenges from one address as one burst', async () => {
    const verify = () =>
      h.app.inject({
        method: 'POST',
        url: '/api/auth/verify',
        remoteAddress: '192.0.2.50',
        payload: { challengeId: 'made-up-challenge-0123456789', code: '123456' },
      });
    for (let i = 0; i < 4; i++) expect((await verify()).statusCode).toBe(401);
    const totpEntries = () =>
      database()
        .db.selectFrom('audit_entry')
        .select(['details'])
        .where('action', '=', 'auth.totp')
        .where('client_address', '=', '192.0.2.50')
        .orderBy('id')
        .execute();
    expect((await totpEntries()).map((e) => e.details)).toEqual([{ reason: 'challenge_invalid' }]);
    h.clock.advance(refusalBursts.quietMs);
    await h.app.services.auth.closeEndedBursts();
    expect((await totpEntries()).map((e) => (e.details as { count?: number }).count)).toEqual([undefined, 4]);
  });

  it('counts the single refusal of a burst by its first entry alone', async () => {
    await signIn('once', '192.0.2.40');
    h.clock.advance(refusalBursts.quietMs);
    await h.app.services.auth.closeEndedBursts();
    expect((await entriesOf('once')).map((e) => e.details)).toEqual([
      { username: 'once', reason: 'unknown_user' },
    ]);
  });

  it('gathers refusals across usernames from one address into one burst, and locks an address that tries many', async () => {
    const sprayer = '203.0.113.77';
    const names = Array.from({ length: signInLimits.perAddressUsernames }, (_, i) => `spray${i}`);
    const fromSprayer = () =>
      database()
        .db.selectFrom('audit_entry')
        .select(['action', 'result', 'details', 'user_id'])
        .where('client_address', '=', sprayer)
        .orderBy('id')
        .execute();
    for (const username of names) {
      expect((await signIn(username, sprayer)).statusCode).toBe(401);
      h.clock.advance(500);
    }
    // One entry at once for the whole burst, not one per username.
    expect((await fromSprayer()).map((e) => e.details)).toEqual([
      { username: 'spray0', reason: 'unknown_user' },
    ]);
    // That many different usernames lock the address, for a username it has not tried too…
    const locked = await signIn('spray-next', sprayer);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // …but not anyone else: a real user elsewhere still gets past the password.
    expect((await signIn('gone', '198.51.100.77', TEST_PASSWORD)).statusCode).toBe(401);
    h.clock.advance(refusalBursts.quietMs);
    await h.app.services.auth.closeEndedBursts();
    const entries = await fromSprayer();
    const closing = entries.filter((e) => (e.details as { count?: number }).count !== undefined);
    expect(closing).toHaveLength(1);
    expect(closing[0]).toMatchObject({
      action: 'auth.sign_in',
      result: 'failure',
      user_id: null,
      details: {
        reason: 'unknown_user',
        count: names.length,
        usernames: Object.fromEntries(names.map((n) => [n, 1])),
      },
    });
    // Twenty-one attempts, two bursts (refused, then locked), three entries.
    expect(entries.map((e) => (e.details as { reason: string }).reason)).toEqual([
      'unknown_user',
      'locked',
      'unknown_user',
    ]);
    while ((await sealAudit(database().db)) > 0);
    expect(await verifyAudit(database().db)).toMatchObject({ isIntact: true });
  });

  it('counts refusals that arrive together in the one burst they begin', async () => {
    const address = '203.0.113.88';
    const statuses = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => (await signIn(`together${i}`, address)).statusCode),
    );
    expect(statuses).toEqual(Array<number>(6).fill(401));
    h.clock.advance(refusalBursts.quietMs);
    await h.app.services.auth.closeEndedBursts();
    const entries = await database()
      .db.selectFrom('audit_entry')
      .select(['details'])
      .where('client_address', '=', address)
      .orderBy('id')
      .execute();
    expect(entries).toHaveLength(2);
    const closing = entries[1]!.details as { count: number; usernames: Record<string, number> };
    expect(closing.count).toBe(6);
    expect(Object.keys(closing.usernames).sort()).toEqual(
      Array.from({ length: 6 }, (_, i) => `together${i}`).sort(),
    );
  });

  it('closes a burst of one username written by the previous version, as that version did', async () => {
    const at = h.clock.now();
    await database()
      .db.insertInto('sign_in_refusal')
      .values({
        action: 'auth.sign_in',
        username: 'legacy-name',
        address: '192.0.2.123',
        reason: 'unknown_user',
        result: 'failure',
        user_id: null,
        role: null,
        client_address: '192.0.2.123',
        first_at: at,
        last_at: at,
        count: 3,
      })
      .execute();
    h.clock.advance(refusalBursts.quietMs);
    await h.app.services.auth.closeEndedBursts();
    const closing = await database()
      .db.selectFrom('audit_entry')
      .select(['details'])
      .where('client_address', '=', '192.0.2.123')
      .execute();
    expect(closing.map((e) => e.details)).toEqual([
      {
        username: 'legacy-name',
        reason: 'unknown_user',
        count: 3,
        firstAt: at.toISOString(),
        lastAt: at.toISOString(),
      },
    ]);
  });
});
