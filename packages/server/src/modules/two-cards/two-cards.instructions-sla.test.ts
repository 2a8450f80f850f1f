import type {
  AlertList,
  TwoCardInstructionList,
  TwoCardInstructionView,
  TwoCardMeasureView,
} from '@fanzha/contracts';
import { withIdCheckChar, type EventEnvelope } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf, queue, reportWith } from '../../../testing/core-loop-fixtures';
import { committedEvents, harnessFieldKeys } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { verifySignature } from '../../platform/crypto/signer';
import { withFieldKeys } from '../../platform/crypto/field-cipher';
import { applyTaskEvents } from '../tasks/index';
import { applyTwoCardEvents } from './index';

/**
 * Two-cards instructions have a deadline (the deployment's SLA), a supervision task due then, and one
 * escalation when missed; a card of a holder found after their measure was recorded reaches its bank too.
 */
const holderA = withIdCheckChar('52010219870101005');
const holderC = withIdCheckChar('52010319910202006');
const icbcCard = cardOf('ICBC', 9201);
const ccbCard = cardOf('CCB', 9202);
const abcCard = cardOf('ABC', 9203);
const HOUR = 3_600_000;

describeEachStorage('two-cards instructions: deadlines, supervision and late cards', (database) => {
  let h: Harness;
  let c: Record<string, string> = {};
  let n = 0;
  let seen = 0;
  const holderIds: Record<string, string> = {};
  const cast = [
    ['analyst', 'analyst', {}],
    ['sup', 'supervisor', {}],
    ['taker', 'call_taker', {}],
    ['desk', 'stop_payment_officer', {}],
    ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
    ['ccb', 'bank_liaison', { bankCode: 'CCB' }],
    ['abc', 'bank_liaison', { bankCode: 'ABC' }],
    ['mobile', 'telecom_liaison', { operatorCode: 'china_mobile' }],
  ] as const;

  beforeAll(async () => {
    h = await createHarness(database(), { env: { FANZHA_TWO_CARDS_INSTRUCTION_SLA_HOURS: '48' } });
    await createCast(h, cast);
    c = await signInCast(h, cast);
    const imported = await post('analyst', '/api/two-cards/imports', {
      format: 'json',
      rows: [
        { kind: 'bank', number: icbcCard, holder_id_number: holderA, place_name: '南明支行' },
        { kind: 'bank', number: ccbCard, holder_id_number: holderC, place_name: '云岩支行' },
      ],
    });
    expect(imported.statusCode, imported.body).toBe(200);
    holderIds.a = await holderOf(icbcCard);
    holderIds.c = await holderOf(ccbCard);
  });
  afterAll(() => h.close());

  function post(who: string, url: string, payload: object, headers: Record<string, string> = {}) {
    return h.app.inject({
      method: 'POST',
      url,
      headers: { cookie: c[who]!, 'idempotency-key': `sla-${++n}`, ...headers },
      payload,
    });
  }
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });
  async function holderOf(number: string): Promise<string> {
    const r = await database()
      .db.selectFrom('two_card')
      .select('holder_id')
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    return r.holder_id!;
  }
  const record = async (holder: string, kind: string) => {
    const res = await post('analyst', `/api/two-cards/holders/${holder}/measures`, {
      kind,
      startsAt: h.clock.now().toISOString(),
      reason: '出租银行卡，经核查认定',
      decidingUnit: '南明分局',
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<TwoCardMeasureView>();
  };
  const measure = async (holder: string, id: string) =>
    (await get('analyst', `/api/two-cards/measures?holderId=${holder}`))
      .json<{ items: TwoCardMeasureView[] }>()
      .items.find((m) => m.id === id)!;
  /** Feeds the committed events since the last feed to the supervision queue, as its consumer would. */
  async function feedTasks(): Promise<void> {
    const rows = await committedEvents(database().db, { after: seen, subjects: ['task.reported'] });
    seen = Math.max(seen, ...rows.map((r) => r.id));
    await applyTaskEvents(
      { db: database().db, clock: h.clock },
      rows.map((r) => r.event),
    );
  }
  const task = (id: string) =>
    database()
      .db.selectFrom('task')
      .select(['kind', 'status', 'due_at', 'owner_unit_kind', 'owner_unit_code', 'title'])
      .where('kind', '=', 'two-card-instruction')
      .where('source_id', '=', id)
      .executeTakeFirst();
  const issuedAudit = (instructionId: string) =>
    database()
      .db.selectFrom('audit_entry')
      .select(['username', 'details'])
      .where('action', '=', 'two_cards.instruction_issue')
      .where('object_id', '=', instructionId)
      .execute();
  const instructionCount = async () =>
    Number(
      (
        await database()
          .db.selectFrom('two_card_instruction')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  /** The first measure recorded against holder A here (its apply executed by ICBC). */
  const firstMeasure = async () =>
    (await get('analyst', `/api/two-cards/measures?holderId=${holderIds.a!}`))
      .json<{ items: TwoCardMeasureView[] }>()
      .items.find((m) => m.kind === 'no_non_counter_services')!;
  const alertsOf = async (id: string) =>
    (await get('sup', '/api/alerts')).json<AlertList>().alerts.filter((a) => a.objectId === id);

  it('gives each instruction a deadline at the SLA, a supervision task due then, and one escalation when missed', async () => {
    const issuedAt = h.clock.now();
    const m = await record(holderIds.a!, 'no_non_counter_services');
    const [sent] = m.instructions;
    expect(sent).toMatchObject({
      partyCode: 'ICBC',
      status: 'sent',
      isOverdue: false,
      dueAt: new Date(issuedAt.getTime() + 48 * HOUR).toISOString(),
    });
    // The bank sees the deadline on its own instruction.
    const mine = (await get('icbc', '/api/two-cards/instructions'))
      .json<TwoCardInstructionList>()
      .items.find((i) => i.id === sent!.id)!;
    expect(mine.dueAt).toBe(sent!.dueAt);
    // The supervision queue holds it, owned by the bank, due at the deadline; nothing personal in its title.
    await feedTasks();
    const opened = await task(sent!.id);
    expect(opened).toMatchObject({ status: 'open', owner_unit_kind: 'bank', owner_unit_code: 'ICBC' });
    expect(new Date(opened!.due_at!).toISOString()).toBe(sent!.dueAt);
    expect(opened!.title).not.toContain(holderA);

    // Before the deadline: nothing to escalate.
    const sweep = h.app.services.twoCards.sweepInstructionsOnce;
    expect(await sweep(new Date(issuedAt.getTime() + 47 * HOUR))).toBe(0);
    // An acknowledgement does not meet it: the deadline is for executing or refusing.
    const ack = await post('icbc', `/api/two-cards/instructions/${sent!.id}/answer`, {
      answer: 'acknowledged',
    });
    expect(ack.statusCode, ack.body).toBe(200);
    const past = new Date(issuedAt.getTime() + 49 * HOUR);
    expect(await sweep(past)).toBe(1);
    expect(await sweep(past)).toBe(0);
    const alerts = await alertsOf(sent!.id);
    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'task_overdue',
        level: 'escalation',
        objectType: 'two_card_instruction',
      }),
    ]);
    expect(alerts[0]!.message).not.toContain(holderA);
    expect((await measure(holderIds.a!, m.id)).instructions[0]).toMatchObject({ isOverdue: true });

    // Executed late: the task closes, the instruction is no longer overdue.
    const done = await post('icbc', `/api/two-cards/instructions/${sent!.id}/answer`, { answer: 'executed' });
    expect(done.json<TwoCardInstructionView>()).toMatchObject({ status: 'executed', isOverdue: false });
    await feedTasks();
    expect(await task(sent!.id)).toMatchObject({ status: 'done' });
    expect(await sweep(new Date(issuedAt.getTime() + 100 * HOUR))).toBe(0);
  });

  it('closes the task of a refused instruction', async () => {
    const m = await record(holderIds.a!, 'no_new_accounts');
    const id = m.instructions[0]!.id;
    await feedTasks();
    expect(await task(id)).toMatchObject({ status: 'open' });
    const refused = await post('icbc', `/api/two-cards/instructions/${id}/answer`, {
      answer: 'refused',
      refusalReason: 'not_our_customer',
    });
    expect(refused.statusCode, refused.body).toBe(200);
    await feedTasks();
    expect(await task(id)).toMatchObject({ status: 'done' });
    // Refused in time: never escalated.
    expect(
      await h.app.services.twoCards.sweepInstructionsOnce(new Date(h.clock.now().getTime() + 1000 * HOUR)),
    ).toBe(0);
    expect(await alertsOf(id)).toEqual([]);
  });

  it('withdraws, with the lift, the applies not yet executed or refused: no execution after, no escalation, tasks cancelled', async () => {
    const m = await record(holderIds.a!, 'limit_new_phone_cards');
    expect(m.instructions.map((i) => i.partyCode).sort()).toEqual([
      'china_broadnet',
      'china_mobile',
      'china_telecom',
      'china_unicom',
    ]);
    const mobile = m.instructions.find((i) => i.partyCode === 'china_mobile')!;
    const ack = await post('mobile', `/api/two-cards/instructions/${mobile.id}/answer`, {
      answer: 'acknowledged',
    });
    expect(ack.statusCode, ack.body).toBe(200);
    // The first measure's apply, executed by ICBC, is left as it is by that measure's lift.
    const executed = (await measure(holderIds.a!, (await firstMeasure()).id)).instructions.find(
      (i) => i.action === 'apply',
    )!;
    expect(executed.status).toBe('executed');
    await feedTasks();
    expect(await task(mobile.id)).toMatchObject({ status: 'open' });

    const lift = await post('sup', `/api/two-cards/measures/${m.id}/lift`, { reason: '申诉成立' });
    expect(lift.statusCode, lift.body).toBe(200);
    const liftedFirst = await post('sup', `/api/two-cards/measures/${executed.measureId}/lift`, {
      reason: '申诉成立',
    });
    expect(liftedFirst.statusCode, liftedFirst.body).toBe(200);
    const after = await measure(holderIds.a!, m.id);
    const applies = after.instructions.filter((i) => i.action === 'apply');
    expect(applies.map((i) => i.status)).toEqual(['withdrawn', 'withdrawn', 'withdrawn', 'withdrawn']);
    // The lift still goes to every party that had it applied.
    expect(after.instructions.filter((i) => i.action === 'lift')).toHaveLength(4);
    expect(
      (await measure(holderIds.a!, executed.measureId)).instructions.find((i) => i.id === executed.id),
    ).toMatchObject({ status: 'executed' });

    // The party sees it withdrawn, and can no longer execute it.
    const view = (
      await get('mobile', `/api/two-cards/instructions/${mobile.id}`)
    ).json<TwoCardInstructionView>();
    expect(view).toMatchObject({ status: 'withdrawn', withdrawnAt: h.clock.now().toISOString() });
    const late = await post('mobile', `/api/two-cards/instructions/${mobile.id}/answer`, {
      answer: 'executed',
    });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({
      error: { details: [{ field: 'body.answer', reason: 'two_cards.transition' }] },
    });
    expect(
      (await get('mobile', '/api/two-cards/instructions'))
        .json<TwoCardInstructionList>()
        .items.filter((i) => i.measureId === m.id)
        .map((i) => i.action),
    ).toEqual(['lift']);
    // Audited, each withdrawal once.
    const withdrawals = await database()
      .db.selectFrom('audit_entry')
      .select(['object_id', 'username'])
      .where('action', '=', 'two_cards.instruction_withdraw')
      .where(
        'object_id',
        'in',
        applies.map((i) => i.id),
      )
      .execute();
    expect(withdrawals.map((w) => w.username)).toEqual(['sup', 'sup', 'sup', 'sup']);
    // Their tasks are cancelled; past their deadline, nothing of theirs is escalated.
    await feedTasks();
    for (const i of applies) expect(await task(i.id)).toMatchObject({ status: 'cancelled' });
    await h.app.services.twoCards.sweepInstructionsOnce(new Date(h.clock.now().getTime() + 2000 * HOUR));
    for (const i of applies) expect(await alertsOf(i.id)).toEqual([]);
  });

  it('sends a measure in force to the bank of a card an import names for the holder afterwards, once', async () => {
    const m = await record(holderIds.c!, 'no_new_accounts');
    expect(m.instructions.map((i) => i.partyCode)).toEqual(['CCB']);
    const icbcLate = cardOf('ICBC', 9204);
    const rows = [{ kind: 'bank', number: icbcLate, holder_id_number: holderC, place_name: '观山湖支行' }];
    const first = await post('analyst', '/api/two-cards/imports', { format: 'json', rows });
    expect(first.statusCode, first.body).toBe(200);
    const after = await measure(holderIds.c!, m.id);
    expect(after.instructions.map((i) => i.partyCode).sort()).toEqual(['CCB', 'ICBC']);
    const late = (await get('icbc', '/api/two-cards/instructions'))
      .json<TwoCardInstructionList>()
      .items.find((i) => i.measureId === m.id)!;
    expect(late.instruction).toMatchObject({
      action: 'apply',
      partyCode: 'ICBC',
      holder: { idNumber: holderC },
      cards: [icbcLate],
    });
    const key = (await h.app.inject({ method: 'GET', url: '/api/bank/signing-key' })).json<{
      publicKeyPem: string;
    }>().publicKeyPem;
    expect(verifySignature(key, late.instruction, late.signature)).toBe(true);
    // Audited as issued on the card's finding, in the name of the analyst whose import found it.
    const issued = await issuedAudit(late.id);
    expect(issued.map((a) => a.username)).toEqual(['analyst']);
    expect(issued[0]!.details).toMatchObject({
      measureId: m.id,
      partyCode: 'ICBC',
      cause: 'card_found_after_measure',
    });
    // Its notice and stream message are the others': `two-card-instruction.changed`, issued.
    const events = await committedEvents(database().db, { subjects: ['two-card-instruction.changed'] });
    expect(
      events.filter(
        (e) =>
          (e.event as EventEnvelope<'two-card-instruction.changed'>).data.item.id === late.id &&
          (e.event as EventEnvelope<'two-card-instruction.changed'>).data.change === 'issued',
      ),
    ).toHaveLength(1);
    // The same import again issues nothing more.
    const count = await instructionCount();
    const again = await post('analyst', '/api/two-cards/imports', { format: 'json', rows });
    expect(again.statusCode).toBe(200);
    expect(await instructionCount()).toBe(count);
  });

  it('sends a measure in force to the bank of a card a bank’s answer names for the holder, once whatever the deliveries', async () => {
    const m = await record(holderIds.c!, 'no_non_counter_services');
    expect(m.instructions.map((i) => i.partyCode).sort()).toEqual(['CCB', 'ICBC']);
    // A lifted measure reaches no new bank.
    const lifted = await record(holderIds.c!, 'limit_new_phone_cards');
    expect(
      (await post('sup', `/api/two-cards/measures/${lifted.id}/lift`, { reason: '申诉成立' })).statusCode,
    ).toBe(200);
    // An emergency stop on an ABC account, answered by ABC naming holder C.
    const { id: reportId } = await reportWith(h, c.taker!, [{ number: abcCard, amountFen: 5_000_000 }]);
    const pending = (await queue(h, c.desk!, `?reportId=${reportId}`)).find(
      (r) => r.account.number === abcCard,
    )!;
    const sent = await post('desk', `/api/stop-payments/${pending.id}/send`, {
      legalDocNumber: 'GZ-ZF-2026-0002',
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const answered = await post('abc', `/api/bank/instructions/${pending.id}/result`, {
      outcome: 'stopped',
      stoppedFen: 1_000_000,
      onwardTransfers: [],
      holderIdNumber: holderC,
    });
    expect(answered.statusCode, answered.body).toBe(200);
    const rows = await committedEvents(database().db, { subjects: ['stop-payment.changed'] });
    const events = rows.map((r) => r.event);
    const deps = {
      db: withFieldKeys(database().db, harnessFieldKeys()),
      clock: h.clock,
      issueMissing: h.app.services.twoCards.issueMissing,
    };
    await applyTwoCardEvents(deps, events);
    const count = await instructionCount();
    // Heard again: nothing more.
    await applyTwoCardEvents(deps, events);
    expect(await instructionCount()).toBe(count);

    const after = await measure(holderIds.c!, m.id);
    expect(after.instructions.map((i) => i.partyCode).sort()).toEqual(['ABC', 'CCB', 'ICBC']);
    const abc = (await get('abc', '/api/two-cards/instructions'))
      .json<TwoCardInstructionList>()
      .items.filter((i) => i.instruction.holder.idNumber === holderC);
    expect(abc.map((i) => [i.measureId, i.instruction.cards])).toEqual(
      expect.arrayContaining([[m.id, [abcCard]]]),
    );
    expect(abc.map((i) => i.measureId)).not.toContain(lifted.id);
    // Audited once, by the consumer that heard the answer (no one signed in asked for it).
    const issuedToAbc = abc.find((i) => i.measureId === m.id)!;
    const issued = await issuedAudit(issuedToAbc.id);
    expect(issued.map((a) => a.username)).toEqual([null]);
    expect(issued[0]!.details).toMatchObject({ partyCode: 'ABC', origin: 'two-cards-consumer' });
    expect((await measure(holderIds.c!, lifted.id)).instructions.map((i) => i.partyKind)).not.toContain(
      'bank',
    );
  });
});
