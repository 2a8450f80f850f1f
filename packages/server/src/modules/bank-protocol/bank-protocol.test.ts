import { generateKeyPairSync, sign as edSign } from 'node:crypto';
import type {
  BankReturnList,
  ErrorBody,
  FundDecisionView,
  InstructionList,
  ReportView,
  SignedInstruction,
  SigningKey,
  StopPaymentView,
} from '@fanzha/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { canonicalJson } from '../../platform/crypto/canonical-json';
import { verifySignature } from '../../platform/crypto/signer';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, queue, reportWith } from '../../../testing/core-loop-fixtures';
import type { LegalTimers } from '../legal-timers/index';

const HOUR = 3_600_000;
const NANMING = '520102';

/**
 * The bank protocol as a bank's integrator meets it: every measure is a signed instruction in its queue,
 * the centre's record moves on the bank's confirmation, one legal deadline, strict answers.
 */
describeEachStorage('the bank protocol', (database) => {
  let h: Harness;
  let timers: LegalTimers;
  let seed = 0;
  const c: Record<string, string> = {};

  beforeAll(async () => {
    h = await createHarness(database());
    timers = h.app.services.legalTimers;
    const users = [
      ['taker', 'call_taker', {}],
      ['desk', 'stop_payment_officer', {}],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
      ['ccb', 'bank_liaison', { bankCode: 'CCB' }],
      ['nanming', 'county_police', { countyCode: NANMING }],
      ['sup', 'supervisor', {}],
      ['root', 'admin', {}],
    ] as const;
    for (const [username, role, scope] of users) {
      await h.createUser({ username, displayName: username, role, ...scope });
      c[username] = await h.signIn(username);
    }
  });
  /** Moves the test clock to `to`; sessions time out, so everyone signs in again just before. */
  async function jump(to: Date) {
    h.clock.set(new Date(to.getTime() - 5 * 60_000));
    for (const username of Object.keys(c)) c[username] = await h.signIn(username);
    h.clock.set(to);
  }
  afterAll(() => h.close());

  const post = (who: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, ...headers }, payload });
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });
  const view = async (id: string) => (await get('desk', `/api/stop-payments/${id}`)).json<StopPaymentView>();
  const item = async (who: string, id: string) =>
    (await get(who, `/api/bank/instructions/${id}`)).json<SignedInstruction>();
  const feed = async (who: string, query = '') =>
    (await get(who, `/api/bank/instructions${query}`)).json<InstructionList>();
  const confirm = (who: string, id: string, body: object, key = `k-${id}-${canonicalJson(body).length}`) =>
    post(who, `/api/bank/instructions/${id}/confirm`, body, { 'idempotency-key': key });
  const now = () => h.clock.now().toISOString();
  const details = (res: { json: () => unknown }) => (res.json() as ErrorBody).error.details ?? [];
  /** What a change writes; a refusal writes only its failure audit entry. */
  async function counts() {
    const r = await sql<{ o: string; i: string; a: string }>`
      select (select count(*) from outbox) as o, (select count(*) from bank_instruction) as i,
        (select count(*) from audit_entry where result = 'success') as a`.execute(database().db);
    return r.rows[0];
  }

  /** A sent emergency stop of a Nanming report at ICBC. */
  async function sent(amountFen = 5_000_000) {
    const { id } = await reportWith(h, c.taker!, [{ number: cardOf('ICBC', 7000 + ++seed), amountFen }], {
      complete: true,
      countyCode: NANMING,
    });
    const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
    const res = await post('desk', `/api/stop-payments/${pending!.id}/send`, {
      legalDocNumber: 'GZ-ZF-0100',
    });
    expect(res.statusCode, res.body).toBe(200);
    return { reportId: id, request: res.json<StopPaymentView>() };
  }

  async function stopped(stoppedFen = 3_000_000, amountFen = 5_000_000) {
    const s = await sent(amountFen);
    const res = await post(
      'icbc',
      `/api/bank/instructions/${s.request.id}/result`,
      { outcome: 'stopped', stoppedFen, balanceFen: stoppedFen, onwardTransfers: [] },
      { 'idempotency-key': `stop-${s.request.id}` },
    );
    expect(res.statusCode, res.body).toBe(200);
    return { ...s, request: res.json<StopPaymentView>() };
  }

  async function frozen(frozenFen = 3_000_000) {
    const s = await stopped(frozenFen);
    const res = await post('desk', `/api/stop-payments/${s.request.id}/freeze`, {
      decisionNumber: '筑公(南)冻字〔2026〕101号',
      amountFen: frozenFen,
      reason: '涉嫌电信网络诈骗，依法冻结涉案资金',
      appealChannel: '贵阳市公安局南明分局法制大队',
    });
    expect(res.statusCode, res.body).toBe(200);
    const freezeId = res.json<StopPaymentView>().freeze!.id;
    expect(
      (await confirm('icbc', freezeId, { outcome: 'frozen', amountFen: frozenFen, executedAt: now() }))
        .statusCode,
    ).toBe(200);
    return { ...s, freezeId };
  }

  async function decide(freezeId: string, body: object): Promise<FundDecisionView> {
    const proposed = await post('desk', `/api/freezes/${freezeId}/decisions`, {
      decisionNumber: '筑公(南)返还字〔2026〕101号',
      reason: '被害人资金，依法处理',
      appealChannel: '贵阳市公安局南明分局法制大队',
      ...body,
    });
    expect(proposed.statusCode, proposed.body).toBe(200);
    const approved = await post('sup', `/api/fund-decisions/${proposed.json<FundDecisionView>().id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    return approved.json<FundDecisionView>();
  }

  it('refuses misspelt and incomplete answers, naming each field, and then takes the correct one', async () => {
    const { request } = await sent();
    const url = `/api/bank/instructions/${request.id}/result`;
    const before = await counts();
    const misspelt = await post(
      'icbc',
      url,
      { outcome: 'stopped', stopped_fen: 3_000_000, onward_transfers: [] },
      { 'idempotency-key': 'spelt' },
    );
    expect(misspelt.statusCode).toBe(400);
    expect(details(misspelt).map((d) => [d.field, d.reason])).toEqual(
      expect.arrayContaining([
        ['body.stopped_fen', 'unrecognized_keys'],
        ['body.onward_transfers', 'unrecognized_keys'],
      ]),
    );
    const bare = await post('icbc', url, { outcome: 'stopped' }, { 'idempotency-key': 'bare' });
    expect(bare.statusCode).toBe(400);
    expect(details(bare).map((d) => d.field)).toEqual(
      expect.arrayContaining(['body.stoppedFen', 'body.onwardTransfers']),
    );
    const nestedTypo = await post(
      'icbc',
      url,
      {
        outcome: 'stopped',
        stoppedFen: 1,
        onwardTransfers: [
          { account: { number: cardOf('CCB', 1), bank_code: 'CCB' }, amountFen: 5, transferredAt: now() },
        ],
      },
      { 'idempotency-key': 'nested' },
    );
    expect(details(nestedTypo)).toContainEqual(
      expect.objectContaining({
        field: 'body.onwardTransfers.0.account.bank_code',
        reason: 'unrecognized_keys',
      }),
    );
    expect(await counts()).toEqual(before);
    expect((await view(request.id)).status).toBe('sent');

    const right = await post(
      'icbc',
      url,
      { outcome: 'stopped', stoppedFen: 3_000_000, balanceFen: 3_000_000, onwardTransfers: [] },
      { 'idempotency-key': 'right' },
    );
    expect(right.statusCode, right.body).toBe(200);
    expect(right.json<StopPaymentView>().result?.stoppedFen).toBe(3_000_000);
  });

  it('refuses to stop more than the balance reported, and "other" without its note', async () => {
    const { request } = await sent();
    const url = `/api/bank/instructions/${request.id}/result`;
    const above = await post(
      'icbc',
      url,
      { outcome: 'stopped', stoppedFen: 2_000_001, balanceFen: 2_000_000, onwardTransfers: [] },
      { 'idempotency-key': 'above' },
    );
    expect(details(above)).toContainEqual(
      expect.objectContaining({ field: 'body.stoppedFen', reason: 'above_balance' }),
    );
    const other = await post(
      'icbc',
      url,
      { outcome: 'failed', stoppedFen: 0, failureReason: 'other', onwardTransfers: [] },
      { 'idempotency-key': 'other' },
    );
    expect(details(other)).toContainEqual(
      expect.objectContaining({ field: 'body.note', reason: 'required' }),
    );
    expect((await view(request.id)).status).toBe('sent');
  });

  it('counts the 48 hours from the stop the bank confirms, the same in the queue, the request and the lapse notice', async () => {
    const { request } = await sent();
    const signed = await item('icbc', request.id);
    expect(signed.instruction).toMatchObject({
      type: 'emergency_stop_payment',
      version: 2,
      lapsesAfterHours: 48,
    });
    expect(signed.instruction).not.toHaveProperty('expiresAt');
    expect(signed.deadlineAt).toBeNull();
    // A night-time answer: the bank stopped the account at once, and answers three hours later.
    const stoppedAt = new Date(h.clock.now().getTime() + 60_000);
    await jump(new Date(h.clock.now().getTime() + 3 * HOUR));
    const answered = (
      await post(
        'icbc',
        `/api/bank/instructions/${request.id}/result`,
        {
          outcome: 'stopped',
          stoppedFen: 1_000_000,
          stoppedAt: stoppedAt.toISOString(),
          onwardTransfers: [],
        },
        { 'idempotency-key': 'night' },
      )
    ).json<StopPaymentView>();
    const deadline = new Date(stoppedAt.getTime() + 48 * HOUR).toISOString();
    expect(answered).toMatchObject({ stoppedAt: stoppedAt.toISOString(), expiresAt: deadline });
    expect(await item('icbc', request.id)).toMatchObject({
      status: 'stopped',
      deadlineAt: deadline,
      answer: { outcome: 'stopped', amountFen: 1_000_000, executedAt: stoppedAt.toISOString() },
    });
    // A stop time ahead of the centre's clock, or before the instruction, is refused.
    const { request: other } = await sent();
    const future = await post(
      'icbc',
      `/api/bank/instructions/${other.id}/result`,
      {
        outcome: 'stopped',
        stoppedFen: 1,
        stoppedAt: new Date(h.clock.now().getTime() + HOUR).toISOString(),
        onwardTransfers: [],
      },
      { 'idempotency-key': 'future' },
    );
    expect(details(future)).toContainEqual(
      expect.objectContaining({ field: 'body.stoppedAt', reason: 'in_future' }),
    );

    // At the deadline the bank is told, in a signed notice, and confirms it lifted the stop.
    await jump(new Date(deadline));
    await timers.sweepOnce();
    const notices = (await feed('icbc', '?kind=stop_lapsed')).instructions.filter(
      (i) => i.instruction.type === 'stop_lapsed' && i.instruction.stopInstructionId === request.id,
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]!.instruction).toMatchObject({ stoppedAt: stoppedAt.toISOString(), lapsedAt: deadline });
    const key = (await get('icbc', '/api/bank/signing-key')).json<SigningKey>();
    expect(verifySignature(key.publicKeyPem, notices[0]!.instruction, notices[0]!.signature)).toBe(true);
    const noticeId = notices[0]!.instruction.instructionId;
    const failed = await confirm('icbc', noticeId, { outcome: 'failed', failureReason: 'no_such_account' });
    expect(failed.statusCode).toBe(409);
    const lifted = await confirm('icbc', noticeId, { outcome: 'lifted', executedAt: now() });
    expect(lifted.json<SignedInstruction>()).toMatchObject({ status: 'lifted' });
    await timers.sweepOnce();
    expect(
      (await feed('icbc', '?kind=stop_lapsed&status=all')).instructions.filter(
        (i) => i.instruction.type === 'stop_lapsed' && i.instruction.stopInstructionId === request.id,
      ),
    ).toHaveLength(1);
  });

  it('sends the freeze to the bank, which confirms what it froze; until then it shows as requested', async () => {
    const { request, reportId } = await stopped(3_000_000);
    const requested = (
      await post('desk', `/api/stop-payments/${request.id}/freeze`, {
        decisionNumber: '筑公(南)冻字〔2026〕102号',
        amountFen: 3_000_000,
        reason: '涉嫌电信网络诈骗，依法冻结涉案资金',
        appealChannel: '贵阳市公安局南明分局法制大队',
      })
    ).json<StopPaymentView>();
    expect(requested).toMatchObject({
      legalState: 'freezing',
      frozenFen: 0,
      freeze: { status: 'requested' },
    });
    const freezeId = requested.freeze!.id;
    const signed = await item('icbc', freezeId);
    expect(signed).toMatchObject({ kind: 'freeze', status: 'sent', deadlineAt: requested.freeze!.endsAt });
    expect(signed.instruction).toMatchObject({
      type: 'freeze',
      version: 2,
      stopInstructionId: request.id,
      amountFen: 3_000_000,
      endsAt: requested.freeze!.endsAt,
      appealChannel: '贵阳市公安局南明分局法制大队',
    });
    const key = (await get('icbc', '/api/bank/signing-key')).json<SigningKey>();
    expect(verifySignature(key.publicKeyPem, signed.instruction, signed.signature)).toBe(true);
    // Another bank does not see it; the emergency-stop answer route points to /confirm.
    expect((await get('ccb', `/api/bank/instructions/${freezeId}`)).statusCode).toBe(404);
    const wrongRoute = await post(
      'icbc',
      `/api/bank/instructions/${freezeId}/result`,
      { outcome: 'stopped', stoppedFen: 1, onwardTransfers: [] },
      { 'idempotency-key': 'wrong-route' },
    );
    expect(wrongRoute.statusCode).toBe(409);
    expect(
      (await post('icbc', `/api/bank/instructions/${freezeId}/ack`)).json<SignedInstruction>().status,
    ).toBe('acknowledged');
    const wrongOutcome = await confirm('icbc', freezeId, {
      outcome: 'released',
      amountFen: 1,
      executedAt: now(),
    });
    expect(details(wrongOutcome)).toContainEqual(
      expect.objectContaining({ field: 'body.outcome', reason: 'wrong_kind' }),
    );
    const tooMuch = await confirm('icbc', freezeId, {
      outcome: 'frozen',
      amountFen: 3_000_001,
      executedAt: now(),
    });
    expect(details(tooMuch)).toContainEqual(
      expect.objectContaining({ field: 'body.amountFen', reason: 'above_instructed' }),
    );
    const noAmount = await confirm('icbc', freezeId, { outcome: 'frozen', executedAt: now() });
    expect(details(noAmount)).toContainEqual(
      expect.objectContaining({ field: 'body.amountFen', reason: 'required' }),
    );
    expect((await view(request.id)).freeze?.status).toBe('requested');

    // The bank could freeze only part of it: that part is what is frozen.
    const body = { outcome: 'frozen', amountFen: 2_500_000, executedAt: now() };
    const done = await confirm('icbc', freezeId, body, 'freeze-once');
    expect(done.json<SignedInstruction>()).toMatchObject({
      status: 'frozen',
      answer: { amountFen: 2_500_000 },
    });
    expect((await confirm('icbc', freezeId, body, 'freeze-once')).json()).toEqual(done.json());
    expect(
      (await confirm('icbc', freezeId, { ...body, amountFen: 2_000_000 }, 'freeze-twice')).statusCode,
    ).toBe(409);
    expect(await view(request.id)).toMatchObject({
      legalState: 'frozen',
      frozenFen: 2_500_000,
      freeze: { status: 'active', requestedFen: 3_000_000, amountFen: 2_500_000 },
    });
    expect((await get('sup', `/api/reports/${reportId}`)).json<ReportView>().money.frozenFen).toBe(2_500_000);
  });

  it('a freeze the bank could not carry out leaves the stop to lapse at its own deadline', async () => {
    const { request } = await stopped(1_000_000);
    const requested = (
      await post('desk', `/api/stop-payments/${request.id}/freeze`, {
        decisionNumber: '筑公(南)冻字〔2026〕103号',
        amountFen: 1_000_000,
        reason: '涉嫌电信网络诈骗，依法冻结涉案资金',
        appealChannel: '贵阳市公安局南明分局法制大队',
      })
    ).json<StopPaymentView>();
    const noNote = await confirm('icbc', requested.freeze!.id, { outcome: 'failed', failureReason: 'other' });
    expect(details(noNote)).toContainEqual(
      expect.objectContaining({ field: 'body.note', reason: 'required' }),
    );
    const failed = await confirm('icbc', requested.freeze!.id, {
      outcome: 'failed',
      failureReason: 'already_restricted',
    });
    expect(failed.json<SignedInstruction>()).toMatchObject({
      status: 'failed',
      answer: { failureReason: 'already_restricted' },
    });
    expect(await view(request.id)).toMatchObject({
      legalState: 'stopped',
      freeze: { status: 'failed', failureReason: 'already_restricted' },
    });
    await jump(new Date(request.expiresAt!));
    await timers.sweepOnce();
    expect(await view(request.id)).toMatchObject({ legalState: 'lapsed', lapsedAt: request.expiresAt });
  });

  it('a partial release leaves the rest frozen, and the rest can then be returned, with the payee named to the bank', async () => {
    const { request, freezeId, reportId } = await frozen(3_000_000);
    const release = await decide(freezeId, { kind: 'release', amountFen: 500_000 });
    expect(await item('icbc', release.id)).toMatchObject({
      kind: 'release',
      instruction: { amountFen: 500_000 },
    });
    // Decisions run side by side while their amounts fit in what is frozen.
    const over = await post('desk', `/api/freezes/${freezeId}/decisions`, {
      kind: 'return',
      amountFen: 2_500_001,
      victimAccount: cardOf('CCB', 901),
      payeeName: '张三',
      decisionNumber: '筑公(南)返还字〔2026〕102号',
      reason: '被害人资金，依法返还',
      appealChannel: '贵阳市公安局南明分局法制大队',
    });
    expect(details(over)).toContainEqual(
      expect.objectContaining({ field: 'body.amountFen', reason: 'above_frozen' }),
    );
    const noPayee = await post('desk', `/api/freezes/${freezeId}/decisions`, {
      kind: 'return',
      amountFen: 1_000,
      victimAccount: cardOf('CCB', 901),
      decisionNumber: '筑公(南)返还字〔2026〕102号',
      reason: '被害人资金，依法返还',
      appealChannel: '贵阳市公安局南明分局法制大队',
    });
    expect(details(noPayee)).toContainEqual(
      expect.objectContaining({ field: 'body.payeeName', reason: 'required' }),
    );
    const ret = await decide(freezeId, {
      kind: 'return',
      amountFen: 2_500_000,
      victimAccount: cardOf('CCB', 901),
      payeeName: '张三',
    });
    const returnItem = await item('icbc', ret.id);
    expect(returnItem.instruction).toMatchObject({
      type: 'return',
      amountFen: 2_500_000,
      payee: { name: '张三', account: cardOf('CCB', 901), bankCode: 'CCB' },
      dueAt: ret.dueAt,
    });
    expect(returnItem.deadlineAt).toBe(ret.dueAt);

    expect(
      (await confirm('icbc', release.id, { outcome: 'released', amountFen: 500_000, executedAt: now() }))
        .statusCode,
    ).toBe(200);
    expect(await view(request.id)).toMatchObject({ legalState: 'frozen', frozenFen: 2_500_000 });

    // The bank could return only part of it at first; the rest stays frozen.
    const noRef = await confirm('icbc', ret.id, {
      outcome: 'returned',
      amountFen: 1_000_000,
      executedAt: now(),
    });
    expect(details(noRef)).toContainEqual(
      expect.objectContaining({ field: 'body.bankReference', reason: 'required' }),
    );
    const part = await confirm('icbc', ret.id, {
      outcome: 'returned',
      amountFen: 1_000_000,
      bankReference: 'ICBC-RT-9001',
      executedAt: now(),
    });
    expect(part.statusCode, part.body).toBe(200);
    expect(await view(request.id)).toMatchObject({
      legalState: 'frozen',
      frozenFen: 1_500_000,
      returnedFen: 1_000_000,
    });
    expect((await get('sup', `/api/reports/${reportId}`)).json<ReportView>().money).toMatchObject({
      frozenFen: 1_500_000,
      returnedFen: 1_000_000,
    });
    // The rest goes back by a further decision, which now fits.
    const rest = await decide(freezeId, {
      kind: 'return',
      amountFen: 1_500_000,
      victimAccount: cardOf('CCB', 901),
      payeeName: '张三',
    });
    await confirm('icbc', rest.id, {
      outcome: 'returned',
      amountFen: 1_500_000,
      bankReference: 'ICBC-RT-9002',
      executedAt: now(),
    });
    expect(await view(request.id)).toMatchObject({
      legalState: 'returned',
      frozenFen: 0,
      returnedFen: 2_500_000,
    });
    // The earlier return list follows the same feed: in the order the returns changed, with a cursor.
    const listed = (await get('icbc', '/api/bank/returns?limit=500')).json<BankReturnList>();
    expect(listed.decisions.filter((d) => d.freezeId === freezeId).map((d) => [d.id, d.executedFen])).toEqual(
      [
        [ret.id, 1_000_000],
        [rest.id, 1_500_000],
      ],
    );
    const after = await get('icbc', `/api/bank/returns?after=${listed.nextCursor}`);
    expect(after.json<BankReturnList>().decisions).toEqual([]);
  });

  it('a failed return leaves the money frozen and says why', async () => {
    const { request, freezeId } = await frozen(800_000);
    const ret = await decide(freezeId, {
      kind: 'return',
      amountFen: 800_000,
      victimAccount: cardOf('CCB', 902),
      payeeName: '王五',
    });
    const failed = await confirm('icbc', ret.id, { outcome: 'failed', failureReason: 'payee_rejected' });
    expect(failed.statusCode, failed.body).toBe(200);
    expect(await view(request.id)).toMatchObject({ legalState: 'frozen', frozenFen: 800_000 });
    const decisions = (await view(request.id)).freeze!.decisions;
    expect(decisions.find((d) => d.id === ret.id)).toMatchObject({
      status: 'failed',
      failureReason: 'payee_rejected',
    });
  });

  it('a renewal takes effect when the bank confirms it, and moves the freeze’s deadline in the queue', async () => {
    const { request, freezeId } = await frozen(600_000);
    const before = await view(request.id);
    const endsAt = new Date(new Date(before.freeze!.endsAt).getTime() + 30 * 24 * HOUR).toISOString();
    const renewed = (
      await post('desk', `/api/freezes/${freezeId}/renew`, {
        decisionNumber: '筑公(南)续冻字〔2026〕1号',
        endsAt,
      })
    ).json<StopPaymentView>();
    expect(renewed.freeze).toMatchObject({
      endsAt: before.freeze!.endsAt,
      renewals: [{ status: 'requested' }],
    });
    const renewal = renewed.freeze!.renewals[0]!;
    expect(
      (
        await post('desk', `/api/freezes/${freezeId}/renew`, {
          decisionNumber: '筑公(南)续冻字〔2026〕2号',
        })
      ).statusCode,
    ).toBe(409);
    expect((await item('icbc', renewal.instructionId!)).instruction).toMatchObject({
      type: 'freeze_renewal',
      freezeInstructionId: freezeId,
      previousEndsAt: before.freeze!.endsAt,
      endsAt,
    });
    await confirm('icbc', renewal.instructionId!, { outcome: 'renewed', executedAt: now() });
    expect((await view(request.id)).freeze).toMatchObject({ endsAt, renewals: [{ status: 'confirmed' }] });
    expect((await item('icbc', freezeId)).deadlineAt).toBe(endsAt);
  });

  it('serves each bank a change feed: stable order, cursor paging, updatedSince and kinds, and nothing missed', async () => {
    // A bank of its own for this test, so its feed holds only what happens here.
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { id } = await reportWith(h, c.taker!, [
        { number: cardOf('CCB', 8800 + i), amountFen: 10_000 + i },
      ]);
      const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
      await post('desk', `/api/stop-payments/${pending!.id}/send`, { legalDocNumber: 'GZ-ZF-0200' });
      mine.push(pending!.id);
    }
    const all = await feed('ccb', '?status=all&limit=500');
    const ids = all.instructions.map((i) => i.instruction.instructionId);
    expect(ids.slice(-5)).toEqual(mine);
    const seqs = all.instructions.map((i) => Number(i.sequence));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    // Page by two from the start of these five.
    const start = all.instructions.at(-6)?.sequence;
    const pages: string[] = [];
    let after = start;
    for (;;) {
      const page = await feed('ccb', `?status=all&limit=2${after ? `&after=${after}` : ''}`);
      pages.push(...page.instructions.map((i) => i.instruction.instructionId));
      after = page.nextCursor ?? after;
      if (!page.hasMore) break;
    }
    expect(pages).toEqual(mine);
    // An answer moves the instruction to the end of the feed: a poller after the cursor sees just that change.
    const cursor = after!;
    expect((await feed('ccb', `?status=all&after=${cursor}`)).instructions).toEqual([]);
    h.clock.advance(1000);
    const since = now();
    await post('ccb', `/api/bank/instructions/${mine[1]}/ack`);
    const changed = await feed('ccb', `?status=all&after=${cursor}`);
    expect(changed.instructions.map((i) => [i.instruction.instructionId, i.status])).toEqual([
      [mine[1], 'acknowledged'],
    ]);
    expect(
      (await feed('ccb', `?status=all&updatedSince=${encodeURIComponent(since)}`)).instructions.map(
        (i) => i.instruction.instructionId,
      ),
    ).toEqual([mine[1]]);
    expect((await feed('ccb', '?kind=freeze')).instructions.every((i) => i.kind === 'freeze')).toBe(true);
    const badKind = await get('ccb', '/api/bank/instructions?kind=thaw');
    expect(details(badKind)).toContainEqual(
      expect.objectContaining({ field: 'query.kind', reason: 'unknown_kind' }),
    );
    const badQuery = await get('ccb', '/api/bank/instructions?cursor=5');
    expect(details(badQuery)).toContainEqual(
      expect.objectContaining({ field: 'query.cursor', reason: 'unrecognized_keys' }),
    );
  });

  it('answers at two banks whose money went to each other run side by side without a deadlock', async () => {
    const pairs = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const ids = [] as string[];
        for (const bank of ['ICBC', 'CCB'] as const) {
          const { id } = await reportWith(h, c.taker!, [
            { number: cardOf(bank, 8900 + i), amountFen: 50_000 },
          ]);
          const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
          await post('desk', `/api/stop-payments/${pending!.id}/send`, { legalDocNumber: 'GZ-ZF-0300' });
          ids.push(pending!.id);
        }
        return ids as [string, string];
      }),
    );
    const answer = (who: 'icbc' | 'ccb', id: string, to: 'ICBC' | 'CCB', i: number) =>
      post(
        who,
        `/api/bank/instructions/${id}/result`,
        {
          outcome: 'stopped',
          stoppedFen: 10_000,
          onwardTransfers: [
            { account: { number: cardOf(to, 8950 + i) }, amountFen: 20_000, transferredAt: now() },
          ],
        },
        { 'idempotency-key': `cross-${id}` },
      );
    const results = await Promise.all(
      pairs.flatMap(([icbcStop, ccbStop], i) => [
        answer('icbc', icbcStop, 'CCB', i),
        answer('ccb', ccbStop, 'ICBC', i),
      ]),
    );
    expect(results.map((r) => r.statusCode)).toEqual(results.map(() => 200));
  });

  it("verifies a bank system's signed confirmation and refuses a bad or missing signature", async () => {
    const bankKeys = generateKeyPairSync('ed25519');
    const created = await post('root', '/api/integrations/bank-keys', {
      name: 'ICBC measures gateway',
      bankCode: 'ICBC',
      publicKeyPem: bankKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    const apiKey = created.json<{ key: string }>().key;
    const { freezeId } = await frozen(400_000);
    const release = await decide(freezeId, { kind: 'release', amountFen: 400_000 });
    const body = { outcome: 'released', amountFen: 400_000, executedAt: now() };
    const send = (key: string, signature?: string) =>
      h.app.inject({
        method: 'POST',
        url: `/api/bank/instructions/${release.id}/confirm`,
        headers: {
          authorization: `Bearer ${apiKey}`,
          'idempotency-key': key,
          ...(signature ? { 'x-fanzha-signature': signature } : {}),
        },
        payload: body,
      });
    const signFor = (key: string, b: object) =>
      edSign(
        null,
        Buffer.from(canonicalJson({ instructionId: release.id, idempotencyKey: key, confirmation: b })),
        bankKeys.privateKey,
      ).toString('base64');
    expect((await send('s1')).statusCode).toBe(401);
    expect((await send('s1', signFor('s1', { ...body, amountFen: 1 }))).statusCode).toBe(401);
    const ok = await send('s1', signFor('s1', body));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<SignedInstruction>()).toMatchObject({
      status: 'released',
      answer: { answeredBy: 'key:ICBC measures gateway' },
    });
  });
});
