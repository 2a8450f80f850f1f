import { randomUUID } from 'node:crypto';
import type {
  CampaignBeforeAfter,
  CampaignList,
  CampaignView,
  ErrorBody,
  PublicityBrief,
  ReportView,
} from '@fanzha/contracts';
import { addWeeks, chinaWeekOf, type EventEnvelope } from '@fanzha/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, draft, saveDraft } from '../../../testing/core-loop-fixtures';
import { committedEvents, harnessFieldKeys } from '../../../testing/outbox-events';
import { withFieldKeys } from '../../platform/crypto/field-cipher';
import { backfillAgeBands } from '../reports/index';
import { countReports } from './publicity.rollup';

const NANMING = '520102';
const YUNYAN = '520103';
/** Born 2005-03-01 (check digit valid): 21 in 2026, band 18–25. */
const YOUNG_ID = '110101200503010010';

describeEachStorage('publicity: the brief and campaigns', (database) => {
  let h: Harness;
  const c: Record<string, string> = {};
  let seed = 0;
  const reportIds: string[] = [];
  // 2026-05-01 is a Friday; its week starts on Monday 2026-04-27.
  const week = '2026-04-27';

  beforeAll(async () => {
    h = await createHarness(database(), { start: '2026-05-01T04:00:00Z' });
    const cast = [
      ['taker', 'call_taker', {}],
      ['sup', 'supervisor', {}],
      ['analyst', 'analyst', {}],
      ['nanming', 'county_police', { countyCode: NANMING }],
      ['yunyan', 'county_police', { countyCode: YUNYAN }],
    ] as const;
    await createCast(h, cast);
    for (const [u] of cast) c[u] = await h.signIn(u);
  });
  afterAll(() => h.close());

  const post = (who: string, url: string, payload: object = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]! }, payload });
  const taskReports = async () =>
    (await committedEvents(database().db, { subjects: ['task.reported'] })).map(
      (e) => (e.event as EventEnvelope<'task.reported'>).data.task,
    );
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });

  /** A submitted task-rebate report of a young victim in the county, the call answered at `at`. */
  async function report(at: Date, countyCode = NANMING, idNumber: string | null = YOUNG_ID) {
    const id = randomUUID();
    const body = draft({
      at,
      complete: true,
      countyCode,
      transfers: [{ number: cardOf('ICBC', 7000 + ++seed), amountFen: 100_000 }],
    });
    const saved = await saveDraft(h, c.taker!, id, {
      ...body,
      fraudType: 'TASK_REBATE',
      victim: { ...body.victim, idNumber: idNumber ?? undefined },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const submitted = await post('taker', `/api/reports/${id}/submit`, {
      version: saved.json<ReportView>().version,
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    reportIds.push(id);
    return id;
  }

  it('bands each report by its victim’s age at the call and counts it in its week, once', async () => {
    const thisWeek = new Date('2026-04-28T02:00:00Z');
    for (let i = 0; i < 5; i++) await report(thisWeek);
    await report(new Date(`${addWeeks(week, -1)}T03:00:00Z`));
    await report(new Date(`${addWeeks(week, -3)}T03:00:00Z`));
    await report(thisWeek, YUNYAN, null); // no ID number: age unknown
    await countReports(database().db, reportIds);
    await countReports(database().db, reportIds); // again: nothing counts twice
    const bands = await database()
      .db.selectFrom('report')
      .select(['victim_age_band'])
      .where('id', 'in', reportIds)
      .execute();
    expect(bands.map((b) => b.victim_age_band).sort()).toEqual(
      [...Array<string>(7).fill('18-25'), 'unknown'].sort(),
    );
    const weeks = await database()
      .db.selectFrom('publicity_week')
      .select(['week', 'county_code', 'age_band', 'reports', 'loss_fen'])
      .orderBy('week')
      .orderBy('county_code')
      .execute();
    expect(weeks).toEqual([
      { week: addWeeks(week, -3), county_code: NANMING, age_band: '18-25', reports: 1, loss_fen: 100_000 },
      { week: addWeeks(week, -1), county_code: NANMING, age_band: '18-25', reports: 1, loss_fen: 100_000 },
      { week, county_code: NANMING, age_band: '18-25', reports: 5, loss_fen: 500_000 },
      { week, county_code: YUNYAN, age_band: 'unknown', reports: 1, loss_fen: 100_000 },
    ]);
    // The rollup equals the same figures computed by SQL from the reports.
    const direct = await sql<{ n: number }>`
      select count(*)::int as n from report where status <> 'draft' and id in (${sql.join(reportIds)})`.execute(
      database().db,
    );
    expect(weeks.reduce((s, w) => s + w.reports, 0)).toBe(direct.rows[0]!.n);
  });

  it('names the rising group in the brief with its figures; county police see only their county', async () => {
    const res = await get('analyst', `/api/publicity/brief?week=2026-05-01`);
    expect(res.statusCode, res.body).toBe(200);
    const brief = res.json<PublicityBrief>();
    expect(brief.week).toBe(week);
    expect(brief.lines).toEqual([
      {
        countyCode: NANMING,
        countyName: '贵阳市南明区',
        fraudType: 'TASK_REBATE',
        ageBand: '18-25',
        reports: 5,
        lossFen: 500_000,
        baseline: 0.5,
        excess: 4.5,
        change: 9,
        previous: [0, 1, 0, 1],
      },
    ]);
    const yunyan = (
      await get('yunyan', `/api/publicity/brief?week=${week}&county=${NANMING}`)
    ).json<PublicityBrief>();
    expect(yunyan.lines).toEqual([]);
    expect(
      (await get('nanming', `/api/publicity/brief?week=${week}`)).json<PublicityBrief>().lines,
    ).toHaveLength(1);
  });

  const campaignBody = {
    key: 'brief-2026-04-27-520102-1',
    countyCode: NANMING,
    fraudType: 'TASK_REBATE',
    ageBand: '18-25',
    channel: 'school',
    plannedOn: '2026-05-06',
    dueAt: '2026-05-08T10:00:00Z',
    briefWeek: week,
  };
  let campaign: CampaignView;

  it('plans a campaign from a brief line once per key, as a task for the county', async () => {
    const res = await post('analyst', '/api/publicity/campaigns', campaignBody);
    expect(res.statusCode, res.body).toBe(200);
    campaign = res.json<CampaignView>();
    expect(campaign).toMatchObject({
      status: 'planned',
      briefReports: 5,
      briefBaseline: 0.5,
      isOverdue: false,
    });
    const again = await post('analyst', '/api/publicity/campaigns', campaignBody);
    expect(again.json<CampaignView>().id).toBe(campaign.id);
    // The key with another campaign is not a retry: refused, never answered with the first one.
    for (const other of [
      { countyCode: YUNYAN },
      { channel: 'sms' },
      { ageBand: '26-35' },
      { targetText: '高校学生' },
      { plannedOn: '2026-05-07' },
      { dueAt: '2026-05-09T10:00:00Z' },
    ]) {
      const reused = await post('analyst', '/api/publicity/campaigns', { ...campaignBody, ...other });
      expect(reused.statusCode, JSON.stringify(other)).toBe(409);
      expect(reused.json<ErrorBody>().error.code).toBe('conflict');
    }
    // The same instant written with another offset is the same request.
    const sameInstant = await post('analyst', '/api/publicity/campaigns', {
      ...campaignBody,
      dueAt: '2026-05-08T18:00:00+08:00',
    });
    expect(sameInstant.statusCode, sameInstant.body).toBe(200);
    expect(sameInstant.json<CampaignView>().id).toBe(campaign.id);
    const rows = await database().db.selectFrom('publicity_campaign').select('id').execute();
    expect(rows).toHaveLength(1);
    const tasks = await taskReports();
    expect(tasks).toEqual([
      expect.objectContaining({
        kind: 'campaign',
        sourceId: campaign.id,
        status: 'open',
        owner: { unitKind: 'county', unitCode: NANMING, userId: null },
        dueAt: '2026-05-08T10:00:00.000Z',
      }),
    ]);
  });

  it('refuses bad input with the one error shape and changes nothing', async () => {
    const cases: Array<[object, string]> = [
      [{ ...campaignBody, key: 'k2', extra: 1 }, ''],
      [{ ...campaignBody, key: 'k3', countyCode: '999999' }, 'body.countyCode'],
      [{ ...campaignBody, key: 'k4', dueAt: '2026-04-01T00:00:00Z' }, 'body.dueAt'],
      [
        {
          key: 'k5',
          countyCode: NANMING,
          channel: 'sms',
          plannedOn: '2026-05-06',
          dueAt: '2026-05-08T10:00:00Z',
        },
        'body.targetText',
      ],
      [{ ...campaignBody, key: 'k6', channel: 'pigeon' }, 'body.channel'],
      // The year 10000 once read in UTC: no timestamp column holds it.
      [{ ...campaignBody, key: 'k8', dueAt: '9999-12-31T23:00:00-08:00' }, 'body.dueAt'],
      // The year 0: a day ISO 8601 has and no date column holds.
      [{ ...campaignBody, key: 'k9', plannedOn: '0000-01-01' }, 'body.plannedOn'],
      // Held the day after its deadline (2026-05-08 18:00 China time): it could never be done in time.
      [{ ...campaignBody, key: 'k10', plannedOn: '2026-05-09' }, 'body.plannedOn'],
    ];
    for (const [payload, field] of cases) {
      const res = await post('analyst', '/api/publicity/campaigns', payload);
      expect(res.statusCode, res.body).toBe(400);
      const body = res.json<ErrorBody>();
      expect(body.error.code).toBe('validation_failed');
      if (field) expect(body.error.details?.map((d) => d.field)).toContain(field);
    }
    const bad = await post('nanming', `/api/publicity/campaigns/${campaign.id}/complete`, { reach: -1 });
    expect(bad.statusCode).toBe(400);
    expect(await database().db.selectFrom('publicity_campaign').select('id').execute()).toHaveLength(1);
    expect((await get('sup', `/api/publicity/campaigns/${campaign.id}`)).json<CampaignView>().status).toBe(
      'planned',
    );
  });

  it('lets only the county’s own police work it, and only the centre plan or cancel', async () => {
    expect(
      (await post('nanming', '/api/publicity/campaigns', { ...campaignBody, key: 'k7' })).statusCode,
    ).toBe(403);
    expect((await post('yunyan', `/api/publicity/campaigns/${campaign.id}/accept`)).statusCode).toBe(404);
    expect((await get('yunyan', `/api/publicity/campaigns/${campaign.id}`)).statusCode).toBe(404);
    expect((await get('yunyan', '/api/publicity/campaigns')).json<CampaignList>().campaigns).toEqual([]);
    expect(
      (await post('nanming', `/api/publicity/campaigns/${campaign.id}/cancel`, { reason: 'x' })).statusCode,
    ).toBe(403);
    const accepted = await post('nanming', `/api/publicity/campaigns/${campaign.id}/accept`);
    expect(accepted.json<CampaignView>().status).toBe('assigned');
    const twice = await post('nanming', `/api/publicity/campaigns/${campaign.id}/accept`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json<ErrorBody>().error.message).toBe('The campaign is assigned: it cannot be accepted');
    const done = await post('nanming', `/api/publicity/campaigns/${campaign.id}/complete`, {
      reach: 420,
      note: '贵州大学宣讲',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<CampaignView>()).toMatchObject({ status: 'done', reach: 420 });
    const cancelDone = await post('sup', `/api/publicity/campaigns/${campaign.id}/cancel`, { reason: 'x' });
    expect(cancelDone.statusCode).toBe(409);
    expect(cancelDone.json<ErrorBody>().error.message).toBe('The campaign is done: it cannot be cancelled');
    const last = (await taskReports()).at(-1);
    expect(last).toMatchObject({ status: 'done', feedback: '触达 420 人：贵州大学宣讲' });
    const audit = await database()
      .db.selectFrom('audit_entry')
      .select(['action'])
      .where('object_id', '=', campaign.id)
      .where('result', '=', 'success')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['campaign.create', 'campaign.accept', 'campaign.complete']);
    expect(
      (await get('nanming', '/api/publicity/campaigns?status=done')).json<CampaignList>().campaigns,
    ).toHaveLength(1);
  });

  it('compares the group’s weekly reports before and after the campaign’s week', async () => {
    // Two weeks after the campaign's week (2026-05-04): one report in the first, none in the second.
    const campaignWeek = '2026-05-04';
    await report(new Date(`${addWeeks(campaignWeek, 1)}T03:00:00Z`));
    await countReports(database().db, reportIds);
    h.clock.set(new Date(`${addWeeks(campaignWeek, 3)}T01:00:00Z`));
    expect(chinaWeekOf(h.clock.now())).toBe(addWeeks(campaignWeek, 3));
    for (const u of ['nanming']) c[u] = await h.signIn(u);
    const res = await get('nanming', `/api/publicity/campaigns/${campaign.id}/before-after?weeks=2`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<CampaignBeforeAfter>()).toEqual({
      campaignId: campaign.id,
      week: campaignWeek,
      weeks: 2,
      before: [1, 5],
      after: [1, 0],
      beforeRate: 3,
      afterRate: 0.5,
      change: -5 / 6,
    });
  });

  it('bands older reports at start-up from their sealed ID numbers, once, and counts them', async () => {
    const id = reportIds[0]!;
    await database().db.updateTable('report').set({ victim_age_band: null }).where('id', '=', id).execute();
    const seen: string[][] = [];
    const db = withFieldKeys(database().db, harnessFieldKeys());
    const done = await backfillAgeBands(db, {
      batchSize: 1,
      onBatch: async (ids) => {
        seen.push(ids);
        await countReports(database().db, ids);
      },
    });
    expect(done).toBe(1);
    expect(seen).toEqual([[id]]);
    const row = await db
      .selectFrom('report')
      .select('victim_age_band')
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row?.victim_age_band).toBe('18-25');
    expect(await backfillAgeBands(db)).toBe(0);
  });
});
