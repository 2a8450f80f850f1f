import type { InstructionList, SignedInstruction, SigningKey, StopPaymentView } from '@fanzha/contracts';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import type { Harness } from '../../../testing/app-harness';
import { bankProtocolKit } from '../../../testing/bank-protocol-kit';
import { cardOf } from '../../../testing/core-loop-fixtures';
import { verifySignature } from '../../platform/crypto/signer';

const HOUR = 3_600_000;

/**
 * An item's `deadlineAt` as a bank reads it through the API: the legal deadline now running on it, and null
 * once none runs — a failed freeze, a stop held or replaced by its freeze, a measure done. Each change moves the
 * item in the bank's feed; the signed instruction stays exactly as signed.
 */
describeEachStorage('the bank protocol: the deadline each item shows', (database, kind) => {
  const kit = bankProtocolKit(database);
  const { jump, post, get, item, confirm, now, stopped, frozen, decide } = kit;
  let h: Harness;
  beforeAll(() => {
    h = kit.h;
  });

  const freezeBody = {
    decisionNumber: '筑公(南)冻字〔2026〕201号',
    reason: '涉嫌电信网络诈骗，依法冻结涉案资金',
    appealChannel: '贵阳市公安局南明分局法制大队',
  };
  /** The bank's feed after `cursor`: what it sees changed since. */
  const changedSince = async (cursor: string) =>
    (await get('icbc', `/api/bank/instructions?status=all&limit=500&after=${cursor}`)).json<InstructionList>()
      .instructions;
  const cursorNow = async () =>
    (await get('icbc', '/api/bank/instructions?status=all&limit=500'))
      .json<InstructionList>()
      .instructions.at(-1)!.sequence;

  it('a freeze held the stop, then failed: the freeze shows none, the stop’s lapse runs again until it lapses', async () => {
    const { request } = await stopped(1_000_000);
    expect((await item('icbc', request.id)).deadlineAt).toBe(request.expiresAt);
    const requested = (
      await post('desk', `/api/stop-payments/${request.id}/freeze`, { ...freezeBody, amountFen: 1_000_000 })
    ).json<StopPaymentView>();
    const freezeId = requested.freeze!.id;
    // While the freeze is with the bank, it holds the stop: the stop does not lapse, the freeze's end runs.
    expect((await item('icbc', request.id)).deadlineAt).toBeNull();
    expect((await item('icbc', freezeId)).deadlineAt).toBe(requested.freeze!.endsAt);

    const cursor = await cursorNow();
    const failed = await confirm('icbc', freezeId, {
      outcome: 'failed',
      failureReason: 'already_restricted',
    });
    expect(failed.json<SignedInstruction>()).toMatchObject({ status: 'failed', deadlineAt: null });
    const stop = await item('icbc', request.id);
    expect(stop.deadlineAt).toBe(request.expiresAt);
    // Both moved in the feed (changed together, in either order): a bank polling after its cursor reads them.
    const moved = (await changedSince(cursor)).map((i) => [i.kind, i.deadlineAt]);
    expect(moved.sort()).toEqual([
      ['emergency_stop_payment', request.expiresAt],
      ['freeze', null],
    ]);
    const key = (await get('icbc', '/api/bank/signing-key')).json<SigningKey>();
    expect(verifySignature(key.publicKeyPem, stop.instruction, stop.signature)).toBe(true);

    await jump(new Date(request.expiresAt!));
    await h.app.services.legalTimers.sweepOnce();
    expect((await item('icbc', request.id)).deadlineAt).toBeNull();
    const notice = (await changedSince(cursor)).find((i) => i.kind === 'stop_lapsed')!;
    expect(notice).toMatchObject({ status: 'sent', deadlineAt: null });
  });

  it('a confirmed freeze ends the stop’s lapse; a renewal runs to the freeze’s current end; a release of all ends the freeze’s', async () => {
    const { request, freezeId } = await frozen(600_000);
    const stop = await item('icbc', request.id);
    expect(stop.deadlineAt).toBeNull();
    const key = (await get('icbc', '/api/bank/signing-key')).json<SigningKey>();
    expect(verifySignature(key.publicKeyPem, stop.instruction, stop.signature)).toBe(true);
    const freeze = await item('icbc', freezeId);
    const endsAt = freeze.instruction.type === 'freeze' ? freeze.instruction.endsAt : '';
    expect(freeze).toMatchObject({ status: 'frozen', deadlineAt: endsAt });

    const later = new Date(new Date(endsAt).getTime() + 30 * 24 * HOUR).toISOString();
    const renewed = (
      await post('desk', `/api/freezes/${freezeId}/renew`, {
        decisionNumber: '筑公(南)续冻字〔2026〕9号',
        endsAt: later,
      })
    ).json<StopPaymentView>();
    const renewalId = renewed.freeze!.renewals[0]!.instructionId!;
    // Until the bank renews, the freeze ends at its current end: that is what the renewal must beat.
    expect((await item('icbc', renewalId)).deadlineAt).toBe(endsAt);
    await confirm('icbc', renewalId, { outcome: 'renewed', executedAt: now() });
    expect((await item('icbc', renewalId)).deadlineAt).toBeNull();
    expect((await item('icbc', freezeId)).deadlineAt).toBe(later);

    const release = await decide(freezeId, { kind: 'release', amountFen: 600_000 });
    expect((await item('icbc', release.id)).deadlineAt).toBeNull();
    await confirm('icbc', release.id, { outcome: 'released', amountFen: 600_000, executedAt: now() });
    expect((await item('icbc', freezeId)).deadlineAt).toBeNull();
    expect((await item('icbc', request.id)).deadlineAt).toBeNull();
  });

  it('a return runs to its due time until the bank confirms it; all returned ends the freeze’s', async () => {
    const { freezeId } = await frozen(400_000);
    const ret = await decide(freezeId, {
      kind: 'return',
      amountFen: 400_000,
      victimAccount: cardOf('CCB', 931),
      payeeName: '张三',
    });
    expect((await item('icbc', ret.id)).deadlineAt).toBe(ret.dueAt);
    const done = await confirm('icbc', ret.id, {
      outcome: 'returned',
      amountFen: 400_000,
      bankReference: 'ICBC-RT-9301',
      executedAt: now(),
    });
    expect(done.json<SignedInstruction>()).toMatchObject({ status: 'returned', deadlineAt: null });
    expect((await item('icbc', freezeId)).deadlineAt).toBeNull();
  });

  it('a failed emergency stop shows none', async () => {
    const { request } = await kit.sent(200_000);
    const res = await post(
      'icbc',
      `/api/bank/instructions/${request.id}/result`,
      { outcome: 'failed', stoppedFen: 0, failureReason: 'account_closed', onwardTransfers: [] },
      { 'idempotency-key': `fail-${request.id}` },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(await item('icbc', request.id)).toMatchObject({ status: 'failed', deadlineAt: null });
  });

  // Two changes to one stop committed side by side (PostgreSQL: PGlite has one connection): each refresh reads
  // the facts after the other committed, so the last write is never computed from a snapshot without the other.
  it.skipIf(kind === 'pglite')(
    'two changes to one stop at once: the deadline reflects both, whichever commits first',
    async () => {
      const { request } = await stopped(1_000_000);
      const requested = (
        await post('desk', `/api/stop-payments/${request.id}/freeze`, { ...freezeBody, amountFen: 1_000_000 })
      ).json<StopPaymentView>();
      const freezeId = requested.freeze!.id;
      expect((await item('icbc', request.id)).deadlineAt).toBeNull(); // the freeze holds the stop
      const { db } = h; // as the services use it (personal fields sealed)
      const { bankInstructions } = h.app.services;
      const at = h.clock.now();
      const on = { stopPaymentIds: [request.id] };
      // The first: the stop lapses (its deadline stays none), not yet committed.
      let release = () => {};
      const released = new Promise<void>((r) => (release = r));
      let holding = () => {};
      const isHolding = new Promise<void>((r) => (holding = r));
      const first = db.transaction().execute(async (trx) => {
        await sql`update stop_payment set lapsed_at = expires_at where id = ${request.id}`.execute(trx);
        await bankInstructions.refreshDeadlines(trx, on, at);
        holding();
        await released;
      });
      await Promise.race([isHolding, first]);
      // The second: the freeze fails, which alone would set the stop's lapse running again.
      let isSecondDone = false;
      const second = db
        .transaction()
        .execute(async (trx) => {
          await sql`update account_freeze set status = 'failed', failure_reason = 'already_restricted' where id = ${freezeId}`.execute(
            trx,
          );
          await bankInstructions.refreshDeadlines(trx, on, at);
        })
        .finally(() => (isSecondDone = true));
      // Until the second has finished or waits on the first's locks (the fix: it waits).
      for (;;) {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
        if (isSecondDone || rows[0]!.n > 0) break;
        await new Promise((r) => setImmediate(r));
      }
      release();
      await Promise.all([first, second]);
      // Lapsed and its freeze failed: no deadline runs on either.
      expect((await item('icbc', request.id)).deadlineAt).toBeNull();
      expect((await item('icbc', freezeId)).deadlineAt).toBeNull();
    },
  );
});
