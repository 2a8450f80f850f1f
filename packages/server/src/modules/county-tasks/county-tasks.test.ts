import type {
  AlertList,
  CountyTaskList,
  CountyTaskView,
  ErrorBody,
  ReportView,
  StopPaymentView,
} from '@fanzha/contracts';
import type { EventEnvelope } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { committedEvents } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, queue, reportWith } from '../../../testing/core-loop-fixtures';
import { openStream } from '../../../testing/sse';

const NANMING = '520102';
const YUNYAN = '520103';

describeEachStorage('county hand-off', (database) => {
  let h: Harness;
  const c: Record<string, string> = {};
  let seed = 0;
  let base = '';
  let signedInAt = 0;
  const people = ['taker', 'desk', 'icbc', 'nanming', 'yunyan', 'sup'] as const;
  beforeAll(async () => {
    h = await createHarness(database());
    const users = [
      ['taker', 'call_taker', {}],
      ['desk', 'stop_payment_officer', {}],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
      ['nanming', 'county_police', { countyCode: NANMING }],
      ['yunyan', 'county_police', { countyCode: YUNYAN }],
      ['sup', 'supervisor', {}],
    ] as const;
    await createCast(h, users);
    await signInAll();
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => h.close());

  async function signInAll() {
    for (const username of people) c[username] = await h.signIn(username);
    signedInAt = h.clock.now().getTime();
  }
  /** Moves the test clock; sessions time out over hours, so everyone signs in again after a jump. */
  async function at(when: number) {
    if (Math.abs(when - signedInAt) > 10 * 60_000) {
      // Signing in moves the test clock on (each TOTP code is single-use): do it before the target.
      h.clock.set(new Date(when - 5 * 60_000));
      await signInAll();
    }
    h.clock.set(new Date(when));
  }

  const post = (who: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, ...headers }, payload });
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });
  const alerts = async (who: string) => (await get(who, '/api/alerts')).json<AlertList>().alerts;
  const tasks = async (who: string, query = '') =>
    (await get(who, `/api/county-tasks${query}`)).json<CountyTaskList>().tasks;

  /** A submitted report of the county whose one ICBC account the bank stopped just now. */
  async function stoppedAccount(countyCode: string) {
    const { id, report } = await reportWith(
      h,
      c.taker!,
      [{ number: cardOf('ICBC', 9000 + ++seed), amountFen: 1_000_000 }],
      { complete: true, countyCode },
    );
    expect((await post('taker', `/api/reports/${id}/submit`, { version: report.version })).statusCode).toBe(
      200,
    );
    const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
    expect(
      (await post('desk', `/api/stop-payments/${pending!.id}/send`, { legalDocNumber: 'GZ-ZF-0001' }))
        .statusCode,
    ).toBe(200);
    const answered = await post(
      'icbc',
      `/api/bank/instructions/${pending!.id}/result`,
      { outcome: 'stopped', stoppedFen: 1_000_000, balanceFen: 1_000_000, onwardTransfers: [] },
      { 'idempotency-key': `k-${pending!.id}` },
    );
    expect(answered.statusCode).toBe(200);
    return { reportId: id };
  }

  it('routes a submitted report to the county of residence, which accepts and answers it; others never see it', async () => {
    const { reportId } = await stoppedAccount(NANMING);
    const [task] = await tasks('nanming', `?reportId=${reportId}`);
    expect(task).toMatchObject({ countyCode: NANMING, status: 'issued', isOverdue: false });
    expect(new Date(task!.acceptDueAt).getTime() - new Date(task!.issuedAt).getTime()).toBe(30 * 60_000);
    expect(await tasks('yunyan', `?reportId=${reportId}`)).toEqual([]);
    for (const url of ['/api/county-tasks?status=issued,bogus', '/api/fund-decisions?status=bogus']) {
      const bad = await get('sup', url);
      expect(bad.statusCode).toBe(400);
      expect(bad.json<ErrorBody>().error.details?.[0]).toMatchObject({
        field: 'query.status',
        reason: 'unknown_status',
      });
    }
    expect((await get('yunyan', `/api/county-tasks/${task!.id}`)).statusCode).toBe(404);
    expect((await post('yunyan', `/api/county-tasks/${task!.id}/accept`)).statusCode).toBe(404);
    expect((await get('yunyan', `/api/reports/${reportId}`)).statusCode).toBe(404);

    expect(
      (await post('nanming', `/api/county-tasks/${task!.id}/answer`, { answer: '已联系被害人并立案' }))
        .statusCode,
    ).toBe(409);
    const accepted = (await post('nanming', `/api/county-tasks/${task!.id}/accept`)).json<CountyTaskView>();
    expect(accepted).toMatchObject({ status: 'accepted', acceptedBy: 'nanming' });
    expect((await get('nanming', `/api/reports/${reportId}`)).json<ReportView>().status).toBe('accepted');
    await post('nanming', `/api/county-tasks/${task!.id}/contact`, {});
    const answered = (
      await post('nanming', `/api/county-tasks/${task!.id}/answer`, {
        answer: '已电话联系被害人，已立案侦查',
        caseNumber: 'A5201020000002026050001',
      })
    ).json<CountyTaskView>();
    expect(answered).toMatchObject({
      status: 'answered',
      answeredBy: 'nanming',
      caseNumber: 'A5201020000002026050001',
    });
    expect(answered.contactedAt).not.toBeNull();
    // Answered for: the report is closed (办结), and says so on the bus for what follows (callbacks).
    expect((await get('nanming', `/api/reports/${reportId}`)).json<ReportView>().status).toBe('closed');
    const told = await committedEvents(database().db, { subjects: ['report.changed'] });
    expect(
      told.filter((r) => (r.event as EventEnvelope<'report.changed'>).data.id === reportId).at(-1)?.event
        .data,
    ).toMatchObject({ status: 'closed' });
  });

  it('transfers a case to another county with a reason, and flags overdue hand-offs to the supervisor', async () => {
    const { reportId } = await stoppedAccount(NANMING);
    const [task] = await tasks('nanming', `?reportId=${reportId}`);
    const bad = await post('nanming', `/api/county-tasks/${task!.id}/transfer`, {
      countyCode: '110101',
      reason: '被害人实际居住地',
    });
    expect(bad.json<ErrorBody>().error.details?.[0]?.field).toBe('body.countyCode');
    const moved = await post('nanming', `/api/county-tasks/${task!.id}/transfer`, {
      countyCode: YUNYAN,
      reason: '被害人实际居住在云岩区',
    });
    expect(moved.json<CountyTaskView>()).toMatchObject({
      status: 'transferred',
      transferredToCounty: YUNYAN,
    });
    const [taken] = await tasks('yunyan', `?reportId=${reportId}`);
    expect(taken).toMatchObject({ status: 'issued', transferredFromId: task!.id });
    expect((await get('yunyan', `/api/reports/${reportId}`)).json<ReportView>().owningCountyCode).toBe(
      YUNYAN,
    );
    expect((await get('nanming', `/api/reports/${reportId}`)).statusCode).toBe(404);

    await at(h.clock.now().getTime() + 30 * 60_000);
    expect((await tasks('sup', '?overdue=true')).map((t) => t.id)).toContain(taken!.id);
    await h.app.services.legalTimers.sweepOnce();
    const flagged = (await alerts('sup')).find((a) => a.objectId === taken!.id);
    expect(flagged).toMatchObject({ kind: 'task_overdue', threshold: 'accept', countyCode: YUNYAN });
    expect((await alerts('yunyan')).some((a) => a.objectId === taken!.id)).toBe(true);
    expect((await alerts('nanming')).some((a) => a.objectId === taken!.id)).toBe(false);
  });

  it('pushes the hand-off live to its county and the supervisor, and not to another county', async () => {
    const nanming = await openStream(`${base}/api/stream`, c.nanming!);
    const yunyan = await openStream(`${base}/api/stream`, c.yunyan!);
    const sup = await openStream(`${base}/api/stream`, c.sup!);
    try {
      const { reportId } = await stoppedAccount(NANMING);
      const isTask = (m: { type: string; task?: CountyTaskView }) =>
        m.type === 'county-task' && m.task?.reportId === reportId;
      await nanming.waitFor(isTask);
      await sup.waitFor(isTask);
      // The county also follows the case's money live.
      await nanming.waitFor(
        (m: { type: string; request?: StopPaymentView }) =>
          m.type === 'stop-payment' && m.request?.reportId === reportId && m.request.status === 'stopped',
      );
      // A later hand-off of Yunyan's own, on the same ordered stream: had Nanming's reached it, it came first.
      const { reportId: own } = await stoppedAccount(YUNYAN);
      await yunyan.waitFor(
        (m: { type: string; task?: CountyTaskView }) => m.type === 'county-task' && m.task?.reportId === own,
      );
      expect(yunyan.messages.filter((m) => JSON.stringify(m.message).includes(reportId))).toEqual([]);
    } finally {
      nanming.close();
      yunyan.close();
      sup.close();
    }
  });
});
