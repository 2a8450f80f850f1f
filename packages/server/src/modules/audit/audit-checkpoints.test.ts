import type { AuditCheckpointKeys, AuditCheckpointList } from '@fanzha/contracts';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '../../db/schema';
import { createSigner } from '../../platform/crypto/signer';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { describeEachStorage } from '../../../testing/test-databases';
import { entryHash, GENESIS } from './audit-chain';
import { checkpointPayload, checkpointFileLines, parseCheckpointFile } from './audit-checkpoint';
import {
  checkpointAudit,
  listCheckpointKeys,
  listCheckpoints,
  verifyCheckpoints,
} from './audit-checkpoints.repository';
import { appendAudit, sealAudit, verifyAudit } from './audit.repository';

const signer = createSigner(Buffer.alloc(32, 5), 'audit-checkpoints');
const key = { keyId: signer.keyId, algorithm: signer.algorithm, publicKeyPem: signer.publicKeyPem };
const policy = { everyMinutes: 60, everyEntries: 1000 };
const t0 = new Date('2026-05-01T08:00:00Z');
const minutesAfter = (m: number) => new Date(t0.getTime() + m * 60_000);

/** What an intruder with the database owner's rights does: triggers off, change, triggers on. */
async function tamper(db: Kysely<DB>, ...statements: Array<ReturnType<typeof sql>>) {
  await db.transaction().execute(async (trx) => {
    for (const t of ['audit_entry', 'audit_checkpoint', 'audit_checkpoint_key'])
      await sql`alter table ${sql.table(t)} disable trigger user`.execute(trx);
    for (const s of statements) await s.execute(trx);
    for (const t of ['audit_entry', 'audit_checkpoint', 'audit_checkpoint_key'])
      await sql`alter table ${sql.table(t)} enable trigger user`.execute(trx);
  });
}

async function addEntries(db: Kysely<DB>, n: number) {
  for (let i = 0; i < n; i++)
    await appendAudit(db, {
      at: new Date(t0.getTime() + i * 1000),
      username: `user${i % 3}`,
      role: 'admin',
      action: 'user.create',
      objectType: 'user',
      objectId: `obj-${i}`,
      result: 'success',
      details: { i },
    });
  while ((await sealAudit(db, 7)) > 0);
}

/** Recomputes every hash from the first entry on, as an intruder who edited an entry would, so the chain holds. */
async function rechain(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('audit_entry')
    .selectAll()
    .where('seq', 'is not', null)
    .orderBy('seq')
    .execute();
  let prev = GENESIS;
  const statements: Array<ReturnType<typeof sql>> = [];
  for (const r of rows) {
    const hash = entryHash(prev, {
      seq: r.seq!,
      at: r.at,
      userId: r.user_id,
      username: r.username,
      role: r.role,
      action: r.action,
      objectType: r.object_type,
      objectId: r.object_id,
      result: r.result,
      requestId: r.request_id,
      details: r.details,
      clientAddress: r.client_address,
    });
    statements.push(sql`update audit_entry set prev_hash = ${prev}, hash = ${hash} where id = ${r.id}`);
    prev = hash;
  }
  statements.push(sql`update audit_head set hash = ${prev}`);
  await tamper(db, ...statements);
}

