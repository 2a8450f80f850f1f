import { randomUUID } from 'node:crypto';
import type { WallSummary } from '@fanzha/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { dayStart, monthStart } from './china-time';

const HOUR_MS = 3_600_000;

describeEachStorage('the command wall: callbacks (回访) and the supervision queue (督办)', (database) => {
  let h: Harness;
  const c: Record<string, string> = {};

  beforeAll(async () => {
    // 10:00 China time on 2 May: yesterday is in this month, 30 April is not.
    h = await createHarness(database(), { start: '2026-05-02T02:00:00Z' });
    const users = [
      ['wall', 'wall', {}],
      ['taker', 'call_taker', {}],
    ] as const;
    await createCast(h, users);
    Object.assign(c, await signInCast(h, users));
  });
  afterAll(() => h.close());

  const summary = async (cookie = c.wall!) => {
    const res = await h.app.inject({ method: 'GET', url: '/api/wall/summary', headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.json<WallSummary>(), text: res.body };
  };

  async function callback(at: Date, status: string, satisfaction: number | null, complaint = false) {
    await database()
      .db.insertInto('callback')
      .values({
        id: randomUUID(),
        kind: 'report_closed',
        source_id: randomUUID(),
        county_code: '520102',
        person_name: null,
        person_phone: null,
        status: status as 'open',
        satisfaction,
        has_complaint: complaint,
        source_at: at,
        created_at: at,
        updated_at: at,
        closed_at: status === 'open' ? null : at,
      })
      .execute();
  }

  async function task(kind: string, dueInH: number | null, status: 'open' | 'done' = 'open') {
    const now = h.clock.now();
    await database()
      .db.insertInto('task')
      .values({
        id: randomUUID(),
        kind,
        source_id: randomUUID(),
        title: `${kind} task`,
        report_id: null,
        owner_unit_kind: 'county',
        owner_unit_code: '520102',
        owner_user_id: null,
        opened_at: now,
        due_at: dueInH === null ? null : new Date(now.getTime() + dueInH * HOUR_MS),
        status,
        done_at: status === 'done' ? now : null,
        feedback: null,
        source_at: now,
        updated_at: now,
      })
      .execute();
  }

  /** The same figures by SQL over the callback table, callbacks made in [from, to). */
  async function callbackSql(from: Date, to: Date) {
    const r = await sql<{ closed: number; reached: number; complaints: number; mean: number | null }>`
      select count(*) filter (where status in ('done', 'unreachable', 'refused'))::int as closed,
             count(*) filter (where status = 'done')::int as reached,
             count(*) filter (where has_complaint)::int as complaints,
             avg(satisfaction)::float8 as mean
        from callback where created_at >= ${from} and created_at < ${to}`.execute(database().db);
    return r.rows[0]!;
  }

  it('shows callbacks closed today and this month, reach rate, satisfaction and complaints, as SQL does', async () => {
    const now = h.clock.now();
    const today = dayStart(now);
    await callback(new Date(today.getTime() + HOUR_MS), 'done', 5);
    await callback(new Date(today.getTime() + HOUR_MS), 'done', 2, true);
    await callback(new Date(today.getTime() + HOUR_MS), 'unreachable', null);
    await callback(new Date(today.getTime() + HOUR_MS), 'open', null);
    await callback(new Date(today.getTime() - 2 * HOUR_MS), 'done', 4); // yesterday, this month
    await callback(new Date(monthStart(now).getTime() - HOUR_MS), 'done', 1, true); // last month

    const { body, text } = await summary();
    const tomorrow = new Date(today.getTime() + 24 * HOUR_MS);
    for (const [figures, from] of [
      [body.callbacks.today, today],
      [body.callbacks.month, monthStart(now)],
    ] as const) {
      const want = await callbackSql(from, tomorrow);
      expect(figures.closed).toBe(want.closed);
      expect(figures.reached).toBe(want.reached);
      expect(figures.complaints).toBe(want.complaints);
      expect(figures.reachRate).toBeCloseTo(want.reached / want.closed, 3);
      expect(figures.meanSatisfaction).toBeCloseTo(want.mean!, 2);
    }
    expect(body.callbacks.today).toEqual({
      closed: 3,
      reached: 2,
      reachRate: 0.667,
      meanSatisfaction: 3.5,
      complaints: 1,
    });
    expect(body.callbacks.month.closed).toBe(4);
    // Aggregates only: no county, no person.
    expect(text).not.toContain('"callbackId"');
  });

  it('shows open and overdue tasks of every kind, at most three kinds, most overdue first, as SQL does', async () => {
    await task('freeze', -2);
    await task('freeze', -1);
    await task('freeze', 5);
    await task('stop-payment', -3);
    await task('stop-payment', 1);
    await task('county-task', 4);
    await task('return', null);
    await task('return', -5, 'done');

    const { body } = await summary();
    const want = await sql<{ kind: string; open: number; overdue: number }>`
      select kind, count(*)::int as open, count(*) filter (where due_at < ${h.clock.now()})::int as overdue
        from task where status = 'open' group by kind`.execute(database().db);
    expect(body.tasks.open).toBe(want.rows.reduce((s, r) => s + r.open, 0));
    expect(body.tasks.overdue).toBe(want.rows.reduce((s, r) => s + r.overdue, 0));
    expect(body.tasks).toEqual({
      open: 7,
      overdue: 3,
      byKind: [
        { kind: 'freeze', open: 3, overdue: 2 },
        { kind: 'stop-payment', open: 2, overdue: 1 },
        { kind: 'county-task', open: 1, overdue: 0 },
      ],
    });
    // An hour on, the freeze due in 5 h is not yet overdue; the stop-payment due in 1 h is.
    h.clock.advance(90 * 60_000);
    const { wall } = await signInCast(h, [['wall', 'wall', {}]] as const); // the idle session ended
    expect((await summary(wall)).body.tasks.overdue).toBe(4);
  });
});
