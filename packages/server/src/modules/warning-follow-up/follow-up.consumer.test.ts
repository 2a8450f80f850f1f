import type { ScreeningHit } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { harnessFieldKeys } from '../../../testing/outbox-events';
import { createMemoryBus } from '../../platform/bus/memory-bus';
import type { Subscription } from '../../platform/bus/bus';
import { withFieldKeys } from '../../platform/crypto/field-cipher';
import { startFollowUpConsumer } from './follow-up.record';

const hit = (phone: string, signalId: string): ScreeningHit => ({
  source: 'operator:china_unicom',
  signalId,
  signalKind: 'call',
  at: '2026-05-01T08:00:00Z',
  person: { phone, idNumber: null, name: null, countyCode: '520102' },
  indicator: {
    id: 9,
    kind: 'phone',
    value: '+8617100002222',
    status: 'active',
    riskLevel: 'medium',
    reportCount: 1,
    lossFen: 0,
    lastReportedAt: null,
  },
  amountFen: null,
  upstreamGrade: null,
});

describeEachStorage('the follow-up consumer on the bus', (database) => {
  const bus = createMemoryBus();
  let h: Harness;
  let consumer: Subscription;
  beforeAll(async () => {
    h = await createHarness(database(), { bus });
    await createCast(h, [['desk', 'persuader', {}]]);
    consumer = await startFollowUpConsumer({ db: database().db, bus, clock: h.clock });
  });
  afterAll(async () => {
    await consumer.stop();
    await h.close();
    await bus.close();
  });

  it('keeps a row per episode from the events the relay publishes, and its checks once it closes', async () => {
    const db = withFieldKeys(database().db, harnessFieldKeys());
    await db.transaction().execute((trx) => h.app.services.recordHits(trx, [hit('+8613900139001', 'c-1')]));
    const row = () =>
      db
        .selectFrom('episode_follow_up')
        .select(['id', 'closed_at', 'close_reason', 'next_check_at', 'sources'])
        .executeTakeFirst();
    await expect
      .poll(async () => (await row())?.sources, { timeout: 10_000 })
      .toEqual(['operator:china_unicom']);
    expect(await row()).toMatchObject({ closed_at: null, next_check_at: null });

    const cookie = await h.signIn('desk');
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/episodes/${(await row())!.id}/outcome`,
      headers: { cookie },
      payload: { outcome: 'persuaded' },
    });
    expect(res.statusCode, res.body).toBe(200);
    await expect.poll(async () => (await row())?.close_reason, { timeout: 10_000 }).toBe('persuaded');
    const closed = await row();
    expect(closed!.next_check_at!.getTime() - closed!.closed_at!.getTime()).toBe(7 * 86_400_000);
  });

  it('counts the SMS the sweep sends while the episode stays open, from the event the relay publishes', async () => {
    const db = withFieldKeys(database().db, harnessFieldKeys());
    await db.transaction().execute((trx) => h.app.services.recordHits(trx, [hit('+8613900139002', 'c-2')]));
    const row = () =>
      db
        .selectFrom('episode_follow_up')
        .select(['sms', 'channel', 'closed_at'])
        .where('closed_at', 'is', null)
        .executeTakeFirst();
    await expect.poll(row, { timeout: 10_000 }).toMatchObject({ sms: 0, channel: null });

    // Its first SMS (the one the episode above had pending when it closed was withdrawn, never sent).
    expect(await h.app.services.episodeSweep.sweepOnce()).toMatchObject({ sent: 1 });
    await expect.poll(row, { timeout: 10_000 }).toMatchObject({ sms: 1, channel: 'sms', closed_at: null });
  });
});
