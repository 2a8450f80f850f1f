import { randomUUID } from 'node:crypto';
import type { ErrorBody, IntakeBatchResult, ReportView } from '@fanzha/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, draft, saveDraft } from '../../../testing/core-loop-fixtures';
import { digestOf } from '../../../testing/db-digest';
import { describeEachStorage } from '../../../testing/test-databases';

describeEachStorage('whole reports sent again under the same id (an intake system retrying)', (database) => {
  let h: Harness;
  let taker = '';
  beforeAll(async () => {
    h = await createHarness(database(), { start: '2026-05-01T02:00:00Z' });
    await h.createUser({ username: 'taker', displayName: 'T', role: 'call_taker' });
    taker = await h.signIn('taker');
  });
  afterAll(() => h.close());

  const whole = (seed: number, amountFen = 100_000) => ({
    ...draft({
      at: h.clock.now(),
      transfers: [{ number: cardOf('ICBC', seed), amountFen }],
      countyCode: '520102',
      complete: true,
    }),
    version: undefined,
    id: randomUUID(),
  });
  const post = (url: string, payload: object) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: taker }, payload });
  const problems = (res: { json: <T>() => T }) =>
    res.json<ErrorBody>().error.details?.map((d) => [d.field, d.reason]);

  it('answers the same report again with its first registration, whatever the order of its fields', async () => {
    const report = {
      ...whole(501),
      contacts: [{ key: 'c1', kind: 'phone' as const, value: '+86 171 0000 1111' }],
      narrative: '对方自称客服',
    };
    const first = await post('/api/reports', report);
    expect(first.statusCode, first.body).toBe(201);
    const { victim, transfers, ...rest } = report;
    const again = await post('/api/reports', { transfers, ...rest, victim: { ...victim } });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ ...first.json<object>(), isNew: false });
  });

  it('refuses the same id with other content (409, body.id) and keeps nothing (it answered 200 and dropped it)', async () => {
    const report = whole(502);
    expect((await post('/api/reports', report)).statusCode).toBe(201);
    const before = await digestOf(database().db);
    const changed = await post('/api/reports', {
      ...report,
      transfers: report.transfers.map((t) => ({ ...t, amountFen: 999 })),
    });
    expect(changed.statusCode, changed.body).toBe(409);
    expect(problems(changed)).toEqual([['body.id', 'idempotency.reused']]);
    // In a batch: the new report beside it is not kept either (all or nothing).
    const fresh = whole(503);
    const batch = await post('/api/reports/batch', {
      reports: [fresh, { ...report, narrative: '另一份报案' }],
    });
    expect(batch.statusCode, batch.body).toBe(409);
    expect(problems(batch)).toEqual([['body.reports.1.id', 'idempotency.reused']]);
    expect(await digestOf(database().db)).toEqual(before);
  });

  it('refuses the id of a draft (409) rather than answering it as registered while it stays a draft', async () => {
    const report = whole(504);
    const saved = await saveDraft(h, taker, report.id, {
      version: 0,
      callAnsweredAt: report.callAnsweredAt,
      victim: {},
      transfers: [],
      contacts: [],
      narrative: '',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const before = await digestOf(database().db);
    const res = await post('/api/reports', report);
    expect(res.statusCode, res.body).toBe(409);
    expect(problems(res)).toEqual([['body.id', 'report.draft']]);
    expect(await digestOf(database().db)).toEqual(before);
    const read = await h.app.inject({
      method: 'GET',
      url: `/api/reports/${report.id}`,
      headers: { cookie: taker },
    });
    expect(read.json<ReportView>().status).toBe('draft');
  });

  it('refuses a call answered or money transferred later than now (a wrong clock) by field, beyond 5 minutes of skew', async () => {
    const later = (minutes: number) => new Date(h.clock.now().getTime() + minutes * 60_000).toISOString();
    const report = whole(506);
    const before = await digestOf(database().db);
    const res = await post('/api/reports', {
      ...report,
      callAnsweredAt: later(60 * 24 * 365),
      transfers: report.transfers.map((t) => ({ ...t, transferredAt: later(6) })),
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(problems(res)).toEqual([
      ['body.callAnsweredAt', 'in_future'],
      ['body.transfers.0.transferredAt', 'in_future'],
    ]);
    expect(await digestOf(database().db)).toEqual(before);
    const skewed = await post('/api/reports', { ...report, callAnsweredAt: later(4) });
    expect(skewed.statusCode, skewed.body).toBe(201);
  });

  it('registers a report whose id is written in capitals whole: transfers, requests, county (it kept none)', async () => {
    const report = whole(507);
    const upper = report.id.toUpperCase();
    const res = await post('/api/reports', { ...report, id: upper });
    expect(res.statusCode, res.body).toBe(201);
    const filed = res.json<IntakeBatchResult['reports'][number]>();
    expect(filed).toMatchObject({ id: upper, isNew: true });
    expect(filed.number).not.toBe('');
    expect(filed.stopPaymentIds).toHaveLength(1);
    const read = await h.app.inject({
      method: 'GET',
      url: `/api/reports/${report.id}`,
      headers: { cookie: taker },
    });
    expect(read.json<ReportView>()).toMatchObject({
      status: 'routed',
      owningCountyCode: '520102',
      problems: [],
    });
    expect(read.json<ReportView>().transfers).toHaveLength(1);
    // Sent again in either case: the same report.
    const again = await post('/api/reports', report);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ ...filed, id: report.id, isNew: false });
  });

  it('refuses one id twice in a batch by field (400), not as a clash to send again (it answered 409)', async () => {
    const report = whole(505);
    const before = await digestOf(database().db);
    const res = await post('/api/reports/batch', { reports: [report, { ...report }] });
    expect(res.statusCode, res.body).toBe(400);
    expect(problems(res)).toEqual([['body.reports.1.id', 'duplicate']]);
    expect(await digestOf(database().db)).toEqual(before);
    const ok = await post('/api/reports/batch', { reports: [report] });
    expect(ok.json<IntakeBatchResult>().reports[0]!.isNew).toBe(true);
  });
});
