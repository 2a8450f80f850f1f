import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type {
  CallbackView,
  CountyTaskList,
  IntakeReportInput,
  PeriodReportDetail,
  PeriodReportList,
  TaskReport,
} from '@fanzha/contracts';
import type { EventEnvelope } from '@fanzha/domain';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { committedEvents, harnessFieldKeys } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf, draft, queue, type TestBank } from '../../../testing/core-loop-fixtures';
import { withFieldKeys } from '../../platform/crypto/field-cipher';
import { scheduleCallbacks } from '../callbacks/index';
import { applyTaskEvents } from '../tasks/index';
import { applyWallEvents } from '../wall/index';

const NANMING = '520102';
const KAILI = '522601';
// 2026-05-01 10:00 in China.
const START = '2026-05-01T02:00:00Z';
const FROM = new Date('2026-04-30T16:00:00Z');
const TO = new Date('2026-05-01T16:00:00Z');

describeEachStorage('period reports (日报/周报/月报)', (database) => {
  let h: Harness;
  let fed = 0;
  const c: Record<string, string> = {};
  let seq = 0;

  async function feed(): Promise<void> {
    const rows = await committedEvents(database().db, {
      after: fed,
      subjects: ['report.changed', 'stop-payment.changed', 'county-task.changed'],
    });
    await applyWallEvents(
      { db: database().db, clock: h.clock, wake: () => undefined },
      rows.map((r) => r.event),
    );
    fed = Math.max(fed, ...rows.map((r) => r.id));
    // The supervision queue takes every module's `task.reported` (stops, hand-offs, callbacks…).
    const all = await committedEvents(database().db, { after: fedTasks });
    await applyTaskEvents(
      { db: database().db, clock: h.clock },
      all.map((r) => r.event),
    );
    fedTasks = Math.max(fedTasks, ...all.map((r) => r.id));
  }
  let fedTasks = 0;
  const envelope = (subject: string, data: unknown, at = h.clock.now()) =>
    ({ id: randomUUID(), subject, version: 1, occurredAt: at.toISOString(), data }) as EventEnvelope;
  /** An instruction of some module as it would report it to the queue (see the tasks module's tests). */
  const task = (t: Partial<TaskReport> & Pick<TaskReport, 'sourceId' | 'kind' | 'owner' | 'dueAt'>) =>
    envelope('task.reported', {
      task: {
        title: `任务 ${t.sourceId}`,
        reportId: null,
        openedAt: h.clock.now().toISOString(),
        status: 'open',
        doneAt: null,
        feedback: null,
        ...t,
      } satisfies TaskReport,
    });
  const post = (cookie: string, url: string, payload: object, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie, ...headers }, payload });
  const get = (cookie: string, url: string) => h.app.inject({ method: 'GET', url, headers: { cookie } });

  async function fileReport(
    county: string,
    type: IntakeReportInput['fraudType'],
    bank: TestBank,
    fen: number,
  ) {
    const body = draft({
      at: h.clock.now(),
      transfers: [{ number: cardOf(bank, 7000 + ++seq), amountFen: fen }],
      countyCode: county,
      complete: true,
    });
    const id = randomUUID();
    const res = await post(c.taker!, '/api/reports', { ...body, id, version: undefined, fraudType: type });
    expect(res.statusCode, res.body).toBe(201);
    return id;
  }

  async function answer(reportId: string, bankCookie: string, outcome: 'stopped' | 'failed', afterS: number) {
    const [pending] = await queue(h, c.desk!, `?reportId=${reportId}`);
    const sent = await post(c.desk!, `/api/stop-payments/${pending!.id}/send`, {
      legalDocNumber: 'GZ-ZF-0002',
    });
    expect(sent.statusCode, sent.body).toBe(200);
    h.clock.advance(afterS * 1000);
    const res = await post(
      bankCookie,
      `/api/bank/instructions/${pending!.id}/result`,
      outcome === 'stopped'
        ? { outcome, stoppedFen: 1_200_000, balanceFen: 1_200_000, onwardTransfers: [] }
        : { outcome, failureReason: 'nothing_to_stop', stoppedFen: 0, onwardTransfers: [] },
      { 'idempotency-key': randomUUID() },
    );
    expect(res.statusCode, res.body).toBe(200);
  }

  const generate = async (cookie: string, payload: object) => {
    const res = await post(cookie, '/api/period-reports', payload);
    return {
      status: res.statusCode,
      body: res.json<PeriodReportDetail & { error?: { code: string; details?: unknown[] } }>(),
    };
  };
  const count = async () =>
    (
      await database()
        .db.selectFrom('period_report')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  beforeAll(async () => {
    h = await createHarness(database(), { start: START });
    const users = [
      ['taker', 'call_taker', {}],
      ['desk', 'stop_payment_officer', {}],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
      ['ccb', 'bank_liaison', { bankCode: 'CCB' }],
      ['sup', 'supervisor', {}],
      ['nanming', 'county_police', { countyCode: NANMING }],
    ] as const;
    await createCast(h, users);
    Object.assign(c, await signInCast(h, users));

    const a = await fileReport(NANMING, 'TASK_REBATE', 'ICBC', 5_000_000);
    const b = await fileReport(NANMING, 'FAKE_INVESTMENT', 'CCB', 2_000_000);
    await fileReport(KAILI, 'TASK_REBATE', 'ICBC', 800_000);
    await answer(a, c.icbc!, 'stopped', 95);
    await answer(b, c.ccb!, 'failed', 900);
    const tasks = (await get(c.nanming!, `/api/county-tasks?reportId=${a}`)).json<CountyTaskList>().tasks;
    expect((await post(c.nanming!, `/api/county-tasks/${tasks[0]!.id}/accept`, {})).statusCode).toBe(200);
    // Callbacks (回访): report a closed, money returned on b; the first reached, unhappy, with a complaint.
    const cipherDb = withFieldKeys(database().db, harnessFieldKeys());
    expect(
      await scheduleCallbacks({ db: cipherDb, clock: h.clock }, [
        envelope('report.changed', { id: a, number: 'x', status: 'closed', version: 3, createdBy: 'taker' }),
        envelope('stop-payment.changed', { request: { reportId: b, returnedFen: 30_000 } }),
      ]),
    ).toBe(2);
    const closedCb = await database()
      .db.selectFrom('callback')
      .select('id')
      .where('kind', '=', 'report_closed')
      .executeTakeFirstOrThrow();
    const reached = await post(c.sup!, `/api/callbacks/${closedCb.id}/attempts`, {
      outcome: 'reached',
      satisfaction: 2,
      complaint: '返还太慢',
    });
    expect(reached.statusCode, reached.body).toBe(200);
    expect(reached.json<CallbackView>()).toMatchObject({ status: 'done', hasComplaint: true });
    // Tasks due on 1 May: one of Nanming's left open past its deadline, one of ICBC's done in time.
    const due = new Date(h.clock.now().getTime() + 3_600_000).toISOString();
    const county = { unitKind: 'county', unitCode: NANMING, userId: null } as const;
    const icbc = { unitKind: 'bank', unitCode: 'ICBC', userId: null } as const;
    await applyTaskEvents({ db: database().db, clock: h.clock }, [
      task({ sourceId: 'visit-1', kind: 'visit', owner: county, dueAt: due }),
      task({ sourceId: 'freeze-1', kind: 'freeze', owner: icbc, dueAt: due }),
    ]);
    h.clock.advance(600_000);
    await applyTaskEvents({ db: database().db, clock: h.clock }, [
      task({
        sourceId: 'freeze-1',
        kind: 'freeze',
        owner: icbc,
        dueAt: due,
        openedAt: new Date(h.clock.now().getTime() - 600_000).toISOString(),
        status: 'done',
        doneAt: h.clock.now().toISOString(),
      }),
    ]);
    // The next day (China time): in the weekly and monthly reports, not in the 1 May daily.
    h.clock.advance(16 * 3_600_000);
    for (const u of Object.keys(c)) c[u] = await h.signIn(u);
    const late = await fileReport(NANMING, 'ROMANCE', 'ICBC', 3_000_000);
    await answer(late, c.icbc!, 'stopped', 30);
    await feed();
    for (const u of Object.keys(c)) c[u] = await h.signIn(u);
  });
  afterAll(() => h.close());

  it('shows in the daily report of 1 May exactly what SQL over the base tables counts', async () => {
    const { status, body } = await generate(c.sup!, { kind: 'daily', date: '2026-05-01' });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({
      kind: 'daily',
      from: '2026-05-01',
      to: '2026-05-02',
      county: null,
      origin: 'demand',
    });
    const f = body.figures;
    const { db } = database();
    const reports = await db
      .selectFrom('report')
      .select([
        sql<number>`count(*)::int`.as('n'),
        sql<number>`coalesce(sum(total_loss_fen), 0)::bigint`.as('fen'),
        sql<number>`count(first_stop_result_at)::int`.as('reached'),
        sql<number>`count(*) filter (where extract(epoch from first_stop_result_at - call_answered_at) <= 180)::int`.as(
          'within',
        ),
        sql<
          number | null
        >`percentile_cont(0.5) within group (order by extract(epoch from first_stop_result_at - call_answered_at))::float8`.as(
          'p50',
        ),
      ])
      .where('submitted_at', 'is not', null)
      .where('call_answered_at', '>=', FROM)
      .where('call_answered_at', '<', TO)
      .executeTakeFirstOrThrow();
    const stopped = await db
      .selectFrom('stop_payment')
      .select([
        sql<number>`count(*)::int`.as('n'),
        sql<number>`coalesce(sum(stopped_fen), 0)::bigint`.as('fen'),
      ])
      .where('outcome', '=', 'stopped')
      .where('answered_at', '>=', FROM)
      .where('answered_at', '<', TO)
      .executeTakeFirstOrThrow();
    expect(f.summary).toMatchObject({
      reports: reports.n,
      lossFen: reports.fen,
      stoppedAccounts: stopped.n,
      stoppedFen: stopped.fen,
    });
    expect(f.summary).toMatchObject({
      reports: 3,
      lossFen: 7_800_000,
      stoppedAccounts: 1,
      stoppedFen: 1_200_000,
    });
    expect(f.clock).toMatchObject({
      reports: reports.n,
      reached: reports.reached,
      withinTarget: reports.within,
      medianS: reports.p50,
    });

    const counties = await db
      .selectFrom('report')
      .select([
        'victim_county_code',
        sql<number>`count(*)::int`.as('n'),
        sql<number>`sum(total_loss_fen)::bigint`.as('fen'),
      ])
      .where('submitted_at', 'is not', null)
      .where('call_answered_at', '>=', FROM)
      .where('call_answered_at', '<', TO)
      .groupBy('victim_county_code')
      .orderBy('victim_county_code')
      .execute();
    expect(f.counties.map((x) => [x.code, x.reports, x.lossFen]).sort()).toEqual(
      counties.map((x) => [x.victim_county_code, x.n, x.fen]),
    );
    const types = await db
      .selectFrom('report')
      .select(['fraud_type', sql<number>`count(*)::int`.as('n')])
      .where('submitted_at', 'is not', null)
      .where('call_answered_at', '>=', FROM)
      .where('call_answered_at', '<', TO)
      .groupBy('fraud_type')
      .orderBy('fraud_type')
      .execute();
    expect(f.fraudTypes.map((x) => [x.code, x.reports]).sort()).toEqual(
      types.map((x) => [x.fraud_type, x.n]),
    );

    const banks = await db
      .selectFrom('stop_payment')
      .select([
        'bank_code',
        sql<number>`count(*)::int`.as('n'),
        sql<number>`count(*) filter (where outcome = 'stopped')::int`.as('stopped'),
        sql<number>`count(*) filter (where extract(epoch from answered_at - sent_at) <= 600)::int`.as(
          'in_time',
        ),
        sql<number>`percentile_cont(0.5) within group (order by extract(epoch from answered_at - sent_at))::float8`.as(
          'p50',
        ),
      ])
      .where('answered_at', '>=', FROM)
      .where('answered_at', '<', TO)
      .groupBy('bank_code')
      .orderBy('bank_code')
      .execute();
    expect(f.banks.map((b) => [b.bankCode, b.answered, b.stopped, b.inTime, b.medianS]).sort()).toEqual(
      banks.map((b) => [b.bank_code, b.n, b.stopped, b.in_time, b.p50]),
    );
    expect(f.banks.find((b) => b.bankCode === 'CCB')).toMatchObject({ answered: 1, inTime: 0 });

    const league = await db
      .selectFrom('county_task')
      .select([
        'county_code',
        sql<number>`count(*)::int`.as('n'),
        sql<number>`count(*) filter (where accepted_at <= accept_due_at)::int`.as('on_time'),
        sql<number>`count(overdue_at)::int`.as('overdue'),
      ])
      .where('issued_at', '>=', FROM)
      .where('issued_at', '<', TO)
      .groupBy('county_code')
      .orderBy('county_code')
      .execute();
    expect(f.countyLeague.map((t) => [t.code, t.handOffs, t.acceptedInTime, t.overdue]).sort()).toEqual(
      league.map((t) => [t.county_code, t.n, t.on_time, t.overdue]),
    );
    expect(f.summary.frozenFen).toBe(0);
    expect(f.notConnected.join()).toContain('技术反制');
    expect(f.notConnected.join()).not.toContain('回访');

    const callbacks = await db
      .selectFrom('callback')
      .select([
        'kind',
        sql<number>`count(*)::int`.as('scheduled'),
        sql<number>`count(*) filter (where status in ('done', 'unreachable', 'refused'))::int`.as('closed'),
        sql<number>`count(*) filter (where status = 'done')::int`.as('reached'),
        sql<number | null>`avg(satisfaction)::float8`.as('mean'),
        sql<number>`count(*) filter (where has_complaint)::int`.as('complaints'),
      ])
      .where('created_at', '>=', FROM)
      .where('created_at', '<', TO)
      .groupBy('kind')
      .orderBy('kind')
      .execute();
    const attempts = await db
      .selectFrom('callback_attempt')
      .innerJoin('callback', 'callback.id', 'callback_attempt.callback_id')
      .select(sql<number>`count(*) filter (where callback_attempt.outcome = 'reached')::int`.as('n'))
      .where('callback.created_at', '>=', FROM)
      .where('callback.created_at', '<', TO)
      .executeTakeFirstOrThrow();
    const cb = f.callbacks!;
    expect(
      cb.byKind
        .filter((k) => k.scheduled > 0)
        .map((k) => [k.kind, k.scheduled, k.closed, k.reached, k.meanSatisfaction, k.complaints])
        .sort(),
    ).toEqual(callbacks.map((r) => [r.kind, r.scheduled, r.closed, r.reached, r.mean, r.complaints]));
    expect(cb.all).toMatchObject({
      scheduled: 2,
      closed: 1,
      reached: attempts.n,
      reachRate: 1,
      complaints: 1,
    });
    expect(cb.byKind.find((k) => k.kind === 'report_closed')).toMatchObject({ meanSatisfaction: 2 });

    const overdue = await db
      .selectFrom('task')
      .select(['kind', sql<number>`count(*)::int`.as('n')])
      .where('opened_at', '<', TO)
      .where('due_at', '<', TO)
      .where(sql<boolean>`(status = 'open' or (status = 'done' and done_at >= ${TO}))`)
      .groupBy('kind')
      .orderBy('kind')
      .execute();
    expect(f.taskQueue!.overdueByKind.map((k) => [k.kind, k.overdue])).toEqual(
      overdue.map((r) => [r.kind, r.n]),
    );
    expect(f.taskQueue!.overdueByKind).toContainEqual({ kind: 'visit', name: '上门劝阻', overdue: 1 });
    expect(f.overdue.taskQueue).toBe(overdue.reduce((a, r) => a + r.n, 0));
    const units = await db
      .selectFrom('task')
      .select([
        'owner_unit_kind',
        'owner_unit_code',
        sql<number>`count(*) filter (where status <> 'cancelled')::int`.as('due'),
        sql<number>`count(*) filter (where status = 'done' and done_at <= due_at)::int`.as('on_time'),
        sql<
          number | null
        >`percentile_cont(0.5) within group (order by extract(epoch from done_at - opened_at)) filter (where status = 'done')::float8`.as(
          'p50',
        ),
      ])
      .where('owner_unit_kind', '<>', 'centre')
      .where('due_at', '>=', FROM)
      .where('due_at', '<', TO)
      .groupBy(['owner_unit_kind', 'owner_unit_code'])
      .orderBy('owner_unit_kind')
      .orderBy('owner_unit_code')
      .execute();
    const rows = f.taskQueue!.leagues.flatMap((l) =>
      l.units
        .filter((u) => u.due > 0)
        .map((u) => [l.unitKind, u.unitCode, u.due, u.doneOnTime, u.medianDoneS]),
    );
    expect(rows.sort()).toEqual(
      units.map((u) => [u.owner_unit_kind, u.owner_unit_code, u.due, u.on_time, u.p50]),
    );
    const icbcRow = f
      .taskQueue!.leagues.find((l) => l.unitKind === 'bank')!
      .units.find((u) => u.unitCode === 'ICBC');
    expect(icbcRow!.doneOnTime).toBeGreaterThanOrEqual(1);
    expect(icbcRow!.name).not.toBe('ICBC');
  });

  it('gives an xlsx whose sheets hold the figures, with formulas and formats', async () => {
    const list = (await get(c.sup!, '/api/period-reports?kind=daily')).json<PeriodReportList>().reports;
    const res = await get(c.sup!, `/api/period-reports/${list[0]!.id}/xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
    expect(decodeURIComponent(String(res.headers['content-disposition']).split("''")[1]!)).toContain('日报');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '概况',
      '三分钟时钟',
      '县区',
      '诈骗类型',
      '银行榜',
      '县区榜',
      '督办',
      '任务榜',
      '回访',
    ]);
    const s = wb.getWorksheet('概况')!;
    expect(s.getCell('A5').value).toBe('接警数 (起)');
    expect(s.getCell('B5').value).toBe(3);
    expect(s.getCell('B6').value).toBe(78_000);
    expect(s.getCell('B6').numFmt).toContain('¥');
    expect(s.getCell('B8').value).toBe(12_000);
    expect(s.getCell('B11').value).toMatchObject({ formula: 'IF(B6=0,"",B8/B6)', result: 12_000 / 78_000 });
    expect(s.getCell('B11').numFmt).toBe('0.0%');
    expect(s.getCell('A14').value).toBe('技术反制');
    expect(s.getCell('B14').value).toBe('尚未接入');
    const cb = wb.getWorksheet('回访')!;
    expect(cb.getCell('A2').value).toBe('结案回访');
    expect(cb.getCell('D2').value).toBe(1);
    expect(cb.getCell('E2').value).toMatchObject({ formula: 'IF(C2=0,"",D2/C2)', result: 1 });
    expect(cb.getCell('E2').numFmt).toBe('0.0%');
    expect(cb.getCell('B5').value).toMatchObject({ formula: 'SUM(B2:B4)', result: 2 });
    const sup = wb.getWorksheet('督办')!;
    expect((sup.getCell('B3').value as { formula: string }).formula).toMatch(/^SUM\(B4:B\d+\)$/);
    const league = wb.getWorksheet('任务榜')!;
    expect(league.getCell('F2').value).toMatchObject({ formula: 'IF(D2=0,"",E2/D2)' });
    expect(s.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const counties = wb.getWorksheet('县区')!;
    expect(counties.getCell('C4').value).toMatchObject({ formula: 'SUM(C2:C3)', result: 3 });
    // The same download twice is the same bytes.
    expect(
      (await get(c.sup!, `/api/period-reports/${list[0]!.id}/xlsx`)).rawPayload.equals(res.rawPayload),
    ).toBe(true);
  });

  it('gives a PDF with Chinese text and figures that renders to a non-blank image', async () => {
    const list = (await get(c.sup!, '/api/period-reports?kind=daily')).json<PeriodReportList>().reports;
    const res = await get(c.sup!, `/api/period-reports/${list[0]!.id}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'period-report-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), res.rawPayload);
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-']).toString();
      for (const s of [
        '日报',
        '贵州省反诈中心',
        '三分钟时钟',
        '贵阳市南明区',
        '¥78,000.00',
        '¥12,000.00',
        '尚未接入',
        '八、回访',
        '结案回访',
        '督办任务榜',
      ])
        expect(text).toContain(s);
      execFileSync('pdftoppm', [
        '-r',
        '40',
        '-f',
        '1',
        '-l',
        '1',
        '-gray',
        join(dir, 'r.pdf'),
        join(dir, 'p'),
      ]);
      const pgm = readFileSync(join(dir, 'p-1.pgm'));
      // A binary PGM: the header's three lines, then one byte per pixel; a blank page is all 255.
      const pixels = pgm.subarray(pgm.length - 40 * 40);
      const dark = [...pgm.subarray(20)].filter((v) => v < 128).length;
      expect(pixels.length).toBeGreaterThan(0);
      expect(dark).toBeGreaterThan(500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets county police make and read their own county’s report only', async () => {
    const own = await generate(c.nanming!, { kind: 'weekly', date: '2026-05-01' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ county: NANMING, from: '2026-04-27', to: '2026-05-04' });
    // Both days' reports of the week, the county's only.
    expect(own.body.figures.summary).toMatchObject({
      reports: 3,
      lossFen: 10_000_000,
      stoppedAccounts: null,
      warnings: null,
    });
    expect(own.body.figures.counties.map((x) => x.code)).toEqual([NANMING]);
    // The county's own callbacks and tasks: its overdue visit, not ICBC's freeze; its own league row only.
    const kaili = await generate(c.sup!, { kind: 'weekly', date: '2026-05-01', county: KAILI });
    expect(kaili.body.figures.callbacks!.all.scheduled).toBe(0);
    expect(own.body.figures.callbacks!.all).toMatchObject({ scheduled: 2, reached: 1, complaints: 1 });
    const queue = own.body.figures.taskQueue!;
    expect(queue.overdueByKind.map((k) => k.kind)).toContain('visit');
    expect(queue.overdueByKind.map((k) => k.kind)).not.toContain('freeze');
    expect(queue.leagues.map((l) => l.unitKind)).toEqual(['county']);
    expect(queue.leagues[0]!.units.map((u) => u.unitCode)).toEqual([NANMING]);
    const other = await generate(c.nanming!, { kind: 'daily', date: '2026-05-01', county: KAILI });
    expect(other.status).toBe(403);
    const centre = (await get(c.sup!, '/api/period-reports'))
      .json<PeriodReportList>()
      .reports.find((r) => r.county === null)!;
    expect((await get(c.nanming!, `/api/period-reports/${centre.id}/pdf`)).statusCode).toBe(404);
    const mine = (await get(c.nanming!, '/api/period-reports')).json<PeriodReportList>().reports;
    expect(mine.map((r) => r.county)).toEqual([NANMING]);
    expect((await get(c.icbc!, '/api/period-reports')).statusCode).toBe(403);
  });

  it('refuses a bad date, a future date, an unknown kind or format, with the one error shape and nothing made', async () => {
    const before = await count();
    for (const payload of [
      { kind: 'daily', date: '2026-13-01' },
      { kind: 'daily', date: '2026-05-03' },
      { kind: 'yearly', date: '2026-05-01' },
      { kind: 'daily', date: '2026-05-01', extra: 1 },
      { kind: 'daily' },
    ]) {
      const { status, body } = await generate(c.sup!, payload);
      expect(status, JSON.stringify(payload)).toBe(400);
      expect(body.error).toMatchObject({ code: 'validation_failed' });
    }
    const list = (await get(c.sup!, '/api/period-reports')).json<PeriodReportList>().reports;
    const res = await get(c.sup!, `/api/period-reports/${list[0]!.id}/docx`);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(await count()).toBe(before);
  });

  it('refuses a day before 1970 and a county that does not exist, naming the field, and makes nothing', async () => {
    const before = await count();
    for (const [payload, field, reason] of [
      // Year 0 is no PostgreSQL year, and the years 0–99 are read as 1900–1999 by Date.UTC.
      [{ kind: 'daily', date: '0000-01-01' }, 'body.date', 'too_small'],
      [{ kind: 'weekly', date: '0001-01-02' }, 'body.date', 'too_early'],
      [{ kind: 'monthly', date: '0050-06-01' }, 'body.date', 'too_early'],
      [{ kind: 'daily', date: '1969-12-31' }, 'body.date', 'too_early'],
      [{ kind: 'daily', date: '2026-05-01', county: '529999' }, 'body.county', 'division.unknown'],
    ] as const) {
      const { status, body } = await generate(c.sup!, payload);
      expect(status, JSON.stringify(payload)).toBe(400);
      expect(body.error).toMatchObject({ code: 'validation_failed', details: [{ field, reason }] });
    }
    expect(await count()).toBe(before);
  });

  it('makes the scheduled reports of the day before once, the centre’s and each county’s', async () => {
    const reports = h.app.services.periodReports;
    const after = new Date('2026-05-01T16:30:00Z'); // 2 May, 00:30 in China
    expect(await reports.runSchedule(after)).toBe(3);
    expect(await reports.runSchedule(after)).toBe(0);
    const scheduled = await database()
      .db.selectFrom('period_report')
      .select(['county_code', sql<string>`period_from::text`.as('from')])
      .where('origin', '=', 'schedule')
      .orderBy('county_code')
      .execute();
    expect(scheduled).toEqual([
      { county_code: NANMING, from: '2026-05-01' },
      { county_code: KAILI, from: '2026-05-01' },
      { county_code: null, from: '2026-05-01' },
    ]);
  });
});
