import { randomUUID } from 'node:crypto';
import type { ClockStats, IntakeReportInput, StopPaymentView, WallSummary } from '@fanzha/contracts';
import type { EventEnvelope } from '@fanzha/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { committedEvents } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf, draft, queue, type TestBank } from '../../../testing/core-loop-fixtures';
import { openStream } from '../../../testing/sse';
import { dayStart, monthStart } from './china-time';
import { applyWallEvents } from './wall.rollup';

const VICTIM = { name: '张三', phone: '13812345678' };

describeEachStorage('the command wall', (database) => {
  let h: Harness;
  let fed = 0;
  const c: Record<string, string> = {};
  const cards: string[] = [];

  /** The rollup consumer's work, driven by hand: every event committed since the last call, in one batch. */
  async function feed(from = fed): Promise<void> {
    const rows = await committedEvents(database().db, {
      after: from,
      subjects: ['report.changed', 'stop-payment.changed', 'county-task.changed'],
    });
    await applyWallEvents(
      { db: database().db, clock: h.clock, wake: () => undefined },
      rows.map((r) => r.event),
    );
    fed = Math.max(fed, ...rows.map((r) => r.id));
  }

  const get = async <T>(url: string, cookie = c.wall!) => {
    const res = await h.app.inject({ method: 'GET', url, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.json<T>(), text: res.body };
  };
  const post = (cookie: string, url: string, payload: object, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie, ...headers }, payload });

  async function fileReport(opts: { county: string; type: IntakeReportInput['fraudType']; bank: TestBank }) {
    const number = cardOf(opts.bank, 9000 + cards.length);
    cards.push(number);
    const body = draft({
      at: h.clock.now(),
      transfers: [{ number, amountFen: 5_000_000, name: '王五' }],
      countyCode: opts.county,
      complete: true,
    });
    const id = randomUUID();
    const res = await post(c.taker!, '/api/reports', {
      ...body,
      id,
      version: undefined,
      fraudType: opts.type,
      victim: { ...body.victim, ...VICTIM },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { id, number };
  }

  async function answer(reportId: string, bankCookie: string, outcome: 'stopped' | 'failed', afterS: number) {
    const [pending] = await queue(h, c.desk!, `?reportId=${reportId}`);
    const sent = await post(c.desk!, `/api/stop-payments/${pending!.id}/send`, {
      legalDocNumber: 'GZ-ZF-0001',
    });
    expect(sent.statusCode, sent.body).toBe(200);
    h.clock.advance(afterS * 1000);
    const res = await post(
      bankCookie,
      `/api/bank/instructions/${pending!.id}/result`,
      outcome === 'stopped'
        ? { outcome, stoppedFen: 3_100_000, balanceFen: 3_100_000, onwardTransfers: [] }
        : { outcome, failureReason: 'nothing_to_stop', stoppedFen: 0, onwardTransfers: [] },
      { 'idempotency-key': randomUUID() },
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json<StopPaymentView>();
  }

  beforeAll(async () => {
    h = await createHarness(database(), { start: '2026-05-01T02:00:00Z' });
    const users = [
      ['taker', 'call_taker', {}],
      ['desk', 'stop_payment_officer', {}],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
      ['ccb', 'bank_liaison', { bankCode: 'CCB' }],
      ['wall', 'wall', {}],
    ] as const;
    await createCast(h, users);
    Object.assign(c, await signInCast(h, users));
  });
  afterAll(() => h.close());

  it('counts what SQL over the base tables counts', async () => {
    const a = await fileReport({ county: '520102', type: 'FAKE_CREDIT_REPAIR', bank: 'ICBC' });
    const b = await fileReport({ county: '520102', type: 'TASK_REBATE', bank: 'CCB' });
    await fileReport({ county: '522301', type: 'TASK_REBATE', bank: 'ICBC' });
    await answer(a.id, c.icbc!, 'stopped', 95);
    await answer(b.id, c.ccb!, 'failed', 240);
    await feed();

    const { body: wall, text } = await get<WallSummary>('/api/wall/summary');
    const now = h.clock.now();
    const { db } = database();
    const received = await db
      .selectFrom('report')
      .select([
        sql<number>`count(*)::int`.as('n'),
        sql<number>`coalesce(sum(total_loss_fen), 0)::bigint`.as('fen'),
      ])
      .where('status', '<>', 'draft')
      .where('call_answered_at', '>=', dayStart(now))
      .executeTakeFirstOrThrow();
    const stopped = await db
      .selectFrom('stop_payment')
      .select([
        sql<number>`count(*)::int`.as('n'),
        sql<number>`coalesce(sum(stopped_fen), 0)::bigint`.as('fen'),
      ])
      .where('outcome', '=', 'stopped')
      .where('answered_at', '>=', dayStart(now))
      .executeTakeFirstOrThrow();
    expect(wall.today).toMatchObject({
      reports: received.n,
      lossFen: received.fen,
      stoppedAccounts: stopped.n,
      stoppedFen: stopped.fen,
    });
    expect(wall.today.reports).toBe(3);
    expect(wall.month).toEqual(wall.today);

    const { body: clock } = await get<ClockStats>('/api/stats/clock');
    expect(wall.clock).toEqual({
      reports: clock.reports,
      reached: clock.toFirstStopResult.reached,
      medianS: clock.toFirstStopResult.medianS,
      p90S: clock.toFirstStopResult.p90S,
      withinTarget: Math.round((clock.withinTargetShare ?? 0) * clock.reports),
      withinTargetShare: clock.withinTargetShare,
      targetS: 180,
    });
    expect(wall.clock).toMatchObject({ reports: 3, reached: 2, withinTarget: 1 });

    const counties = await db
      .selectFrom('report')
      .select([
        'victim_county_code',
        sql<number>`count(*)::int`.as('n'),
        sql<number>`sum(total_loss_fen)::bigint`.as('fen'),
      ])
      .where('status', '<>', 'draft')
      .where('call_answered_at', '>=', monthStart(now))
      .groupBy('victim_county_code')
      .orderBy('victim_county_code')
      .execute();
    expect(wall.counties.map((x) => [x.code, x.reportsMonth, x.lossMonthFen])).toEqual(
      counties.map((x) => [x.victim_county_code, x.n, x.fen]),
    );
    expect(Object.fromEntries(wall.fraudTypes.month.map((t) => [t.code, t.reports]))).toEqual({
      TASK_REBATE: 2,
      FAKE_CREDIT_REPAIR: 1,
    });
    expect(wall.hourly).toHaveLength(24);
    expect(wall.hourly.at(-1)?.reports).toBe(3);

    const banks = await db
      .selectFrom('stop_payment')
      .select([
        'bank_code',
        sql<number>`count(*)::int`.as('n'),
        sql<number>`percentile_cont(0.5) within group (order by extract(epoch from answered_at - sent_at))::float8`.as(
          'p50',
        ),
      ])
      .where('answered_at', 'is not', null)
      .groupBy('bank_code')
      .orderBy('bank_code')
      .execute();
    expect(
      wall.banks
        .map((x) => [x.bankCode, x.answered, x.medianS])
        .sort(([p], [q]) => String(p).localeCompare(String(q))),
    ).toEqual(banks.map((x) => [x.bank_code, x.n, x.p50]));
    expect(wall.lapse).toMatchObject({ inForce: 1, count: 0 });

    expect(wall.ticker.map((t) => t.text)).toContain('贵阳市南明区 · 虚假征信 · ¥50,000 · 已止付 ¥31,000');
    for (const secret of [VICTIM.name, VICTIM.phone, '王五', ...cards]) expect(text).not.toContain(secret);
  });

  it('changes nothing when the same events come again', async () => {
    const before = (await get<WallSummary>('/api/wall/summary')).body;
    await feed(0);
    expect((await get<WallSummary>('/api/wall/summary')).body).toEqual(before);
  });

  it('shows stops near the end of their 48 hours, and overdue hand-offs, as SQL does', async () => {
    const { db } = database();
    const handoffs = async () => {
      const now = h.clock.now();
      const rows = await db
        .selectFrom('county_task')
        .select([
          'county_code',
          sql<number>`count(*)::int`.as('open'),
          sql<number>`count(*) filter (where due_at <= ${now} or (status = 'issued' and accept_due_at <= ${now}))::int`.as(
            'overdue',
          ),
        ])
        .where('status', 'in', ['issued', 'accepted', 'contacted'])
        .groupBy('county_code')
        .orderBy('county_code')
        .execute();
      return {
        open: rows.reduce((n, r) => n + r.open, 0),
        overdue: rows.reduce((n, r) => n + r.overdue, 0),
        byCounty: rows.filter((r) => r.overdue > 0).map((r) => ({ code: r.county_code, overdue: r.overdue })),
      };
    };
    const before = (await get<WallSummary>('/api/wall/summary')).body;
    expect(before.handoffs).toEqual(await handoffs());
    expect(before.handoffs.open).toBeGreaterThan(0);
    expect(before.handoffs.overdue).toBe(0);

    h.clock.advance(37 * 3_600_000);
    c.wall = await h.signIn('wall');
    const wall = (await get<WallSummary>('/api/wall/summary')).body;
    expect(wall.handoffs).toEqual(await handoffs());
    expect(wall.handoffs.overdue).toBe(wall.handoffs.open);
    expect(wall.lapse).toMatchObject({ inForce: 1, count: 1, stoppedFen: 3_100_000 });
    expect(wall.lapse.next[0]).toMatchObject({ bankCode: 'ICBC', layer: 1, stoppedFen: 3_100_000 });
    for (const username of ['taker', 'desk', 'icbc', 'ccb']) c[username] = await h.signIn(username);
  });

  it('pushes new ticker lines to the wall, and nothing of it to a call-taker', async () => {
    const base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const wall = await openStream(`${base}/api/stream`, c.wall!);
    const taker = await openStream(`${base}/api/stream`, c.taker!);
    try {
      await fileReport({ county: '520112', type: 'ROMANCE', bank: 'ICBC' });
      await feed();
      const pushed = await wall.waitFor((m) => m.type === 'wall', 3000);
      expect(pushed.message).toMatchObject({
        type: 'wall',
        ticker: [{ kind: 'received', countyCode: '520112' }],
      });
      // The stream is ordered: once the call-taker has a later report of its own, and the wall the push
      // that follows it, anything that was going to reach either of them has arrived.
      const later = await fileReport({ county: '520112', type: 'ROMANCE', bank: 'CCB' });
      await taker.waitFor((m) => m.type === 'report' && m.report.id === later.id, 3000);
      await feed();
      await wall.waitFor((m) => m.type === 'wall' && m !== pushed.message, 3000);
      expect(taker.messages.filter((m) => m.message.type === 'wall')).toEqual([]);
      expect(wall.messages.filter((m) => m.message.type !== 'wall')).toEqual([]);
      for (const secret of [VICTIM.name, VICTIM.phone, ...cards])
        expect(JSON.stringify(wall.messages)).not.toContain(secret);
    } finally {
      wall.close();
      taker.close();
    }
  });

  it('counts warnings (预警) and persuasions (劝阻) from episodes, each once', async () => {
    const before = (await get<WallSummary>('/api/wall/summary')).body.today;
    const id = randomUUID();
    const now = h.clock.now().toISOString();
    const summary = (version: number, over: object) => ({
      id,
      countyCode: '520102',
      countyName: null,
      routedBy: 'signal',
      grade: 'high',
      step: 'sms',
      isOpen: true,
      isOverdue: false,
      closeReason: null,
      personPhoneMasked: '138****5678',
      openedAt: now,
      lastWarningAt: now,
      warningCount: 1,
      dueAt: null,
      reachBy: null,
      takenBy: null,
      takenAt: null,
      closedAt: null,
      version,
      ...over,
    });
    const envelope = (subject: 'episode.opened' | 'episode.changed', data: object) =>
      ({ id: randomUUID(), subject, version: 1, occurredAt: now, data }) as EventEnvelope;
    const events = [
      envelope('episode.opened', { episode: summary(1, {}) }),
      envelope('episode.changed', { episode: summary(2, { warningCount: 3 }), change: 'warning' }),
      envelope('episode.changed', {
        episode: summary(3, {
          warningCount: 3,
          isOpen: false,
          step: 'closed',
          closeReason: 'persuaded',
          closedAt: now,
        }),
        change: 'persuaded',
      }),
    ];
    const wallDeps = { db: database().db, clock: h.clock, wake: () => undefined };
    await applyWallEvents(wallDeps, events);
    // Redelivered, and an older view arriving late: nothing counts twice or is undone.
    await applyWallEvents(wallDeps, [...events].reverse());
    const { body } = await get<WallSummary>('/api/wall/summary');
    expect(body.capabilities.warnings).toBe(true);
    expect(body.today.warnings - before.warnings).toBe(3);
    expect(body.today.persuasions - before.persuasions).toBe(1);
    expect(body.month.warnings).toBeGreaterThanOrEqual(body.today.warnings);
  });

  it('refuses roles without the wall', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/wall/summary', headers: { cookie: c.icbc! } });
    expect(res.statusCode).toBe(403);
  });
});