describeEachStorage('signed audit checkpoints', (database) => {
  let db: Kysely<DB>;
  beforeEach(async () => {
    db = database().db;
    await tamper(
      db,
      sql`delete from audit_checkpoint`,
      sql`delete from audit_checkpoint_key`,
      sql`delete from audit_entry`,
      sql`delete from audit_head`,
    );
  });

  it('signs nothing before the chain has entries', async () => {
    expect(await checkpointAudit(db, signer, { ...policy, now: t0 })).toBeNull();
  });

  it('signs the chain’s head with a signature the published key verifies', async () => {
    await addEntries(db, 12);
    const written = await checkpointAudit(db, signer, { ...policy, now: t0 });
    const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    expect(written).toMatchObject({
      seq: head.seq,
      entryCount: head.seq,
      headHash: head.hash,
      keyId: signer.keyId,
    });
    expect(await listCheckpoints(db, { limit: 10 })).toEqual([written]);
    expect(await listCheckpointKeys(db)).toEqual([key]);
    expect(await verifyCheckpoints(db, [written!], [key])).toEqual({
      isIntact: true,
      checked: 1,
      problems: [],
    });
  });

  it('signs again only when due: after the minutes or the entries, and only if the chain grew', async () => {
    await addEntries(db, 3);
    expect(await checkpointAudit(db, signer, { ...policy, now: t0 })).not.toBeNull();
    // Nothing new: not even an hour later.
    expect(await checkpointAudit(db, signer, { ...policy, now: minutesAfter(120) })).toBeNull();
    await addEntries(db, 2);
    expect(await checkpointAudit(db, signer, { ...policy, now: minutesAfter(59) })).toBeNull();
    expect((await checkpointAudit(db, signer, { ...policy, now: minutesAfter(60) }))?.seq).toBe(5);
    await addEntries(db, 4);
    expect(
      await checkpointAudit(db, signer, { ...policy, everyEntries: 5, now: minutesAfter(61) }),
    ).toBeNull();
    await addEntries(db, 1);
    expect(
      (await checkpointAudit(db, signer, { ...policy, everyEntries: 5, now: minutesAfter(61) }))?.seq,
    ).toBe(10);
  });

  it('writes one checkpoint per position however many processes sign it at once', async () => {
    await addEntries(db, 4);
    const signers = [signer, signer, signer].map((s, i) =>
      checkpointAudit(db, s, { ...policy, now: minutesAfter(i), force: true }),
    );
    const written = (await Promise.all(signers)).filter((c) => c !== null);
    expect(written.length).toBeLessThanOrEqual(1);
    const stored = await listCheckpoints(db, { limit: 10 });
    expect(stored.map((c) => c.seq)).toEqual([4]);
    // A second process arriving later with the same head writes nothing either.
    expect(await checkpointAudit(db, signer, { ...policy, now: minutesAfter(90), force: true })).toBeNull();
    expect(await listCheckpoints(db, { limit: 10 })).toEqual(stored);
  });

  it('refuses to change or remove a checkpoint', async () => {
    await addEntries(db, 2);
    await checkpointAudit(db, signer, { ...policy, now: t0 });
    await expect(sql`update audit_checkpoint set head_hash = 'x'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_checkpoint`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_checkpoint_key`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('catches a trail rewritten and re-chained consistently, which the chain check alone passes', async () => {
    await addEntries(db, 8);
    const early = (await checkpointAudit(db, signer, { ...policy, now: t0 }))!;
    await addEntries(db, 8);
    const late = (await checkpointAudit(db, signer, { ...policy, now: minutesAfter(60) }))!;
    // The intruder edits entry 10 (after the first checkpoint) and recomputes every hash after it.
    await tamper(db, sql`update audit_entry set username = 'nobody', details = '{"i": 0}' where seq = 10`);
    await rechain(db);
    expect(await verifyAudit(db)).toMatchObject({ isIntact: true, checked: 16 });
    const result = await verifyCheckpoints(db, [early, late], [key]);
    expect(result.isIntact).toBe(false);
    expect(result.problems).toEqual([
      { seq: late.seq, problem: expect.stringContaining('no longer matches the signed head') as string },
    ]);
  });

  it('catches entries cut off after a checkpoint was signed', async () => {
    await addEntries(db, 6);
    const checkpoint = (await checkpointAudit(db, signer, { ...policy, now: t0 }))!;
    await tamper(
      db,
      sql`delete from audit_entry where seq > 3`,
      sql`update audit_head set seq = 3, hash = (select hash from audit_entry where seq = 3)`,
    );
    expect((await verifyAudit(db)).isIntact).toBe(true);
    expect((await verifyCheckpoints(db, [checkpoint], [key])).problems[0]?.problem).toContain(
      'no longer has entry',
    );
  });

  it('catches forged checkpoints: altered, signed with another key, or claiming another algorithm', async () => {
    await addEntries(db, 6);
    const real = (await checkpointAudit(db, signer, { ...policy, now: t0 }))!;
    // The intruder rewrites the trail and signs its new head with a key of their own.
    await tamper(db, sql`update audit_entry set details = '{"i": 99}' where seq = 2`);
    await rechain(db);
    const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    const altered = { ...real, headHash: head.hash };
    const intruder = createSigner(Buffer.alloc(32, 6), 'audit-checkpoints');
    const unsigned = { ...real, headHash: head.hash, keyId: intruder.keyId };
    const forged = { ...unsigned, signature: intruder.sign(checkpointPayload(unsigned)) };
    const otherAlgorithm = { ...real, algorithm: 'sm2' };
    const result = await verifyCheckpoints(db, [altered, forged, otherAlgorithm], [key]);
    expect(result).toMatchObject({ isIntact: false, checked: 3 });
    expect(result.problems.map((p) => p.problem)).toEqual([
      expect.stringContaining('signature does not verify'),
      expect.stringContaining('not among the trusted public keys'),
      expect.stringContaining('claims algorithm sm2'),
    ]);
    // A checkpoint signed with the instruction-signing key is not a checkpoint either: the keys differ.
    const instructions = createSigner(Buffer.alloc(32, 5));
    expect(instructions.keyId).not.toBe(signer.keyId);
  });

  it('verifies checkpoints signed with Ed25519 and, after a switch to the commercial suite, with SM2', async () => {
    await addEntries(db, 3);
    const ed = (await checkpointAudit(db, signer, { ...policy, now: t0 }))!;
    const sm2Signer = createSigner(Buffer.alloc(32, 5), 'audit-checkpoints', 'sm2');
    await addEntries(db, 3);
    const sm2 = (await checkpointAudit(db, sm2Signer, { ...policy, now: minutesAfter(60) }))!;
    expect(sm2).toMatchObject({ algorithm: 'sm2', keyId: sm2Signer.keyId });
    const keys = await listCheckpointKeys(db);
    expect(keys.map((k) => k.algorithm)).toEqual(['ed25519', 'sm2']);
    expect(await verifyCheckpoints(db, [ed, sm2], keys)).toMatchObject({ isIntact: true, checked: 2 });
    // An SM2 checkpoint relabelled as Ed25519 under the SM2 key's id is refused.
    const relabelled = await verifyCheckpoints(db, [{ ...sm2, algorithm: 'ed25519' }], keys);
    expect(relabelled.problems[0]?.problem).toContain('claims algorithm ed25519');
  });

  it('round-trips through the export file', async () => {
    await addEntries(db, 5);
    await checkpointAudit(db, signer, { ...policy, now: t0 });
    const checkpoints = await listCheckpoints(db, { limit: 10 });
    const text = checkpointFileLines(await listCheckpointKeys(db), checkpoints).join('\n');
    expect(parseCheckpointFile(text)).toEqual({ keys: [key], checkpoints });
    expect(() => parseCheckpointFile(`${text}\n{"type":"checkpoint","seq":1}`)).toThrow(/line 3/);
  });
});

describeEachStorage('audit checkpoints over HTTP', (database) => {
  let h: Harness;
  const cookies: Record<string, string> = {};
  beforeAll(async () => {
    h = await createHarness(database());
    for (const [username, role] of [
      ['eve', 'auditor'],
      ['root', 'admin'],
      ['desk', 'stop_payment_officer'],
    ] as const) {
      await h.createUser({ username, displayName: username, role });
      cookies[username] = await h.signIn(username);
    }
  });
  afterAll(() => h.close());

  const get = (url: string, who: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });

  it('lists checkpoints page by page and publishes the key they verify with, to auditors and admins', async () => {
    const { db } = database();
    const checkpointSigner = createSigner(Buffer.alloc(32, 9), 'audit-checkpoints');
    for (let i = 0; i < 3; i++) {
      await addEntries(db, 1);
      await checkpointAudit(db, checkpointSigner, { ...policy, now: minutesAfter(i), force: true });
    }
    const keys = (await get('/api/audit/checkpoints/keys', 'root')).json<AuditCheckpointKeys>();
    expect(keys.current.keyId).toBe(checkpointSigner.keyId);
    expect(keys.keys.map((k) => k.keyId)).toContain(keys.current.keyId);
    const seen: AuditCheckpointList['checkpoints'] = [];
    let after: string | null = null;
    for (;;) {
      const res = await get(`/api/audit/checkpoints?limit=2${after ? `&after=${after}` : ''}`, 'eve');
      expect(res.statusCode).toBe(200);
      const page = res.json<AuditCheckpointList>();
      seen.push(...page.checkpoints);
      after = page.nextCursor;
      if (!page.hasMore) break;
    }
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.map((c) => c.seq)).toEqual([...seen.map((c) => c.seq)].sort((a, b) => a - b));
    expect(await verifyCheckpoints(db, seen, [keys.current])).toMatchObject({ isIntact: true });
    // Nothing new after the last page: the cursor stays where it was.
    const none = (await get(`/api/audit/checkpoints?after=${after}`, 'eve')).json<AuditCheckpointList>();
    expect(none).toEqual({ checkpoints: [], nextCursor: after, hasMore: false });
    expect((await get('/api/audit/checkpoints', 'desk')).statusCode).toBe(403);
    expect((await get('/api/audit/checkpoints/keys', 'desk')).statusCode).toBe(403);
  });
});

describe('checkpoint payload', () => {
  it('covers every field but the signature', () => {
    const c = {
      seq: 3,
      entryId: 7,
      headHash: 'ab',
      entryCount: 3,
      at: t0.toISOString(),
      algorithm: 'ed25519',
      keyId: 'k',
    };
    const payload = checkpointPayload(c);
    for (const [field, value] of Object.entries(c)) expect(payload).toHaveProperty(field, value);
  });
});
