import type { StopPaymentView } from '@fanzha/contracts';
import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { bankProtocolKit } from '../../../testing/bank-protocol-kit';
import { cardOf } from '../../../testing/core-loop-fixtures';
import { describeEachStorage } from '../../../testing/test-databases';
import { up } from './0052-bank-deadlines-recomputed';

/**
 * Items the earlier code left with the deadline set when they were sent — a stop frozen since, a failed freeze,
 * a renewal showing its new end, a confirmed return — show the deadline now running after migration 0052, and
 * move in their bank's feed; an item already right is left where it is.
 */
describeEachStorage('migration 0052 on items with stale deadlines', (database) => {
  const kit = bankProtocolKit(database);
  const { post, item, confirm, now, stopped, frozen, decide } = kit;

  it('sets each to the deadline now running, and moves only those it changed', async () => {
    const db = database().db;
    const running = await stopped(700_000);
    const { request: frozenStop, freezeId } = await frozen(500_000);
    const renewal = (
      await post('desk', `/api/freezes/${freezeId}/renew`, { decisionNumber: '筑公(南)续冻字〔2026〕52号' })
    ).json<StopPaymentView>().freeze!.renewals[0]!;
    const { request: failedStop } = await stopped(300_000);
    const failedFreeze = (
      await post('desk', `/api/stop-payments/${failedStop.id}/freeze`, {
        decisionNumber: '筑公(南)冻字〔2026〕52号',
        amountFen: 300_000,
        reason: '涉嫌电信网络诈骗，依法冻结涉案资金',
        appealChannel: '贵阳市公安局南明分局法制大队',
      })
    ).json<StopPaymentView>().freeze!;
    await confirm('icbc', failedFreeze.id, { outcome: 'failed', failureReason: 'already_restricted' });
    const { freezeId: returnedFreeze } = await frozen(200_000);
    const ret = await decide(returnedFreeze, {
      kind: 'return',
      amountFen: 100_000,
      victimAccount: cardOf('CCB', 952),
      payeeName: '张三',
    });
    await confirm('icbc', ret.id, {
      outcome: 'returned',
      amountFen: 100_000,
      bankReference: 'ICBC-RT-5201',
      executedAt: now(),
    });
    const right = {
      running: (await item('icbc', running.request.id)).deadlineAt,
      freeze: (await item('icbc', freezeId)).deadlineAt,
      renewal: (await item('icbc', renewal.instructionId!)).deadlineAt,
    };

    // What the earlier code left: the deadlines set at the send.
    const stale = (id: string, at: string | null) =>
      sql`update bank_instruction set deadline_at = ${at} where id = ${id}`.execute(db);
    await stale(frozenStop.id, frozenStop.expiresAt);
    await stale(renewal.instructionId!, renewal.endsAt);
    await stale(failedStop.id, null);
    await stale(failedFreeze.id, failedFreeze.endsAt);
    await stale(ret.id, ret.dueAt);
    const before = await item('icbc', running.request.id);

    // Run again on the migrated database (the harness applied it to an empty one): a migration sees no types.
    await up(db as unknown as Kysely<unknown>);
    expect((await item('icbc', frozenStop.id)).deadlineAt).toBeNull();
    expect((await item('icbc', renewal.instructionId!)).deadlineAt).toBe(right.renewal);
    expect((await item('icbc', failedStop.id)).deadlineAt).toBe(failedStop.expiresAt);
    expect((await item('icbc', failedFreeze.id)).deadlineAt).toBeNull();
    expect((await item('icbc', ret.id)).deadlineAt).toBeNull();
    expect((await item('icbc', freezeId)).deadlineAt).toBe(right.freeze);
    // Left alone: the same deadline, in the same place in the feed.
    expect(await item('icbc', running.request.id)).toEqual(before);
    expect(before.deadlineAt).toBe(right.running);
    const moved = await item('icbc', frozenStop.id);
    expect(BigInt(moved.sequence)).toBeGreaterThan(BigInt(before.sequence));
  });
});
