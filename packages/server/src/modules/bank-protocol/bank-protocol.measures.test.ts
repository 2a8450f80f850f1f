import type {
  BankReturnList,
  ReportView,
  SignedInstruction,
  SigningKey,
  StopPaymentView,
} from '@fanzha/contracts';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { verifySignature } from '../../platform/crypto/signer';
import type { Harness } from '../../../testing/app-harness';
import { bankProtocolKit } from '../../../testing/bank-protocol-kit';
import { cardOf } from '../../../testing/core-loop-fixtures';
import type { LegalTimers } from '../legal-timers/index';

const HOUR = 3_600_000;

/**
 * The measures after a stop as a bank's integrator meets them: each freeze, release, return and renewal is a
 * signed instruction in its queue, and the centre's record moves when the bank confirms what it did.
 */
describeEachStorage('the bank protocol: freezes, releases, returns, renewals', (database) => {
  const kit = bankProtocolKit(database);
  const { jump, post, get, view, item, confirm, now, details, stopped, frozen, decide } = kit;
  let h: Harness;
  let timers: LegalTimers;
  beforeAll(() => {
    h = kit.h;
    timers = h.app.services.legalTimers;
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
});
