import { randomUUID } from 'node:crypto';
import type { CallbackList, CallbackRates, CallbackView, ErrorBody, TaskReport } from '@fanzha/contracts';
import type { EventEnvelope, ScreeningHit } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, reportWith } from '../../../testing/core-loop-fixtures';
import { committedEvents, harnessFieldKeys } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { withFieldKeys } from '../../platform/crypto/field-cipher';
import { scheduleCallbacks } from './callbacks.schedule';

const MINUTE = 60_000;
const NANMING = '520102';

const event = <S extends 'report.changed' | 'stop-payment.changed'>(subject: S, data: unknown, at: Date) =>
  ({ id: randomUUID(), subject, version: 1, occurredAt: at.toISOString(), data }) as EventEnvelope;

const hit = (phone: string, signalId: string, at: string): ScreeningHit => ({
  source: 'operator:china_mobile',
  signalId,
  signalKind: 'sms',
  at,
  person: { phone, idNumber: null, name: '李四', countyCode: NANMING },
  indicator: {
    id: 8,
    kind: 'phone',
    value: '+8617100001111',
    status: 'active',
    riskLevel: 'high',
    reportCount: 3,
    lossFen: 0,
    lastReportedAt: null,
  },
  amountFen: null,
  upstreamGrade: null,
});

