import { sql, type Kysely } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import type { DB } from '../../db/schema';
import { countingDb } from '../../../testing/statement-count';
import { describeEachStorage } from '../../../testing/test-databases';
import { appendAudit, sealAudit, verifyAudit } from './audit.repository';

/** Tampering needs the trigger out of the way: only an owner or superuser can do that, as an attacker would. */
async function tamper(db: Kysely<DB>, statement: ReturnType<typeof sql>) {
  await db.transaction().execute(async (trx) => {
    await sql`alter table audit_entry disable trigger audit_entry_append_only`.execute(trx);
    await statement.execute(trx);
    await sql`alter table audit_entry enable trigger audit_entry_append_only`.execute(trx);
  });
}

async function freshChain(db: Kysely<DB>, n: number) {
  await tamper(db, sql`delete from audit_entry`);
  await db.deleteFrom('audit_head').execute();
  for (let i = 0; i < n; i++) await appendEntry(db, i);
  while ((await sealAudit(db, 7)) > 0);
}

const appendEntry = (db: Kysely<DB>, i: number) =>
  appendAudit(db, {
    at: new Date(Date.UTC(2026, 4, 1, 8, 0, i)),
    userId: null,
    username: `user${i % 3}`,
    role: 'admin',
    action: 'user.create',
    objectType: 'user',
    objectId: `obj-${i}`,
    result: 'success',
    requestId: `req-${i}`,
    details: { i, nested: { b: 2, a: [1, 'x'] } },
  });

describeEachStorage('audit trail', (database, kind) => {
  let db: Kysely<DB>;
  beforeEach(async () => {
    db = database().db;
    await freshChain(db, 20);
  });

  it('verifies an untouched chain', async () => {
    expect(await verifyAudit(db, 6)).toEqual({ isIntact: true, checked: 20, unsealed: 0, firstBroken: null });
  });

  it('seals a batch in five statements: a look, the lock with the read, the head, the seals, the new head', async () => {
    for (let i = 20; i < 23; i++) await appendEntry(db, i);
    const counted = countingDb(db);
    expect(await sealAudit(counted.db)).toBe(3);
    expect(counted.count(), counted.kinds.join(', ')).toBe(5);
    expect(await verifyAudit(db)).toEqual({ isIntact: true, checked: 23, unsealed: 0, firstBroken: null });
  });

  it.skipIf(kind === 'pglite')('leaves the entries to the sealer that holds the lock', async () => {
    await appendEntry(db, 20);
    await db.connection().execute(async (session) => {
      await sql`begin`.execute(session);
      await sql`select pg_advisory_xact_lock(7340001)`.execute(session);
      expect(await sealAudit(db)).toBe(0);
      await sql`rollback`.execute(session);
    });
    expect((await verifyAudit(db)).unsealed).toBe(1);
    expect(await sealAudit(db)).toBe(1);
    expect((await verifyAudit(db)).isIntact).toBe(true);
  });

  it('refuses updates, deletes and truncation by the application', async () => {
    await expect(sql`update audit_entry set result = 'failure' where seq = 3`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_entry where seq = 3`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_entry`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`update audit_entry set hash = 'x', seq = 999 where seq = 4`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    expect((await verifyAudit(db)).isIntact).toBe(true);
  });

  it('names the first edited entry', async () => {
    await tamper(db, sql`update audit_entry set details = '{"i": 999}' where seq = 12`);
    await tamper(db, sql`update audit_entry set username = 'mallory' where seq = 15`);
    expect((await verifyAudit(db, 6)).firstBroken).toEqual({
      seq: 12,
      problem: expect.stringContaining('edited') as string,
    });
  });

  it('names the place of a deleted entry', async () => {
    await tamper(db, sql`delete from audit_entry where seq = 9`);
    expect((await verifyAudit(db, 6)).firstBroken).toEqual({
      seq: 9,
      problem: expect.stringContaining('missing') as string,
    });
  });

  it('finds a deleted entry even when the later ones are renumbered', async () => {
    await tamper(db, sql`delete from audit_entry where seq = 9`);
    await tamper(db, sql`update audit_entry set seq = seq - 1 where seq > 9`);
    expect((await verifyAudit(db)).firstBroken?.seq).toBe(9);
  });

  it('names the first of two reordered entries', async () => {
    await tamper(db, sql`update audit_entry set seq = -seq where seq in (5, 6)`);
    await tamper(
      db,
      sql`update audit_entry set seq = case seq when -5 then 6 else 5 end where seq in (-5, -6)`,
    );
    expect((await verifyAudit(db)).firstBroken?.seq).toBe(5);
  });

  it('finds entries cut off the end of the chain', async () => {
    await tamper(db, sql`delete from audit_entry where seq >= 19`);
    const result = await verifyAudit(db);
    expect(result.isIntact).toBe(false);
    expect(result.firstBroken?.problem).toContain('removed from the end');
  });

  it('verifies a trail begun under SHA-256 and continued under SM3, each entry by its recorded algorithm', async () => {
    // Entries sealed before algorithms were recorded carry none: they are SHA-256.
    await tamper(db, sql`update audit_entry set hash_alg = null where seq <= 10`);
    for (let i = 0; i < 5; i++)
      await appendAudit(db, {
        at: new Date(Date.UTC(2026, 4, 2, 8, 0, i)),
        action: 'user.create',
        result: 'success',
      });
    while ((await sealAudit(db, 2, 'sm3')) > 0);
    expect(await verifyAudit(db, 6)).toEqual({ isIntact: true, checked: 25, unsealed: 0, firstBroken: null });
    const algorithms = await db
      .selectFrom('audit_entry')
      .select(['seq', 'hash_alg'])
      .orderBy('seq')
      .execute();
    expect(algorithms.map((r) => r.hash_alg)).toEqual([
      ...Array<null>(10).fill(null),
      ...Array<string>(10).fill('sha256'),
      ...Array<string>(5).fill('sm3'),
    ]);
    // An entry that claims another algorithm than the one its hash was made with no longer matches.
    await tamper(db, sql`update audit_entry set hash_alg = 'sha256' where seq = 22`);
    expect((await verifyAudit(db)).firstBroken).toEqual({
      seq: 22,
      problem: expect.stringContaining('edited') as string,
    });
  });

  it('seals entries that commit late after those already sealed', async () => {
    await appendAudit(db, { at: new Date(), action: 'auth.sign_in', result: 'failure' });
    expect((await verifyAudit(db)).unsealed).toBe(1);
    await sealAudit(db);
    expect(await verifyAudit(db)).toMatchObject({ isIntact: true, checked: 21, unsealed: 0 });
  });
});
