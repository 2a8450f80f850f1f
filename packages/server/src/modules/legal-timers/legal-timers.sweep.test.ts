import type { StopPaymentView } from '@fanzha/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, queue, reportWith, signInCoreLoopUsers } from '../../../testing/core-loop-fixtures';
import { countingDb } from '../../../testing/statement-count';
import { describeEachStorage } from '../../../testing/test-databases';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Every worker sweeps the legal timers every second, so what a sweep costs when nothing is due is paid all
 * day: one statement asks which steps have work, and only those open their transactions. A reminder already
 * raised is not work: the sweep after it is idle again.
 */
describeEachStorage('legal timers: what a sweep costs', (database) => {
  let h: Harness;
  let c: Record<string, string>;
  const counting = { count: () => 0, reset: () => {} };

  beforeAll(async () => {
    const counted = countingDb(database().db);
    Object.assign(counting, counted);
    // No relay or consumers on the counted view: only the sweep runs statements while it is counted.
    h = await createHarness({ ...database(), db: counted.db }, { isWorker: false });
    c = await signInCoreLoopUsers(h);
  });
  afterAll(() => h.close());

  /** One sweep at `at`: what it changed and how many statements it ran. */
  async function sweep(at: Date) {
    counting.reset();
    const changed = await h.app.services.legalTimers.sweepOnce(at);
    return { changed, statements: counting.count() };
  }

  const post = async (who: string, url: string, payload: object, key?: string) => {
    const res = await h.app.inject({
      method: 'POST',
      url,
      headers: { cookie: c[who]!, ...(key ? { 'idempotency-key': key } : {}) },
      payload,
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res;
  };

  it('asks once and opens no transaction when nothing is due', async () => {
    expect(await sweep(h.clock.now())).toEqual({ changed: 0, statements: 1 });
  });

  it('runs the steps with something due, and is idle again once each reminder, lapse and end is done', async () => {
    const { id } = await reportWith(
      h,
      c.taker!,
      [
        { number: cardOf('ICBC', 7101), amountFen: 1_000_000 },
        { number: cardOf('CCB', 7102), amountFen: 1_000_000 },
      ],
      { complete: true, countyCode: '520102' },
    );
    const requests = await queue(h, c.desk!, `?reportId=${id}`);
    const stopped = h.clock.now();
    for (const [who, bank] of [
      ['icbc', 'ICBC'],
      ['ccb', 'CCB'],
    ] as const) {
      const r = requests.find((x) => x.account.bankCode === bank)!;
      await post('desk', `/api/stop-payments/${r.id}/send`, { legalDocNumber: 'GZ-ZF-0710' });
      await post(
        who,
        `/api/bank/instructions/${r.id}/result`,
        { outcome: 'stopped', stoppedFen: 1_000_000, balanceFen: 1_000_000, onwardTransfers: [] },
        `k-${r.id}`,
      );
    }
    // ICBC's stop becomes a freeze; CCB's is left to lapse.
    const icbc = requests.find((x) => x.account.bankCode === 'ICBC')!;
    const freezing = (
      await post('desk', `/api/stop-payments/${icbc.id}/freeze`, {
        decisionNumber: '筑公(南)冻字〔2026〕710号',
        amountFen: 1_000_000,
        reason: '涉嫌电信网络诈骗，依法冻结涉案资金',
        appealChannel: '贵阳市公安局南明分局法制大队',
      })
    ).json<StopPaymentView>();
    const freezeId = freezing.freeze!.instructionId;
    await post(
      'icbc',
      `/api/bank/instructions/${freezeId}/confirm`,
      { outcome: 'frozen', amountFen: 1_000_000, executedAt: h.clock.now().toISOString() },
      `c-${freezeId}`,
    );
    const endsAt = (
      await database()
        .db.selectFrom('account_freeze')
        .select('ends_at')
        .where('stop_payment_id', '=', icbc.id)
        .executeTakeFirstOrThrow()
    ).ends_at;
    const at = (ms: number) => new Date(stopped.getTime() + ms);

    // Half an hour before CCB's stop lapses: its 1 h reminder, once.
    const reminder = await sweep(at(47.5 * HOUR));
    expect(reminder.changed).toBe(1);
    expect(reminder.statements).toBeGreaterThan(1);
    expect(await sweep(at(47.5 * HOUR))).toEqual({ changed: 0, statements: 1 });
    // The lapse itself, then nothing.
    expect((await sweep(at(48 * HOUR + 1000))).changed).toBeGreaterThan(0);
    expect(await sweep(at(48 * HOUR + 2000))).toEqual({ changed: 0, statements: 1 });
    // Two days before the freeze ends: its 7-day reminder, once (before, every sweep in the week re-ran it).
    const twoDaysBefore = new Date(endsAt.getTime() - 2 * DAY);
    expect((await sweep(twoDaysBefore)).changed).toBe(1);
    expect(await sweep(new Date(twoDaysBefore.getTime() + HOUR))).toEqual({ changed: 0, statements: 1 });
    // Half a day before: the 1-day reminder, once; then the end.
    const halfDayBefore = new Date(endsAt.getTime() - DAY / 2);
    expect((await sweep(halfDayBefore)).changed).toBe(1);
    expect(await sweep(halfDayBefore)).toEqual({ changed: 0, statements: 1 });
    expect((await sweep(new Date(endsAt.getTime() + 1000))).changed).toBeGreaterThan(0);
    expect(await sweep(new Date(endsAt.getTime() + 2000))).toEqual({ changed: 0, statements: 1 });
  });
});
