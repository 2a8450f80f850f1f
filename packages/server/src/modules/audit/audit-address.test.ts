import type { AuditList } from '@fanzha/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { sealAudit, verifyAudit } from './audit.repository';

/**
 * Each audit entry records the client's address. X-Forwarded-For is believed only from the proxies an
 * operator lists (FANZHA_TRUST_PROXY); from anyone else it is the client's own claim, and ignored.
 */
describeEachStorage('client addresses in the audit trail', (database) => {
  let direct: Harness;
  let proxied: Harness;
  const cookies: Record<string, string> = {};
  beforeAll(async () => {
    direct = await createHarness(database());
    proxied = await createHarness(database(), { env: { FANZHA_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' } });
    await direct.createUser({ username: 'root', displayName: 'root', role: 'admin' });
    await direct.createUser({ username: 'eve', displayName: 'eve', role: 'auditor' });
    await proxied.createUser({ username: 'root2', displayName: 'root2', role: 'admin' });
    cookies.root = await direct.signIn('root');
    cookies.eve = await direct.signIn('eve');
    cookies.root2 = await proxied.signIn('root2');
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
  });

  const createUser = (h: Harness, cookie: string, username: string, remoteAddress: string) =>
    h.app.inject({
      method: 'POST',
      url: '/api/users',
      remoteAddress,
      headers: { cookie, 'x-forwarded-for': '198.51.100.77' },
      payload: { username, displayName: username, role: 'analyst', password: 'Correct-Horse-9-Battery' },
    });
  const entries = async () =>
    (
      await direct.app.inject({
        method: 'GET',
        url: '/api/audit?limit=500',
        headers: { cookie: cookies.eve! },
      })
    ).json<AuditList>().entries;
  const addressOf = async (action: string, objectUsername: string) =>
    (await entries()).find((e) => e.action === action && JSON.stringify(e.details).includes(objectUsername))
      ?.clientAddress;

  it('records the peer’s address and ignores a forwarded one when no proxy is trusted', async () => {
    expect((await createUser(direct, cookies.root!, 'ann', '203.0.113.5')).statusCode).toBe(201);
    expect(await addressOf('user.create', 'ann')).toBe('203.0.113.5');
    const failed = await direct.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      remoteAddress: '203.0.113.9',
      headers: { 'x-forwarded-for': '198.51.100.77' },
      payload: { username: 'ann', password: 'not-the-password' },
    });
    expect(failed.statusCode).toBe(401);
    const refused = (await entries()).find(
      (e) => e.action === 'auth.sign_in' && e.result === 'failure' && e.details.username === 'ann',
    );
    expect(refused?.clientAddress).toBe('203.0.113.9');
  });

  it('believes X-Forwarded-For from a configured proxy only', async () => {
    expect((await createUser(proxied, cookies.root2!, 'bea', '10.1.2.3')).statusCode).toBe(201);
    expect(await addressOf('user.create', 'bea')).toBe('198.51.100.77');
    expect((await createUser(proxied, cookies.root2!, 'cid', '203.0.113.5')).statusCode).toBe(201);
    expect(await addressOf('user.create', 'cid')).toBe('203.0.113.5');
  });

  it('seals the address into the chain: changing it breaks the chain, and sealing cannot change it', async () => {
    const { db } = database();
    const unsealed = await db
      .selectFrom('audit_entry')
      .select('id')
      .where('seq', 'is', null)
      .where('client_address', 'is not', null)
      .executeTakeFirstOrThrow();
    await expect(
      sql`update audit_entry set client_address = '192.0.2.1', seq = 999999, prev_hash = 'x', hash = 'y'
          where id = ${unsealed.id}`.execute(db),
    ).rejects.toThrow(/append-only/);
    while ((await sealAudit(db)) > 0);
    expect(await verifyAudit(db)).toMatchObject({ isIntact: true });
    const sealed = await db
      .selectFrom('audit_entry')
      .select('seq')
      .where('client_address', '=', '203.0.113.5')
      .orderBy('seq')
      .executeTakeFirstOrThrow();
    await db.transaction().execute(async (trx) => {
      await sql`alter table audit_entry disable trigger audit_entry_append_only`.execute(trx);
      await sql`update audit_entry set client_address = '192.0.2.1' where seq = ${sealed.seq}`.execute(trx);
      await sql`alter table audit_entry enable trigger audit_entry_append_only`.execute(trx);
    });
    expect((await verifyAudit(db)).firstBroken).toMatchObject({ seq: sealed.seq });
  });
});
