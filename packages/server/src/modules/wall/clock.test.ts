import type { ClockStats, StopPaymentView } from '@fanzha/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, draft, queue, saveDraft } from '../../../testing/core-loop-fixtures';
import { dayStart } from './china-time';

describe('China day', () => {
  it('starts at 00:00 UTC+8 whatever the hour', () => {
    expect(dayStart(new Date('2026-05-01T15:59:00Z')).toISOString()).toBe('2026-04-30T16:00:00.000Z');
    expect(dayStart(new Date('2026-05-01T16:00:00Z')).toISOString()).toBe('2026-05-01T16:00:00.000Z');
  });
});

describeEachStorage('the three-minute clock', (database) => {
  let h: Harness;
  const c: Record<string, string> = {};
  beforeAll(async () => {
    h = await createHarness(database(), { start: '2026-05-01T02:00:00Z' });
    for (const [username, role, scope] of [
      ['taker', 'call_taker', {}],
      ['desk', 'stop_payment_officer', {}],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
      ['boss', 'supervisor', {}],
    ] as const) {
      await h.createUser({ username, displayName: username, role, ...scope });
      c[username] = await h.signIn(username);
    }
  });
  afterAll(() => h.close());

  it('gives median and p90 from the call to each step, and the share within three minutes', async () => {
    // Three calls whose first stop result comes 100 s, 150 s and 400 s after the call was answered.
    for (const [i, stopAfterS] of [100, 150, 400].entries()) {
      const answered = h.clock.now();
      const id = crypto.randomUUID();
      h.clock.advance(20_000);
      await saveDraft(
        h,
        c.taker!,
        id,
        draft({ at: answered, transfers: [{ number: cardOf('ICBC', 700 + i), amountFen: 1000 }] }),
      );
      h.clock.advance(20_000);
      const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
      const sent = await h.app.inject({
        method: 'POST',
        url: `/api/stop-payments/${pending!.id}/send`,
        headers: { cookie: c.desk! },
        payload: { legalDocNumber: 'DOC-2026-1' },
      });
      expect(sent.json<StopPaymentView>().status, sent.body).toBe('sent');
      h.clock.set(new Date(answered.getTime() + stopAfterS * 1000));
      const res = await h.app.inject({
        method: 'POST',
        url: `/api/bank/instructions/${pending!.id}/result`,
        headers: { cookie: c.icbc!, 'idempotency-key': `clock-${i}` },
        payload: { outcome: 'stopped', stoppedFen: 500, onwardTransfers: [] },
      });
      expect(res.json<StopPaymentView>().status, res.body).toBe('stopped');
      h.clock.advance(60_000);
    }
    const stats = (
      await h.app.inject({ method: 'GET', url: '/api/stats/clock', headers: { cookie: c.boss! } })
    ).json<ClockStats>();
    expect(stats).toMatchObject({
      reports: 3,
      toFirstPush: { reached: 3, medianS: 20, p90S: 20 },
      toFirstInstruction: { reached: 3, medianS: 40 },
      toFirstStopResult: { reached: 3, medianS: 150, p90S: 350 },
      withinTargetShare: 0.667,
      targetS: 180,
    });
    const earlier = await h.app.inject({
      method: 'GET',
      url: '/api/stats/clock?from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z',
      headers: { cookie: c.boss! },
    });
    expect(earlier.json()).toMatchObject({
      reports: 0,
      toFirstStopResult: { reached: 0, medianS: null },
      withinTargetShare: null,
    });
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/stats/clock', headers: { cookie: c.taker! } }))
        .statusCode,
    ).toBe(403);
  });
});
