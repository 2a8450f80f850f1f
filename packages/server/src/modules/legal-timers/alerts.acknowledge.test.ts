import { randomUUID } from 'node:crypto';
import type { AlertList, AlertView, ErrorBody } from '@fanzha/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf, reportWith } from '../../../testing/core-loop-fixtures';
import { raiseAlerts, type AlertSpec } from './alerts.raise';

const NANMING = '520102';
const YUNYAN = '520103';

/**
 * A supervisor clearing a backlog acknowledges many alerts in one request: all or nothing, only their
 * own alerts, each newly acknowledged one audited once, a repeat changing nothing.
 */
describeEachStorage('alerts: acknowledge several at once', (database) => {
  let h: Harness;
  const c: Record<string, string> = {};
  let reportId = '';

  beforeAll(async () => {
    h = await createHarness(database());
    const users = [
      ['taker', 'call_taker', {}],
      ['sup', 'supervisor', {}],
      ['desk', 'stop_payment_officer', {}],
      ['nanming', 'county_police', { countyCode: NANMING }],
      ['admin', 'admin', {}],
      ['auditor', 'auditor', {}],
    ] as const;
    await createCast(h, users);
    Object.assign(c, await signInCast(h, users));
    ({ id: reportId } = await reportWith(h, c.taker!, [{ number: cardOf('ICBC', 901), amountFen: 10_000 }]));
  });
  afterAll(() => h.close());

  /** What the legal timers raise over days: overdue county tasks, in two counties, and a desk lapse. */
  async function raise(count: number, spec: Partial<AlertSpec> = {}): Promise<AlertView[]> {
    const specs: AlertSpec[] = Array.from({ length: count }, () => ({
      kind: 'task_overdue',
      threshold: 'accept',
      level: 'escalation',
      object_type: 'county_task',
      object_id: randomUUID(),
      report_id: reportId,
      county_code: NANMING,
      message: '属地任务超过30分钟未签收',
      due_at: null,
      ...spec,
    }));
    await database()
      .db.transaction()
      .execute((trx) => raiseAlerts(trx, h.clock, specs, h.clock.now()));
    const ids = new Set(specs.map((s) => s.object_id));
    return (await openAlerts('sup')).filter((a) => ids.has(a.objectId));
  }
  const openAlerts = async (who: string) =>
    (
      await h.app.inject({
        method: 'GET',
        url: '/api/alerts?open=true&limit=500',
        headers: { cookie: c[who]! },
      })
    ).json<AlertList>().alerts;
  const acknowledge = (who: string, payload: unknown) =>
    h.app.inject({
      method: 'POST',
      url: '/api/alerts/acknowledge',
      headers: { cookie: c[who]!, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  const auditedIds = async () =>
    (
      await database()
        .db.selectFrom('audit_entry')
        .select(['object_id', 'result', 'username'])
        .where('action', '=', 'alert.acknowledge')
        .execute()
    ).filter((e) => e.result === 'success');

  it('acknowledges up to 500 at once, answers each in the order asked, and audits each once', async () => {
    const raised = await raise(204);
    expect(raised).toHaveLength(204);
    const ids = raised.map((a) => a.id).reverse();
    const before = (await auditedIds()).length;

    const res = await acknowledge('sup', { ids });
    expect(res.statusCode).toBe(200);
    const { alerts } = res.json<AlertList>();
    expect(alerts.map((a) => a.id)).toEqual(ids);
    for (const a of alerts) {
      expect(a.acknowledgedAt).toBe(h.clock.now().toISOString());
      expect(a.acknowledgedBy).toBe('sup');
    }
    const open = new Set((await openAlerts('sup')).map((a) => a.id));
    expect(ids.some((id) => open.has(id))).toBe(false);
    const audited = (await auditedIds()).slice(before);
    expect(audited).toHaveLength(204);
    expect(new Set(audited.map((e) => e.object_id))).toEqual(new Set(ids));
    expect(new Set(audited.map((e) => e.username))).toEqual(new Set(['sup']));

    // Again, later: nothing changes, nothing more is audited.
    const firstAt = alerts[0]!.acknowledgedAt;
    h.clock.advance(60_000);
    const again = await acknowledge('sup', { ids });
    expect(again.statusCode).toBe(200);
    expect(again.json<AlertList>().alerts.map((a) => a.acknowledgedAt)).toEqual(ids.map(() => firstAt));
    expect((await auditedIds()).length).toBe(before + 204);
  });

  it('refuses the whole request when one alert is not the caller’s, and names it', async () => {
    const [nanming] = await raise(1);
    const [yunyan] = await raise(1, { county_code: YUNYAN });
    const [lapse] = await raise(1, { kind: 'stop_lapsed', threshold: 'lapse', county_code: null });
    const before = (await auditedIds()).length;

    // County police see their county's alerts only; an alert of another county is "no such alert".
    const res = await acknowledge('nanming', { ids: [nanming!.id, yunyan!.id, randomUUID()] });
    expect(res.statusCode).toBe(404);
    const body = res.json<ErrorBody>();
    expect(body.error.code).toBe('not_found');
    expect(body.error.details?.map((d) => [d.field, d.reason])).toEqual([
      ['body.ids.1', 'not_found'],
      ['body.ids.2', 'not_found'],
    ]);
    // Nothing changed: the county's own alert is still open.
    expect((await openAlerts('nanming')).some((a) => a.id === nanming!.id)).toBe(true);
    expect((await auditedIds()).length).toBe(before);

    // The desk acknowledges the lapses it is responsible for, and only those.
    expect((await acknowledge('desk', { ids: [lapse!.id, nanming!.id] })).statusCode).toBe(404);
    const desk = await acknowledge('desk', { ids: [lapse!.id] });
    expect(desk.statusCode).toBe(200);
    expect(desk.json<AlertList>().alerts[0]).toMatchObject({ id: lapse!.id, acknowledgedBy: 'desk' });

    const county = await acknowledge('nanming', { ids: [nanming!.id] });
    expect(county.statusCode).toBe(200);
    expect((await auditedIds()).length).toBe(before + 2);
  });

  it('takes exactly its body: 1 to 500 distinct alert ids and nothing else', async () => {
    const [open] = await raise(1);
    const tooMany = Array.from({ length: 501 }, () => randomUUID());
    const cases: Array<[unknown, string, string]> = [
      [{}, 'body.ids', 'invalid_type'],
      [{ ids: [] }, 'body.ids', 'too_small'],
      [{ ids: tooMany }, 'body.ids', 'too_big'],
      [{ ids: ['not-an-id'] }, 'body.ids.0', 'invalid_format'],
      [{ ids: [open!.id, open!.id] }, 'body.ids', 'custom'],
      [{ ids: [open!.id], all: true }, 'body.all', 'unrecognized_keys'],
    ];
    for (const [payload, field, reason] of cases) {
      const res = await acknowledge('sup', payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      const body = res.json<ErrorBody>();
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details?.map((d) => [d.field, d.reason])).toContainEqual([field, reason]);
    }
    expect((await openAlerts('sup')).some((a) => a.id === open!.id)).toBe(true);
  });

  it('is for the roles alerts are raised to', async () => {
    const [open] = await raise(1);
    for (const who of ['taker', 'admin', 'auditor']) {
      const res = await acknowledge(who, { ids: [open!.id] });
      expect(res.statusCode).toBe(403);
    }
    const anonymous = await h.app.inject({
      method: 'POST',
      url: '/api/alerts/acknowledge',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ids: [open!.id] }),
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await openAlerts('sup')).some((a) => a.id === open!.id)).toBe(true);
  });
});