describeEachStorage(
  'callbacks (回访): scheduled from their sources, worked by the centre, with figures',
  (database) => {
    let h: Harness;
    const c: Record<string, string> = {};
    const people = ['taker', 'sup', 'desk', 'county', 'bank', 'wall'] as const;
    let reportId = '';
    let episodeId = '';

    beforeAll(async () => {
      h = await createHarness(database());
      await createCast(h, [
        ['taker', 'call_taker', {}],
        ['sup', 'supervisor', {}],
        ['desk', 'persuader', {}],
        ['county', 'county_police', { countyCode: NANMING }],
        ['bank', 'bank_liaison', { bankCode: 'ICBC' }],
        ['wall', 'wall', {}],
      ]);
      for (const u of people) c[u] = await h.signIn(u);
    });
    afterAll(() => h.close());

    const db = () => withFieldKeys(database().db, harnessFieldKeys());
    const schedule = (events: EventEnvelope[]) => scheduleCallbacks({ db: db(), clock: h.clock }, events);
    const api = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = {}) =>
      h.app.inject({
        method,
        url,
        headers: { cookie: c[who]!, ...headers },
        ...(payload === undefined ? {} : { payload }),
      });
    const tasks = async (kind: string) =>
      (await committedEvents(database().db, { subjects: ['task.reported'] }))
        .map((r) => (r.event as EventEnvelope<'task.reported'>).data.task)
        .filter((t: TaskReport) => t.kind === kind);
    const digest = async () => ({
      callbacks: await database().db.selectFrom('callback').selectAll().orderBy('id').execute(),
      attempts: await database()
        .db.selectFrom('callback_attempt')
        .selectAll()
        .orderBy('callback_id')
        .orderBy('n')
        .execute(),
      settings: await database().db.selectFrom('callback_settings').selectAll().execute(),
    });

    it('schedules one callback per (kind, source) — closed report, money returned, persuaded — the person sealed', async () => {
      const { id } = await reportWith(h, c.taker!, [{ number: cardOf('ICBC', 4100), amountFen: 500_000 }], {
        complete: true,
        countyCode: NANMING,
      });
      reportId = id;
      const at = h.clock.now();
      const closed = event(
        'report.changed',
        { id, number: 'x', status: 'closed', version: 3, createdBy: 'taker' },
        at,
      );
      const returned = event('stop-payment.changed', { request: { reportId: id, returnedFen: 30_000 } }, at);
      const other = event(
        'report.changed',
        { id, number: 'x', status: 'accepted', version: 2, createdBy: 'taker' },
        at,
      );
      expect(await schedule([closed, returned, other, closed])).toBe(2);
      expect(await schedule([closed, returned])).toBe(0); // redelivered: nothing twice

      await db()
        .transaction()
        .execute((trx) => h.app.services.recordHits(trx, [hit('+8613900139077', 'cb-1', at.toISOString())]));
      episodeId = (await database().db.selectFrom('episode').select('id').executeTakeFirstOrThrow()).id;
      const res = await api('desk', 'POST', `/api/episodes/${episodeId}/outcome`, { outcome: 'persuaded' });
      expect(res.statusCode, res.body).toBe(200);
      const episodeEvents = await committedEvents(database().db, { subjects: ['episode.changed'] });
      expect(await schedule(episodeEvents.map((r) => r.event))).toBe(1);
      expect(await schedule(episodeEvents.map((r) => r.event))).toBe(0);

      const rows = await database()
        .db.selectFrom('callback')
        .select(['kind', 'person_phone', 'due_at', 'source_at'])
        .execute();
      expect(rows.map((r) => r.kind).sort()).toEqual(['money_returned', 'persuaded', 'report_closed']);
      for (const r of rows) expect(r.person_phone).not.toMatch(/1[0-9]{10}/); // sealed at rest
      const persuaded = rows.find((r) => r.kind === 'persuaded')!;
      expect(persuaded.due_at!.getTime() - persuaded.source_at.getTime()).toBe(3 * 24 * 60 * MINUTE);
      const queued = await tasks('callback');
      expect(queued).toHaveLength(3);
      expect(queued.every((t) => t.status === 'open' && t.owner.unitKind === 'centre')).toBe(true);
    });

    it('shows the queue due first with the person masked; the full contact only through an audited read', async () => {
      let list = (await api('taker', 'GET', '/api/callbacks')).json<CallbackList>();
      expect(list.items).toHaveLength(3);
      expect(list.items.every((i) => !i.isDue)).toBe(true);
      expect(list.items.map((i) => i.dueAt)).toEqual([...list.items.map((i) => i.dueAt)].sort());
      const returned = list.items.find((i) => i.kind === 'money_returned')!;
      expect(returned.personPhoneMasked).toMatch(/^138\*+5678$/);
      expect(JSON.stringify(list)).not.toContain('13812345678');

      h.clock.advance(25 * 60 * MINUTE);
      for (const u of people) c[u] = await h.signIn(u);
      list = (await api('taker', 'GET', '/api/callbacks')).json<CallbackList>();
      expect(
        list.items
          .filter((i) => i.isDue)
          .map((i) => i.kind)
          .sort(),
      ).toEqual(['money_returned', 'report_closed']);

      const one = (await api('taker', 'GET', `/api/callbacks/${returned.id}`)).json<CallbackView>();
      expect(one.script.questions.length).toBeGreaterThanOrEqual(3);
      const contact = await api('taker', 'POST', `/api/callbacks/${returned.id}/contact`, {});
      expect(contact.statusCode, contact.body).toBe(200);
      expect(contact.json()).toEqual({ name: '张三', phone: '13812345678' });
      const audited = await database()
        .db.selectFrom('audit_entry')
        .select(['username', 'object_id'])
        .where('action', '=', 'callback.contact')
        .execute();
      expect(audited).toEqual([{ username: 'taker', object_id: returned.id }]);
    });

    it('retries an unanswered call after the spacing, idempotent by key, then closes it as unreachable', async () => {
      const id = (
        await database()
          .db.selectFrom('callback')
          .select('id')
          .where('kind', '=', 'report_closed')
          .executeTakeFirstOrThrow()
      ).id;
      const attempt = (key: string, body: object = { outcome: 'no_answer' }) =>
        api('taker', 'POST', `/api/callbacks/${id}/attempts`, body, { 'idempotency-key': key });
      const first = await attempt('k1');
      expect(first.statusCode, first.body).toBe(200);
      const v1 = first.json<CallbackView>();
      expect(v1).toMatchObject({ status: 'open', attempts: 1, isDue: false });
      expect(new Date(v1.dueAt!).getTime() - h.clock.now().getTime()).toBe(240 * MINUTE);
      expect((await attempt('k1')).json<CallbackView>().attempts).toBe(1); // the same key: nothing again
      // The same key with another attempt is refused, not taken for a retry, and changes nothing.
      const before = await digest();
      const reused = await attempt('k1', { outcome: 'reached', satisfaction: 1, complaint: '态度差' });
      expect(reused.statusCode, reused.body).toBe(409);
      expect(reused.json<ErrorBody>().error.details).toEqual([
        { field: 'header.idempotency-key', reason: 'idempotency.reused', message: 'used with another body' },
      ]);
      expect(await digest()).toEqual(before);
      // A note of spaces only is no note, and its retry (spaced differently) is the same attempt.
      const busy = await attempt('k2', { outcome: 'busy', note: '   ' });
      expect(busy.json<CallbackView>()).toMatchObject({ status: 'open', attempts: 2 });
      expect(busy.json<CallbackView>().attemptsList[1]!.note).toBeNull();
      expect((await attempt('k2', { outcome: 'busy', note: ' ' })).statusCode).toBe(200);
      const last = (await attempt('k3')).json<CallbackView>();
      expect(last).toMatchObject({ status: 'unreachable', attempts: 3, dueAt: null });
      expect(last.attemptsList.map((a) => a.outcome)).toEqual(['no_answer', 'busy', 'no_answer']);
      const closed = await attempt('k4');
      expect(closed.statusCode).toBe(409);
      expect(closed.json<ErrorBody>().error.details).toEqual([
        { field: 'params.id', reason: 'callback.closed', message: 'status is unreachable' },
      ]);
      expect((await tasks('callback')).filter((t) => t.sourceId === id).at(-1)).toMatchObject({
        status: 'done',
      });
    });

    it('turns a low satisfaction with a complaint into a supervision item; the callback leaves the queue', async () => {
      const id = (
        await database()
          .db.selectFrom('callback')
          .select('id')
          .where('kind', '=', 'money_returned')
          .executeTakeFirstOrThrow()
      ).id;
      const res = await api('sup', 'POST', `/api/callbacks/${id}/attempts`, {
        outcome: 'reached',
        satisfaction: 2,
        complaint: '返还太慢，银行让我跑了三次',
        note: '情绪激动',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<CallbackView>()).toMatchObject({ status: 'done', satisfaction: 2, hasComplaint: true });
      const complaints = await tasks('complaint');
      expect(complaints).toHaveLength(1);
      expect(complaints[0]).toMatchObject({
        sourceId: id,
        status: 'open',
        reportId,
        owner: { unitKind: 'centre' },
      });
      const stored = await database()
        .db.selectFrom('callback_attempt')
        .select('complaint')
        .where('callback_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(stored.complaint).not.toContain('返还太慢'); // sealed at rest
      const open = (await api('taker', 'GET', '/api/callbacks')).json<CallbackList>();
      expect(open.items.map((i) => i.id)).not.toContain(id);
      const done = (await api('taker', 'GET', '/api/callbacks?status=closed')).json<CallbackList>();
      expect(done.items.map((i) => i.id)).toContain(id);
    });

    it('refuses bad input with the one error shape and changes nothing', async () => {
      const id = (
        await database()
          .db.selectFrom('callback')
          .select('id')
          .where('kind', '=', 'persuaded')
          .executeTakeFirstOrThrow()
      ).id;
      const before = await digest();
      const cases: Array<[object, string]> = [
        [{ outcome: 'reached' }, 'body.satisfaction'],
        [{ outcome: 'reached', satisfaction: 6 }, 'body.satisfaction'],
        [{ outcome: 'no_answer', satisfaction: 3 }, 'body.outcome'],
        [{ outcome: 'picked_up' }, 'body.outcome'],
        [{ outcome: 'reached', satisfaction: 4, extra: 1 }, 'body'],
      ];
      for (const [body, field] of cases) {
        const res = await api('taker', 'POST', `/api/callbacks/${id}/attempts`, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        const err = res.json<ErrorBody>().error;
        expect(err.code).toBe('validation_failed');
        expect(JSON.stringify(err.details), JSON.stringify(body)).toContain(field);
      }
      const badSettings = await api('sup', 'PUT', '/api/callbacks/settings', {
        retryMinutes: 1,
        maxAttempts: 3,
      });
      expect(badSettings.statusCode).toBe(400);
      expect(
        (await api('taker', 'POST', `/api/callbacks/${randomUUID()}/attempts`, { outcome: 'busy' }))
          .statusCode,
      ).toBe(404);
      expect(await digest()).toEqual(before);
    });

    it('serves the queue to call-takers and the supervisor only; settings to the supervisor; figures to readers', async () => {
      for (const who of ['county', 'bank', 'desk', 'wall'])
        expect((await api(who, 'GET', '/api/callbacks')).statusCode, who).toBe(403);
      expect((await h.app.inject({ method: 'GET', url: '/api/callbacks' })).statusCode).toBe(401);
      expect((await api('taker', 'GET', '/api/callbacks/rates')).statusCode).toBe(403);
      expect(
        (
          await api('taker', 'PUT', '/api/callbacks/settings', {
            delayMinutes: { report_closed: 60, money_returned: 60, persuaded: 60 },
            retryMinutes: 30,
            maxAttempts: 5,
          })
        ).statusCode,
      ).toBe(403);

      const settings = {
        delayMinutes: { report_closed: 60, money_returned: 120, persuaded: 0 },
        retryMinutes: 30,
        maxAttempts: 5,
      };
      const put = await api('sup', 'PUT', '/api/callbacks/settings', settings);
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json()).toEqual(settings);
      expect((await api('sup', 'GET', '/api/callbacks/settings')).json()).toEqual(settings);
      const { id } = await reportWith(h, c.taker!, [{ number: cardOf('ICBC', 4101), amountFen: 100_000 }], {
        complete: true,
      });
      await schedule([
        event(
          'report.changed',
          { id, number: 'y', status: 'closed', version: 3, createdBy: 'taker' },
          h.clock.now(),
        ),
      ]);
      const row = await database()
        .db.selectFrom('callback')
        .select(['due_at', 'source_at'])
        .where('source_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.due_at!.getTime() - row.source_at.getTime()).toBe(60 * MINUTE);
    });

    it('counts rates the same as SQL over the records: scheduled, reached, reach rate, satisfaction, complaints', async () => {
      const res = await api(
        'wall',
        'GET',
        `/api/callbacks/rates?from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const rates = res.json<CallbackRates>();
      expect(rates.all).toEqual({
        scheduled: 4,
        closed: 2,
        reached: 1,
        reachRate: 0.5,
        unreachable: 1,
        refused: 0,
        meanSatisfaction: 2,
        complaints: 1,
      });
      expect(rates.byKind.find((k) => k.kind === 'report_closed')).toMatchObject({
        scheduled: 2,
        closed: 1,
        reached: 0,
      });
      const county = (
        await api(
          'sup',
          'GET',
          `/api/callbacks/rates?from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z&county=520103`,
        )
      ).json<CallbackRates>();
      expect(county.all.scheduled).toBe(0);
      const bad = await api(
        'sup',
        'GET',
        '/api/callbacks/rates?from=2026-06-01T00:00:00Z&to=2026-05-01T00:00:00Z',
      );
      expect(bad.statusCode).toBe(400);
      // Times the database cannot hold: the year 0, and a year past 9999 once the offset applies.
      for (const [query, problems] of [
        [
          'from=0000-01-01T00:00:00Z&to=0000-06-01T00:00:00Z',
          [
            ['query.from', 'too_small'],
            ['query.to', 'too_small'],
          ],
        ],
        ['from=9999-12-31T00:00:00Z&to=9999-12-31T23:59:59-08:00', [['query.to', 'too_big']]],
        // No such county: a mistyped code is refused, not answered with zeros.
        ['county=529999', [['query.county', 'division.unknown']]],
        ['county=520100', [['query.county', 'division.not_county']]],
      ] as const) {
        const res = await api('sup', 'GET', `/api/callbacks/rates?${query}`);
        expect(res.statusCode, res.body).toBe(400);
        const err = res.json<ErrorBody>().error;
        expect(err.details?.map((d) => [d.field, d.reason])).toEqual(problems);
      }
    });
  },
);
