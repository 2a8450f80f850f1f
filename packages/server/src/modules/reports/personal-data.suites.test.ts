import { randomUUID } from 'node:crypto';
import type { ReportView } from '@fanzha/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, draft, saveDraft, signInCoreLoopUsers } from '../../../testing/core-loop-fixtures';
import { describeEachStorage } from '../../../testing/test-databases';
import {
  createFieldKeys,
  fieldCipher,
  openFieldKeys,
  withFieldKeys,
} from '../../platform/crypto/field-cipher';
import { fieldKeyStatus, rotateFieldKeys } from '../../platform/crypto/field-rotation';

// FANZHA_CRYPTO switched on a database that has values: AES-256-GCM and SM4-GCM values side by side.
describeEachStorage('personal data at rest across a switch of FANZHA_CRYPTO', (database) => {
  let international: Harness;
  let commercial: Harness;
  let c: Record<string, string> = {};
  const secret = Buffer.alloc(32, 9); // the harness's
  const keyed = (cipher: 'aes-256-gcm' | 'sm4-gcm') =>
    withFieldKeys(database().db, createFieldKeys(secret, cipher));
  beforeAll(async () => {
    international = await createHarness(database());
    c = await signInCoreLoopUsers(international);
  });
  afterAll(async () => {
    await international.close();
    await commercial?.close();
  });

  let seed = 400;
  async function intake(h: Harness, name: string) {
    const id = randomUUID();
    seed += 1;
    const body = {
      ...draft({
        at: h.clock.now(),
        complete: true,
        transfers: [{ number: cardOf('CCB', seed), amountFen: 1_000_000, name: `${name}收款` }],
      }),
    };
    body.victim = { ...body.victim, name };
    const res = await saveDraft(h, c.taker!, id, body);
    expect(res.statusCode).toBe(200);
    return id;
  }
  const cipherOf = async (id: string) =>
    (
      await sql<{ name: string; to_name: string; account_name: string }>`
        select r.victim_name as name, t.to_name, s.account_name
        from report r join report_transfer t on t.report_id = r.id join stop_payment s on s.report_id = r.id
        where r.id = ${id}`.execute(database().db)
    ).rows[0]!;
  const nameOf = async (h: Harness, id: string) =>
    (
      await h.app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: { cookie: c.taker! } })
    ).json<ReportView>().victim.name;

  it('writes SM4-GCM under a new key after the switch, reads the AES-GCM values beside them, and a rotation moves all to SM4', async () => {
    const before = await intake(international, '甲一');
    for (const v of Object.values(await cipherOf(before))) expect(v).toMatch(/^fz1\.aes-256-gcm\.\d+\./);
    const { versions } = await fieldKeyStatus(keyed('aes-256-gcm'));
    expect(versions.filter((v) => v.isCurrent).map((v) => v.cipher)).toEqual(['aes-256-gcm']);

    // The same database, started again with FANZHA_CRYPTO=commercial.
    commercial = await createHarness(database(), {
      env: { FANZHA_CRYPTO: 'commercial' },
      start: international.clock.now().toISOString(),
    });
    const rows = await sql<{ version: number; cipher: string; wrapped: string }>`
      select version, cipher, wrapped from data_key order by version`.execute(database().db);
    const sm4Key = rows.rows.at(-1)!;
    expect(sm4Key.cipher).toBe('sm4-gcm');
    expect(sm4Key.wrapped).toMatch(/^sm4v1\./); // wrapped in its own family
    const after = await intake(commercial, '乙二');
    for (const v of Object.values(await cipherOf(after)))
      expect(v).toMatch(new RegExp(`^fz1\\.sm4-gcm\\.${sm4Key.version}\\.`));
    expect(JSON.stringify(await cipherOf(after))).not.toContain('乙二');

    // An SM4 value is bound to its place and checked as an AES one is.
    const cipher = await fieldCipher(keyed('sm4-gcm'));
    const sealed = (await cipherOf(after)).name;
    expect(cipher.open('report.victim_name', [after], sealed)).toBe('乙二');
    expect(() => cipher.open('report.victim_address', [after], sealed)).toThrow(/does not belong/);
    expect(() => cipher.open('report.victim_name', [randomUUID()], sealed)).toThrow(/does not belong/);
    const parts = sealed.split('.');
    const flipped = (p: string) => (p[0] === 'A' ? 'B' : 'A') + p.slice(1);
    for (const i of [3, 4, 5]) {
      const altered = parts.map((p, k) => (k === i ? flipped(p) : p)).join('.');
      expect(() => cipher.open('report.victim_name', [after], altered)).toThrow();
    }
    const relabelled = ['fz1', 'aes-256-gcm', ...parts.slice(2)].join('.');
    expect(() => cipher.open('report.victim_name', [after], relabelled)).toThrow(/not a value of data key/);

    // Both servers read both (the international one loads the SM4 key when it meets a value under it).
    for (const h of [commercial, international]) {
      expect(await nameOf(h, before)).toBe('甲一');
      expect(await nameOf(h, after)).toBe('乙二');
    }

    const result = await rotateFieldKeys(keyed('sm4-gcm'), commercial.clock.now());
    expect(result.isComplete).toBe(true);
    const status = await fieldKeyStatus(keyed('sm4-gcm'));
    const inUse = status.versions.filter((v) => v.values > 0);
    expect(inUse.map((v) => [v.version, v.cipher])).toEqual([[result.current, 'sm4-gcm']]);
    expect(status.versions.filter((v) => v.cipher === 'aes-256-gcm').every((v) => v.retiredAt)).toBe(true);
    for (const v of Object.values(await cipherOf(before))) expect(v).toMatch(/^fz1\.sm4-gcm\./);
    expect(await nameOf(international, before)).toBe('甲一');
    expect(await nameOf(commercial, after)).toBe('乙二');
  });

  it('switching back writes AES-GCM under a new key and still reads the SM4 values', async () => {
    const back = keyed('aes-256-gcm');
    const result = await rotateFieldKeys(back, commercial.clock.now());
    const status = await fieldKeyStatus(back);
    expect(status.versions.find((v) => v.version === result.current)?.cipher).toBe('aes-256-gcm');
    expect(status.versions.filter((v) => v.values > 0).map((v) => v.cipher)).toEqual(['aes-256-gcm']);
    const ids = await sql<{ id: string }>`select id from report`.execute(database().db);
    for (const { id } of ids.rows) expect(await nameOf(commercial, id)).toMatch(/^[甲乙]/);
  });

  it('a maintenance command of the other cipher (keys status) makes no key; a server start does', async () => {
    const count = async () =>
      Number(
        (await sql<{ n: string }>`select count(*) as n from data_key`.execute(database().db)).rows[0]!.n,
      );
    const before = await count();
    await openFieldKeys(database().db, createFieldKeys(secret, 'sm4-gcm'), commercial.clock.now(), {
      isSwitching: false,
    });
    expect(await count()).toBe(before);
    await openFieldKeys(database().db, createFieldKeys(secret, 'sm4-gcm'), commercial.clock.now());
    expect(await count()).toBe(before + 1);
  });
});
