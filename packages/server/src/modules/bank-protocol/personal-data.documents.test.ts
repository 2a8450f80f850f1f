import { randomUUID } from 'node:crypto';
import type { SigningKey, StopPaymentView } from '@fanzha/contracts';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { bankProtocolKit, NANMING } from '../../../testing/bank-protocol-kit';
import { cardOf, draft, queue, saveDraft } from '../../../testing/core-loop-fixtures';
import { describeEachStorage } from '../../../testing/test-databases';
import { createFieldKeys, withFieldKeys } from '../../platform/crypto/field-cipher';
import { fieldKeyStatus, sealPlaintextFields } from '../../platform/crypto/field-rotation';
import { verifySignature } from '../../platform/crypto/signer';

// Personal data inside documents at rest: the signed instructions, the outbox's events, the narrative and the
// victim's own accounts. Each table's raw rows are read whole (`t::text`) and must name nobody.
describeEachStorage('personal data at rest in instructions and events', (database) => {
  const kit = bankProtocolKit(database);
  const { c, post, item, confirm, now, decide } = kit;
  const db = () => database().db;
  const keyed = () => withFieldKeys(db(), createFieldKeys(Buffer.alloc(32, 9)));

  const victim = '钱多多';
  const holder = '孙收款';
  const payee = '周返还';
  const victimCard = cardOf('CCB', 8801);
  const secrets = [victim, holder, payee, victimCard];

  /** A report with a named victim, narrative and holder, sent, stopped, frozen and returned to a named payee. */
  async function wholePath() {
    const id = randomUUID();
    const number = cardOf('ICBC', 8802);
    const body = draft({
      at: kit.h.clock.now(),
      complete: true,
      countyCode: NANMING,
      transfers: [{ number, amountFen: 5_000_000, name: holder }],
    });
    body.victim = { ...body.victim, name: victim };
    body.narrative = `${victim}接到自称客服的电话，按要求转账给${holder}`;
    body.transfers = body.transfers.map((t) => ({ ...t, victimAccount: victimCard }));
    expect((await saveDraft(kit.h, c.taker!, id, body)).statusCode).toBe(200);
    const [pending] = await queue(kit.h, c.desk!, `?reportId=${id}`);
    const sent = await post('desk', `/api/stop-payments/${pending!.id}/send`, {
      legalDocNumber: 'GZ-ZF-0200',
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const requestId = sent.json<StopPaymentView>().id;
    const answered = await post(
      'icbc',
      `/api/bank/instructions/${requestId}/result`,
      { outcome: 'stopped', stoppedFen: 3_000_000, balanceFen: 3_000_000, onwardTransfers: [] },
      { 'idempotency-key': `stop-${requestId}` },
    );
    expect(answered.statusCode, answered.body).toBe(200);
    const froze = await post('desk', `/api/stop-payments/${requestId}/freeze`, {
      decisionNumber: '筑公(南)冻字〔2026〕201号',
      amountFen: 3_000_000,
      reason: '涉嫌电信网络诈骗，依法冻结涉案资金',
      appealChannel: '贵阳市公安局南明分局法制大队',
    });
    expect(froze.statusCode, froze.body).toBe(200);
    const freezeId = froze.json<StopPaymentView>().freeze!.id;
    expect(
      (await confirm('icbc', freezeId, { outcome: 'frozen', amountFen: 3_000_000, executedAt: now() }))
        .statusCode,
    ).toBe(200);
    const ret = await decide(freezeId, {
      kind: 'return',
      amountFen: 1_000_000,
      victimAccount: victimCard,
      payeeName: payee,
    });
    return { reportId: id, requestId, returnId: ret.id };
  }

  const rawRows = async (table: string, where: string, id: string) =>
    (
      await sql<{ whole: string }>`select t::text as whole from ${sql.table(table)} as t
        where ${sql.ref(where)} = ${id}`.execute(db())
    ).rows.map((r) => r.whole);

  let path: Awaited<ReturnType<typeof wholePath>>;

  it('keeps no name or victim’s account in any raw row of the path, while the bank gets the document as signed', async () => {
    path = await wholePath();
    const tables: Array<[string, string, string]> = [
      ['report', 'id', path.reportId],
      ['report_transfer', 'report_id', path.reportId],
      ['stop_payment', 'report_id', path.reportId],
      ['bank_instruction', 'report_id', path.reportId],
      ['account_freeze', 'report_id', path.reportId],
      ['fund_decision', 'report_id', path.reportId],
      ['county_task', 'report_id', path.reportId],
      ['alert', 'report_id', path.reportId],
    ];
    for (const [table, column, id] of tables)
      for (const row of await rawRows(table, column, id))
        for (const s of secrets) expect(row, `${table} holds ${s}`).not.toContain(s);
    // The instructions are there (two at least: the stop and the return), sealed as JSON strings.
    const docs = await sql<{ kind: string; type: string; payload: string }>`
      select kind, jsonb_typeof(payload) as type, payload #>> '{}' as payload
      from bank_instruction where report_id = ${path.reportId}`.execute(db());
    expect(docs.rows.map((r) => r.kind)).toEqual(
      expect.arrayContaining(['emergency_stop_payment', 'return']),
    );
    for (const r of docs.rows) {
      expect(r.type).toBe('string');
      expect(r.payload).toMatch(/^fz1\.aes-256-gcm\.\d+\./);
    }
    const stop = await sql<{ type: string }>`select jsonb_typeof(instruction) as type from stop_payment
      where id = ${path.requestId}`.execute(db());
    expect(stop.rows[0]!.type).toBe('string');
    // Every event of the outbox (the case's and everyone else's) is sealed and names nobody.
    const events = await sql<{ type: string; whole: string }>`
      select jsonb_typeof(envelope) as type, o::text as whole from outbox o`.execute(db());
    expect(events.rows.length).toBeGreaterThan(5);
    for (const e of events.rows) {
      expect(e.type).toBe('string');
      for (const s of secrets) expect(e.whole).not.toContain(s);
    }

    // The audit trail's details, the consumers' markers and the wall's tables name nobody either.
    for (const table of ['audit_entry', 'processed_event', 'wall_report', 'wall_stop', 'wall_ticker']) {
      const rows = await sql<{
        whole: string;
      }>`select t::text as whole from ${sql.table(table)} as t`.execute(db());
      for (const r of rows.rows)
        for (const s of secrets) expect(r.whole, `${table} holds ${s}`).not.toContain(s);
    }

    // What the bank reads: the names, and a signature that verifies over the document it was served.
    const key = (await kit.h.app.inject({ method: 'GET', url: '/api/bank/signing-key' })).json<SigningKey>();
    const stopItem = await item('icbc', path.requestId);
    expect(JSON.stringify(stopItem.instruction)).toContain(holder);
    expect(verifySignature(key.publicKeyPem, stopItem.instruction, stopItem.signature)).toBe(true);
    const returnItem = await item('icbc', path.returnId);
    expect(JSON.stringify(returnItem.instruction)).toContain(payee);
    expect(verifySignature(key.publicKeyPem, returnItem.instruction, returnItem.signature)).toBe(true);
  });

  it('reads documents written before encryption, and the backfill seals them (and the narrative, the accounts)', async () => {
    // As a database of the previous version holds them: objects in the jsonb columns, 'plain:' text (0017).
    const before = await item('icbc', path.requestId);
    await sql`update bank_instruction set payload = ${JSON.stringify(before.instruction)}::jsonb
      where id = ${path.requestId}`.execute(db());
    await sql`update stop_payment set instruction = ${JSON.stringify(before.instruction)}::jsonb
      where id = ${path.requestId}`.execute(db());
    const event = await sql<{
      event_id: string;
    }>`select event_id from outbox order by id desc limit 1`.execute(db());
    const eventId = event.rows[0]!.event_id;
    await sql`update outbox set envelope = ${JSON.stringify({ id: eventId, subject: 'x', note: holder })}::jsonb
      where event_id = ${eventId}`.execute(db());
    await sql`update report set narrative = ${`plain:${victim}的叙述`} where id = ${path.reportId}`.execute(
      db(),
    );
    expect((await fieldKeyStatus(keyed())).plaintext).toBeGreaterThanOrEqual(4);
    const read = await item('icbc', path.requestId);
    expect(read.instruction).toEqual(before.instruction);
    expect(
      verifySignature(
        (await kit.h.app.inject({ method: 'GET', url: '/api/bank/signing-key' })).json<SigningKey>()
          .publicKeyPem,
        read.instruction,
        read.signature,
      ),
    ).toBe(true);

    await sealPlaintextFields(keyed());
    expect((await fieldKeyStatus(keyed())).plaintext).toBe(0);
    for (const [table, column, id] of [
      ['bank_instruction', 'id', path.requestId],
      ['stop_payment', 'id', path.requestId],
      ['outbox', 'event_id', eventId],
      ['report', 'id', path.reportId],
    ] as const)
      for (const row of await rawRows(table, column, id))
        for (const s of secrets) expect(row, `${table} holds ${s}`).not.toContain(s);
    expect((await item('icbc', path.requestId)).instruction).toEqual(before.instruction);
    const report = await kit.get('taker', `/api/reports/${path.reportId}`);
    expect(report.json<{ narrative: string }>().narrative).toBe(`${victim}的叙述`);
  });
});
