import type { ErrorBody, TaskDetail, TaskLeague, TaskList, TaskReport, TaskView } from '@fanzha/contracts';
import type { EventEnvelope } from '@fanzha/domain';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, reportWith } from '../../../testing/core-loop-fixtures';
import { committedEvents } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { listAudit, sealAudit } from '../audit/index';
import { messageFor } from '../stream/index';
import type { Actor } from '../../platform/actor';
import { applyTaskEvents } from './index';

const NANMING = '520102';
const YUNYAN = '520103';
const H = 3_600_000;

describeEachStorage('the supervision queue (督办)', (database) => {
  let h: Harness;
  const c: Record<string, string> = {};
  beforeAll(async () => {
    h = await createHarness(database());
    await createCast(h, [
      ['taker', 'call_taker', {}],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
      ['nanming', 'county_police', { countyCode: NANMING }],
      ['yunyan', 'county_police', { countyCode: YUNYAN }],
      ['sup', 'supervisor', {}],
    ]);
    for (const who of ['taker', 'icbc', 'nanming', 'yunyan', 'sup']) c[who] = await h.signIn(who);
  });
  afterAll(() => h.close());

  const deps = () => ({ db: database().db, clock: h.clock });
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });
  const post = (who: string, url: string, payload: object) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]! }, payload });
  const list = async (who: string, query = '') => (await get(who, `/api/tasks${query}`)).json<TaskList>();

  /** A module's report of one of its instructions, as it would publish it, at `occurredAt`. */
  function reported(task: Partial<TaskReport> & Pick<TaskReport, 'sourceId'>, occurredAt = h.clock.now()) {
    const at = h.clock.now().toISOString();
    const report: TaskReport = {
      kind: 'callback',
      title: `回访 ${task.sourceId}`,
      reportId: null,
      owner: { unitKind: 'county', unitCode: NANMING, userId: null },
      openedAt: at,
      dueAt: new Date(h.clock.now().getTime() + H).toISOString(),
      status: 'open',
      doneAt: null,
      feedback: null,
      ...task,
    };
    return {
      id: randomUUID(),
      subject: 'task.reported',
      version: 1,
      occurredAt: occurredAt.toISOString(),
      data: { task: report },
    } as EventEnvelope<'task.reported'>;
  }
  const feed = (...events: EventEnvelope[]) => applyTaskEvents(deps(), events);
  const userId = async (username: string) =>
    (
      await database()
        .db.selectFrom('app_user')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirst()
    )?.id;
  const byTitle = async (title: string) =>
    (await list('sup', '?limit=200&status=all')).tasks.find((t) => t.title === title)!;

  it('lists every kind overdue first, then by deadline; each owner sees only its own unit’s', async () => {
    const now = h.clock.now().getTime();
    await feed(
      reported({ sourceId: 'q-later', dueAt: new Date(now + 5 * H).toISOString() }),
      reported({ sourceId: 'q-soon', kind: 'campaign', dueAt: new Date(now + H).toISOString() }),
      reported({ sourceId: 'q-late', kind: 'complaint', dueAt: new Date(now - H).toISOString() }),
      reported({
        sourceId: 'q-bank',
        kind: 'stop-payment',
        owner: { unitKind: 'bank', unitCode: 'ICBC', userId: null },
        dueAt: new Date(now - 2 * H).toISOString(),
      }),
      reported({ sourceId: 'q-done', status: 'done', doneAt: new Date(now).toISOString() }),
    );
    const all = await list('sup', '?limit=200&status=all');
    const mine = all.tasks.filter((t) => t.sourceId.startsWith('q-'));
    expect(mine.map((t) => t.sourceId)).toEqual(['q-bank', 'q-late', 'q-soon', 'q-later', 'q-done']);
    expect(mine.slice(0, 2).every((t) => t.isOverdue)).toBe(true);

    const county = await list('nanming', `?unitKind=bank&unitCode=ICBC`);
    expect(county.tasks.every((t) => t.owner.unitCode === NANMING)).toBe(true);
    expect((await list('icbc')).tasks.map((t) => t.sourceId)).toEqual(['q-bank']);
    expect((await list('yunyan')).tasks).toEqual([]);
    expect((await list('sup', '?limit=200')).tasks.some((t) => t.sourceId === 'q-done')).toBe(false);
    expect((await get('taker', '/api/tasks')).statusCode).toBe(403);

    const overdue = await list('sup', '?overdue=true');
    expect(overdue.tasks.map((t) => t.sourceId).sort()).toEqual(['q-bank', 'q-late']);
    const page = await list('sup', '?kind=callback&status=all&limit=1&offset=1');
    expect(page).toMatchObject({ offset: 1, total: 2 });
    expect(page.tasks.map((t) => t.sourceId)).toEqual(['q-done']);
  });

  it('an older event arriving late never regresses a task; a redelivered batch changes nothing', async () => {
    const first = h.clock.now();
    const opened = reported({ sourceId: 'o-1' }, first);
    const done = reported(
      { sourceId: 'o-1', status: 'done', doneAt: first.toISOString(), feedback: '已回访' },
      new Date(first.getTime() + 60_000),
    );
    await feed(done);
    await feed(opened);
    await feed(done, opened);
    const [task] = (await list('sup', '?limit=200&status=all')).tasks.filter((t) => t.sourceId === 'o-1');
    expect(task).toMatchObject({ status: 'done', feedback: '已回访' });
  });

  it('the supervisor urges (催办): audited, published, idempotent by key; the county sees the urge', async () => {
    await feed(reported({ sourceId: 'u-1', dueAt: new Date(h.clock.now().getTime() - H).toISOString() }));
    const task = await byTitle('回访 u-1');
    const before = await committedEvents(database().db, { subjects: ['task.urged'] });
    const urged = await post('sup', `/api/tasks/${task.id}/urge`, {
      note: '请立即回访被害人',
      key: 'urge-u-1',
    });
    expect(urged.statusCode).toBe(200);
    expect(urged.json<TaskView>()).toMatchObject({
      urgeCount: 1,
      lastUrgedBy: 'sup',
      lastUrgeNote: '请立即回访被害人',
    });
    const again = await post('sup', `/api/tasks/${task.id}/urge`, {
      note: '请立即回访被害人',
      key: 'urge-u-1',
    });
    expect(again.json<TaskView>().urgeCount).toBe(1);

    const events = await committedEvents(database().db, { subjects: ['task.urged'] });
    expect(events.length - before.length).toBe(1);
    expect(events.at(-1)!.event.data).toMatchObject({ note: '请立即回访被害人', task: { id: task.id } });
    // Live: the supervisor and the task's county see the urge on their stream; another county does not.
    const actor = (role: Actor['role'], countyCode: string | null) =>
      ({ role, countyCode, bankCode: null, operatorCode: null }) as Actor;
    const urgedEvent = events.at(-1)!.event;
    expect(messageFor(actor('county_police', NANMING), urgedEvent)).toMatchObject({
      type: 'task',
      action: 'urge',
      entry: { id: task.id, urgeCount: 1 },
    });
    expect(messageFor(actor('supervisor', null), urgedEvent)).toBeDefined();
    expect(messageFor(actor('county_police', YUNYAN), urgedEvent)).toBeUndefined();
    await sealAudit(database().db);
    const audit = await listAudit(database().db, { limit: 50, action: 'task.urge' });
    expect(audit.filter((a) => a.objectId === task.id && a.result === 'success')).toHaveLength(1);

    const seen = (await get('nanming', `/api/tasks/${task.id}`)).json<TaskDetail>();
    expect(seen).toMatchObject({ urgeCount: 1, lastUrgeNote: '请立即回访被害人' });
    expect(seen.history).toMatchObject([{ action: 'urge', by: 'sup', note: '请立即回访被害人' }]);
    expect((await get('yunyan', `/api/tasks/${task.id}`)).statusCode).toBe(404);
    // Only the supervisor supervises.
    expect((await post('nanming', `/api/tasks/${task.id}/urge`, { note: '自己催自己' })).statusCode).toBe(
      403,
    );
  });

  it('refuses bad input with the one error shape and changes nothing', async () => {
    await feed(reported({ sourceId: 'b-1' }));
    const task = await byTitle('回访 b-1');
    const nanmingId = (await userId('nanming'))!;
    const cases: Array<[string, object, string]> = [
      ['urge', { note: '催办', extra: 1 }, 'body.extra'],
      ['urge', {}, 'body.note'],
      ['reassign', { to: { unitKind: 'county', unitCode: '999999' }, reason: '改派' }, 'body.to.unitCode'],
      ['reassign', { to: { unitKind: 'county', unitCode: NANMING }, reason: '改派' }, 'body.to'],
      ['reassign', { to: { unitKind: 'planet', unitCode: 'x' }, reason: '改派' }, 'body.to.unitKind'],
      // A code shaped like a bank's that no bank has: a task nobody would ever see.
      ['reassign', { to: { unitKind: 'bank', unitCode: 'ZZZZ9' }, reason: '改派' }, 'body.to.unitCode'],
      // A person who does not exist, or is not of the unit named (their scope would never show them the task).
      [
        'reassign',
        { to: { unitKind: 'centre', unitCode: 'centre', userId: randomUUID() }, reason: '改派' },
        'body.to.userId',
      ],
      [
        'reassign',
        { to: { unitKind: 'county', unitCode: YUNYAN, userId: nanmingId }, reason: '改派' },
        'body.to.userId',
      ],
      ['escalate', { reason: '' }, 'body.reason'],
    ];
    for (const [action, body, field] of cases) {
      const res = await post('sup', `/api/tasks/${task.id}/${action}`, body);
      expect(res.statusCode, `${action} ${JSON.stringify(body)}`).toBe(400);
      const error = res.json<ErrorBody>().error;
      expect(error.code).toBe('validation_failed');
      expect(error.details?.[0]?.field, JSON.stringify(error)).toBe(field);
    }
    expect((await get('sup', '/api/tasks?overdue=maybe')).statusCode).toBe(400);
    expect((await get('sup', '/api/tasks?limit=0')).statusCode).toBe(400);
    expect((await post('sup', `/api/tasks/${randomUUID()}/urge`, { note: '催办' })).statusCode).toBe(404);
    const after = (await get('sup', `/api/tasks/${task.id}`)).json<TaskDetail>();
    expect(after).toMatchObject({ urgeCount: 0, escalationLevel: 0, isReassigned: false, history: [] });
  });

  it('reassigns to another unit (kept against later reports) and escalates once to the commander', async () => {
    await feed(reported({ sourceId: 'r-1' }));
    const task = await byTitle('回访 r-1');
    const yunyanId = await userId('yunyan');
    const moved = await post('sup', `/api/tasks/${task.id}/reassign`, {
      to: { unitKind: 'county', unitCode: YUNYAN, userId: yunyanId },
      reason: '被害人已搬至云岩区',
    });
    expect(moved.json<TaskView>()).toMatchObject({
      owner: { unitCode: YUNYAN, userId: yunyanId },
      isReassigned: true,
    });
    await feed(reported({ sourceId: 'r-1', feedback: '已联系' }, new Date(h.clock.now().getTime() + 1000)));
    expect((await get('yunyan', `/api/tasks/${task.id}`)).json<TaskDetail>()).toMatchObject({
      owner: { unitCode: YUNYAN },
      feedback: '已联系',
      history: [{ action: 'reassign', fromOwner: { unitCode: NANMING }, toOwner: { unitCode: YUNYAN } }],
    });
    expect((await get('nanming', `/api/tasks/${task.id}`)).statusCode).toBe(404);

    const up = await post('sup', `/api/tasks/${task.id}/escalate`, { reason: '两次催办无果' });
    expect(up.json<TaskView>()).toMatchObject({ escalationLevel: 1 });
    expect((await post('sup', `/api/tasks/${task.id}/escalate`, { reason: '再次上报' })).statusCode).toBe(
      409,
    );
    await feed(reported({ sourceId: 'r-1', status: 'cancelled' }, new Date(h.clock.now().getTime() + 2000)));
    expect((await post('sup', `/api/tasks/${task.id}/urge`, { note: '已撤销仍催' })).statusCode).toBe(409);
  });

  it('a reassignment retried with its key answers the task as it stands, changing nothing', async () => {
    await feed(reported({ sourceId: 'k-1' }));
    const task = await byTitle('回访 k-1');
    const body = { to: { unitKind: 'bank', unitCode: 'ICBC' }, reason: '由银行回访', key: 'reassign-k-1' };
    const first = await post('sup', `/api/tasks/${task.id}/reassign`, body);
    expect(first.statusCode, first.body).toBe(200);
    const again = await post('sup', `/api/tasks/${task.id}/reassign`, body);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<TaskView>()).toMatchObject({ owner: { unitKind: 'bank', unitCode: 'ICBC' } });
    const detail = (await get('sup', `/api/tasks/${task.id}`)).json<TaskDetail>();
    expect(detail.history.map((a) => a.action)).toEqual(['reassign']);
  });

  it('reassigning a county hand-off transfers it through the county-tasks module', async () => {
    const after = (await committedEvents(database().db)).at(-1)?.id ?? 0;
    const { id: reportId, report } = await reportWith(
      h,
      c.taker!,
      [{ number: cardOf('ICBC', 7001), amountFen: 500_000 }],
      {
        complete: true,
        countyCode: NANMING,
      },
    );
    expect(
      (await post('taker', `/api/reports/${reportId}/submit`, { version: report.version })).statusCode,
    ).toBe(200);
    const pump = async (from: number) => {
      const events = await committedEvents(database().db, { after: from });
      await feed(...events.map((e) => e.event));
      return events.at(-1)?.id ?? from;
    };
    const seen = await pump(after);
    const [handOff] = (await list('sup', `?reportId=${reportId}&kind=county-task`)).tasks;
    expect(handOff).toMatchObject({ owner: { unitKind: 'county', unitCode: NANMING }, status: 'open' });

    const bank = await post('sup', `/api/tasks/${handOff!.id}/reassign`, {
      to: { unitKind: 'bank', unitCode: 'ICBC' },
      reason: '改派银行',
    });
    expect(bank.json<ErrorBody>().error.details?.[0]).toMatchObject({ reason: 'county_only' });
    const moved = await post('sup', `/api/tasks/${handOff!.id}/reassign`, {
      to: { unitKind: 'county', unitCode: YUNYAN },
      reason: '被害人户籍在云岩区',
    });
    expect(moved.statusCode).toBe(200);
    await pump(seen);
    const tasks = (await list('sup', `?reportId=${reportId}&kind=county-task&status=all`)).tasks;
    expect(tasks.map((t) => `${t.owner.unitCode}:${t.status}`).sort()).toEqual([
      `${NANMING}:cancelled`,
      `${YUNYAN}:open`,
    ]);
  });

  it('ranks units in a week: due, done on time, on-time rate, median time to done, overdue now', async () => {
    // 2026-05-01 is a Friday (China time): the week runs from Monday 2026-04-27 00:00 (+08:00).
    const opened = '2026-04-28T00:00:00.000Z';
    const due = '2026-04-29T00:00:00.000Z';
    const bank = (sourceId: string, unitCode: string, over: Partial<TaskReport> = {}) =>
      reported({
        sourceId,
        kind: 'stop-payment',
        owner: { unitKind: 'bank', unitCode, userId: null },
        openedAt: opened,
        dueAt: due,
        ...over,
      });
    await feed(
      bank('l-1', 'CCB', { status: 'done', doneAt: '2026-04-28T01:00:00.000Z' }),
      bank('l-2', 'CCB', { status: 'done', doneAt: '2026-04-28T03:00:00.000Z' }),
      bank('l-3', 'CCB', { status: 'done', doneAt: '2026-04-30T00:00:00.000Z' }),
      bank('l-4', 'CCB'),
      bank('l-5', 'ABC', { dueAt: '2026-04-20T00:00:00.000Z' }),
    );
    const res = await get('sup', '/api/tasks/league?unitKind=bank&period=week&at=2026-05-01');
    const league = res.json<TaskLeague>();
    expect(league).toMatchObject({ from: '2026-04-26T16:00:00.000Z', to: '2026-05-03T16:00:00.000Z' });
    expect(league.units.find((u) => u.unitCode === 'CCB')).toEqual({
      unitCode: 'CCB',
      due: 4,
      doneOnTime: 2,
      onTimeRate: 0.5,
      medianDoneS: 3 * 3600,
      overdueOpen: 1,
    });
    expect(league.units.find((u) => u.unitCode === 'ABC')).toMatchObject({
      due: 0,
      onTimeRate: null,
      overdueOpen: 1,
    });
    expect((await get('nanming', '/api/tasks/league?unitKind=bank&period=week')).statusCode).toBe(403);
    expect((await get('sup', '/api/tasks/league?unitKind=bank&period=year')).statusCode).toBe(400);
    // Year 0 is no day a date holds (the contract's), and Date.UTC reads the year 1 as 1901: days before 1970
    // are refused.
    for (const [at, reason] of [
      ['0000-01-01', 'too_small'],
      ['0001-01-01', 'too_early'],
      ['1969-12-31', 'too_early'],
    ]) {
      const early = await get('sup', `/api/tasks/league?unitKind=bank&period=month&at=${at}`);
      expect(early.statusCode, early.body).toBe(400);
      expect(early.json<ErrorBody>().error.details).toEqual([
        expect.objectContaining({ field: 'query.at', reason }),
      ]);
    }
    // The week of 9999-12-31 ends in the year 10000.
    const late = await get('sup', '/api/tasks/league?unitKind=bank&period=week&at=9999-12-31');
    expect(late.statusCode, late.body).toBe(400);
    expect(late.json<ErrorBody>().error.details).toEqual([
      expect.objectContaining({ field: 'query.at', reason: 'too_late' }),
    ]);
  });
});
