import { randomUUID } from 'node:crypto';
import type { ReportDraftInput, ReportView, StopPaymentView } from '@fanzha/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, draft, queue, saveDraft, signInCoreLoopUsers } from '../../../testing/core-loop-fixtures';
import { describeEachStorage } from '../../../testing/test-databases';
import { createFieldKeys, fieldCipher, withFieldKeys } from '../../platform/crypto/field-cipher';
import { fieldKeyStatus, rotateFieldKeys, sealPlaintextFields } from '../../platform/crypto/field-rotation';
import { reportsRepository } from './reports.repository';

// Personal data at rest: what the raw tables hold, what the API still shows, look-ups, swaps and rotation.
describeEachStorage('personal data at rest', (database) => {
  let h: Harness;
  let c: Record<string, string> = {};
  // The harness's server derives its keys from this secret; a maintenance command holds the same.
  const keyed = () => withFieldKeys(database().db, createFieldKeys(Buffer.alloc(32, 9)));
  beforeAll(async () => {
    h = await createHarness(database());
    c = await signInCoreLoopUsers(h);
  });
  afterAll(() => h.close());

  const ciphertext = /^fz1\.aes-256-gcm\.\d+\.[\w-]+\.[\w-]+\.[\w-]*$/;
  let seed = 100;

  /** A complete draft with a victim who can be found, and one named payee. */
  async function intake(victim: { name: string; idNumber: string; phone: string; address: string }) {
    const id = randomUUID();
    seed += 1;
    const body: ReportDraftInput = {
      ...draft({
        at: h.clock.now(),
        complete: true,
        transfers: [{ number: cardOf('ICBC', seed), amountFen: 3_000_000, name: '赵收款' }],
      }),
      victim: { ...victim, countyCode: '520102' },
    };
    const res = await saveDraft(h, c.taker!, id, body);
    expect(res.statusCode).toBe(200);
    return { id, view: res.json<ReportView>(), number: cardOf('ICBC', seed) };
  }

  const rawReport = async (id: string) =>
    (
      await sql<Record<string, string | null>>`
        select victim_name, victim_id_number, victim_phone, victim_address, report::text as whole
        from report where id = ${id}`.execute(database().db)
    ).rows[0]!;

  const getReport = async (id: string) =>
    h.app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: { cookie: c.taker! } });

  const victim = {
    name: '张三',
    idNumber: '520102198001011235',
    phone: '13812345678',
    address: '南明区花果园',
  };

  it('keeps no plaintext name, ID number, phone or address in the raw rows after intake; the API is unchanged', async () => {
    const { id, view } = await intake(victim);
    const raw = await rawReport(id);
    for (const column of ['victim_name', 'victim_id_number', 'victim_phone', 'victim_address'])
      expect(raw[column]).toMatch(ciphertext);
    for (const plain of Object.values(victim)) expect(raw.whole).not.toContain(plain);
    const transfer = await sql<{ to_name: string; whole: string }>`
      select to_name, report_transfer::text as whole from report_transfer where report_id = ${id}`.execute(
      database().db,
    );
    expect(transfer.rows[0]!.to_name).toMatch(ciphertext);
    expect(transfer.rows[0]!.whole).not.toContain('赵收款');
    const stops = await sql<{ account_name: string }>`
      select account_name from stop_payment where report_id = ${id}`.execute(database().db);
    expect(stops.rows.map((r) => r.account_name)).toEqual([expect.stringMatching(ciphertext)]);

    const read = (await getReport(id)).json<ReportView>();
    expect(read.victim).toMatchObject({ name: '张三', idNumber: victim.idNumber, phone: victim.phone });
    expect(read.victim).toEqual(view.victim);
    expect(read.transfers[0]!.toAccount.name).toBe('赵收款');
    expect((await queue(h, c.desk!, `?reportId=${id}`))[0]!.account.name).toBe('赵收款');
  });

  it('keeps the onward transfers’ holders encrypted after a bank answer, and shows them as before', async () => {
    const { id, number } = await intake({ ...victim, name: '钱七' });
    const pending = (await queue(h, c.desk!, `?reportId=${id}`)).find((r) => r.account.number === number)!;
    const sent = await h.app.inject({
      method: 'POST',
      url: `/api/stop-payments/${pending.id}/send`,
      headers: { cookie: c.desk! },
      payload: { legalDocNumber: 'GZ-ZF-2026-0009' },
    });
    expect(sent.statusCode).toBe(200);
    const at = h.clock.now().toISOString();
    const answer = await h.app.inject({
      method: 'POST',
      url: `/api/bank/instructions/${pending.id}/result`,
      headers: { cookie: c.icbc!, 'idempotency-key': `answer-${id}` },
      payload: {
        outcome: 'stopped',
        stoppedFen: 1_000_000,
        onwardTransfers: [
          { account: { number: cardOf('CCB', seed), name: '孙八' }, amountFen: 900_000, transferredAt: at },
        ],
      },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json<StopPaymentView>().result?.onwardTransfers[0]?.account.name).toBe('孙八');
    const rows = await sql<{ name: string; whole: string }>`
      select account_name as name, stop_payment::text as whole from stop_payment
        where report_id = ${id} and parent_id is not null
      union all
      select account_name, onward_transfer::text from onward_transfer where stop_payment_id = ${pending.id}`.execute(
      database().db,
    );
    expect(rows.rows).toHaveLength(2);
    for (const r of rows.rows) expect(r.name).toMatch(ciphertext);
    const child = (await queue(h, c.desk!, `?reportId=${id}`)).find((r) => r.layer === 2)!;
    expect(child.account.name).toBe('孙八');
    const report = await rawReport(id);
    expect(report.whole).not.toContain('钱七');
  });

  it('binds a value to its row whatever the case of the id the client wrote', async () => {
    const id = randomUUID();
    const body = {
      ...draft({ at: h.clock.now(), complete: true, transfers: [] }),
      victim: { ...victim, name: '何大' },
    };
    const saved = await saveDraft(h, c.taker!, id.toUpperCase(), body);
    expect(saved.statusCode).toBe(200);
    expect((await getReport(id)).json<ReportView>().victim.name).toBe('何大');
  });

  it('finds a victim’s reports by ID number or phone through the blind index', async () => {
    const { id } = await intake({ ...victim, idNumber: '520102199002024569', phone: '13900001111' });
    const db = keyed();
    const byId = await reportsRepository.idsByVictim(db, { idNumber: '520102199002024569' }, 10);
    expect(byId.map((r) => r.id)).toEqual([id]);
    // The phone's normal form: digits, the last eleven; the ID number's: upper case.
    const byPhone = await reportsRepository.idsByVictim(db, { phone: '+86 139-0000-1111' }, 10);
    expect(byPhone.map((r) => r.id)).toEqual([id]);
    expect(await reportsRepository.idsByVictim(db, { phone: '13900001112' }, 10)).toEqual([]);
    const many = await reportsRepository.idsByVictim(db, { idNumber: victim.idNumber }, 100);
    expect(many.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a value moved to another column or another row', async () => {
    const a = await intake({ ...victim, name: '周一' });
    const b = await intake({ ...victim, name: '吴二' });
    const db = database().db;
    const before = await rawReport(a.id);
    // Another column of the same row.
    await sql`update report set victim_address = victim_name where id = ${a.id}`.execute(db);
    expect((await getReport(a.id)).statusCode).toBe(500);
    const cipher = await fieldCipher(keyed());
    expect(() => cipher.open('report.victim_address', [a.id], before.victim_name!)).toThrow(
      /does not belong/,
    );
    // The same column of another row.
    await sql`update report set victim_address = ${before.victim_address}, victim_name = ${
      (await rawReport(b.id)).victim_name
    } where id = ${a.id}`.execute(db);
    expect((await getReport(a.id)).statusCode).toBe(500);
    expect(() => cipher.open('report.victim_name', [a.id], before.victim_address!)).toThrow();
    // Put back, it reads again.
    await sql`update report set victim_name = ${before.victim_name} where id = ${a.id}`.execute(db);
    expect((await getReport(a.id)).json<ReportView>().victim.name).toBe('周一');
  });

  it('encrypts values written before encryption (the start-up backfill), and reads them meanwhile', async () => {
    const { id } = await intake({ ...victim, name: '郑九' });
    await sql`update report set victim_name = 'plain:郑九', victim_phone = 'plain:13700002222',
      victim_phone_bidx = null where id = ${id}`.execute(database().db);
    expect((await getReport(id)).json<ReportView>().victim.name).toBe('郑九');
    expect((await fieldKeyStatus(keyed())).plaintext).toBeGreaterThanOrEqual(2);
    await sealPlaintextFields(keyed());
    const raw = await rawReport(id);
    expect(raw.victim_name).toMatch(ciphertext);
    expect(raw.whole).not.toContain('郑九');
    expect((await fieldKeyStatus(keyed())).plaintext).toBe(0);
    expect((await getReport(id)).json<ReportView>().victim).toMatchObject({
      name: '郑九',
      phone: '13700002222',
    });
    expect(
      (await reportsRepository.idsByVictim(keyed(), { phone: '13700002222' }, 5)).map((r) => r.id),
    ).toEqual([id]);
  });

  /** Every stored personal value, by its key version. */
  async function versionsInUse(): Promise<Map<number, number>> {
    const status = await fieldKeyStatus(keyed());
    return new Map(status.versions.filter((v) => v.values > 0).map((v) => [v.version, v.values]));
  }

  it('rotates: a new key, every value re-encrypted under it, the old one retired; the server still reads all', async () => {
    const ids = [
      (await intake({ ...victim, name: '冯十' })).id,
      (await intake({ ...victim, name: '陈十一' })).id,
    ];
    const before = await versionsInUse();
    const total = [...before.values()].reduce((s, n) => s + n, 0);
    const progress: string[] = [];
    const result = await rotateFieldKeys(keyed(), h.clock.now(), {
      batchSize: 3,
      onProgress: (p) => progress.push(`${p.table}.${p.column}`),
    });
    expect(result).toMatchObject({ isComplete: true, isResumed: false });
    expect(result.retired).toEqual([...before.keys()]);
    expect(await versionsInUse()).toEqual(new Map([[result.current, total]]));
    expect(progress).toContain('report.victim_name');
    const raw = await rawReport(ids[0]!);
    expect(raw.victim_name!.split('.')[2]).toBe(String(result.current));
    // The server loaded only the old key: it reads the new one when it meets it.
    expect((await getReport(ids[0]!)).json<ReportView>().victim.name).toBe('冯十');
    expect((await getReport(ids[1]!)).json<ReportView>().victim.name).toBe('陈十一');
    expect(
      (await reportsRepository.idsByVictim(keyed(), { idNumber: victim.idNumber }, 100)).length,
    ).toBeGreaterThanOrEqual(2);
    // Nothing left to do: a second run makes a new key only because it was asked to rotate again.
    const status = await fieldKeyStatus(keyed());
    expect(status.versions.filter((v) => v.retiredAt === null).map((v) => v.version)).toEqual([
      result.current,
    ]);
  });

  it('resumes a rotation interrupted halfway, and the server reads every value meanwhile', async () => {
    const ids = [
      (await intake({ ...victim, name: '褚十二' })).id,
      (await intake({ ...victim, name: '卫十三' })).id,
    ];
    const first = await rotateFieldKeys(keyed(), h.clock.now(), { batchSize: 2, maxBatches: 2 });
    expect(first.isComplete).toBe(false);
    const halfway = await versionsInUse();
    expect(halfway.size).toBe(2);
    expect(halfway.get(first.current)).toBeGreaterThan(0);
    for (const [i, name] of [
      [0, '褚十二'],
      [1, '卫十三'],
    ] as const)
      expect((await getReport(ids[i]!)).json<ReportView>().victim.name).toBe(name);
    const second = await rotateFieldKeys(keyed(), h.clock.now(), { batchSize: 2 });
    expect(second).toMatchObject({ isResumed: true, isComplete: true, current: first.current });
    expect([...(await versionsInUse()).keys()]).toEqual([first.current]);
    expect(second.retired).toHaveLength(1);
    for (const [i, name] of [
      [0, '褚十二'],
      [1, '卫十三'],
    ] as const)
      expect((await getReport(ids[i]!)).json<ReportView>().victim.name).toBe(name);
  });
});
