import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type {
  IndicatorDetail,
  IndicatorHistory,
  IndicatorReassignedResult,
  IndicatorView,
  IntakeReportInput,
} from '@fanzha/contracts';
import { indicatorKey, type EventEnvelope, type IndicatorSnapshot } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { committedEvents } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf, draft } from '../../../testing/core-loop-fixtures';
import { canonicalJson } from '../../platform/crypto/canonical-json';
import { Matcher, type ScreenItem } from '../screening/index';
import { applyIndicatorEvents } from './indicators.consumer';

const SHARED_REPORTS = 3;
const DAY = 86_400_000;

describeEachStorage('decisions on indicators', (database) => {
  let h: Harness;
  let fed = 0;
  let seen = 0;
  let seed = 0;
  const c: Record<string, string> = {};
  const matcher = new Matcher();

  async function feed(): Promise<void> {
    const rows = await committedEvents(database().db, {
      after: fed,
      subjects: ['report.changed', 'stop-payment.changed'],
    });
    await applyIndicatorEvents(
      { db: database().db, clock: h.clock, sharedReports: SHARED_REPORTS, wake: () => undefined },
      rows.map((r) => r.event),
    );
    fed = Math.max(fed, ...rows.map((r) => r.id));
  }
  /** The indicator.changed events since the last call, applied to the matcher as screening does. */
  async function changed(): Promise<IndicatorSnapshot[]> {
    const rows = await committedEvents(database().db, { after: seen, subjects: ['indicator.changed'] });
    seen = Math.max(seen, ...rows.map((r) => r.id));
    const snaps = rows.map((r) => (r.event as EventEnvelope<'indicator.changed'>).data);
    for (const s of snaps) matcher.apply(s);
    return snaps;
  }
  const matches = (value: string) =>
    matcher.candidates([{ keys: [indicatorKey('phone', value)] } as unknown as ScreenItem]).size > 0;
  const req = (method: 'GET' | 'POST', cookie: string, url: string, payload?: object) =>
    h.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const view = async (id: number) =>
    (await req('GET', c.analyst!, `/api/indicators/${id}`)).json<IndicatorDetail>();
  const byPhone = async (phone: string) =>
    (
      await req('GET', c.analyst!, `/api/indicators/lookup?kind=phone&value=${encodeURIComponent(phone)}`)
    ).json<IndicatorDetail>();
  const decide = (id: number, body: object, cookie = c.analyst!) =>
    req('POST', cookie, `/api/indicators/${id}/decisions`, body);
  const history = async (id: number) =>
    (await req('GET', c.analyst!, `/api/indicators/${id}/history`)).json<IndicatorHistory>().decisions;
  const count = async (table: 'indicator_decision' | 'audit_entry') =>
    Number(
      (
        await database()
          .db.selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function fileReport(phones: string[], amountFen = 0) {
    const body = draft({
      at: h.clock.now(),
      transfers: [{ number: cardOf('ICBC', 8000 + seed++), amountFen: Math.max(1, amountFen), name: '王五' }],
      countyCode: '520102',
      complete: true,
    });
    const contacts: IntakeReportInput['contacts'] = phones.map((value, i) => ({
      key: `c${i}`,
      kind: 'phone',
      value,
    }));
    const res = await req('POST', c.taker!, '/api/reports', {
      ...body,
      id: randomUUID(),
      version: undefined,
      contacts,
    });
    expect(res.statusCode, res.body).toBe(201);
  }

  const users = [
    ['taker', 'call_taker', {}],
    ['analyst', 'analyst', {}],
    ['super', 'supervisor', {}],
    ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
    ['unicom', 'telecom_liaison', { operatorCode: 'china_unicom' }],
    ['root', 'admin', {}],
  ] as const;
  beforeAll(async () => {
    h = await createHarness(database(), { start: '2026-05-01T02:00:00Z' });
    await createCast(h, users);
    Object.assign(c, await signInCast(h, users));
  });
  afterAll(() => h.close());

  it('marks not fraud, reinstates, shares and unshares: audited, in the history, and screening follows', async () => {
    await fileReport(['13800138001']);
    await feed();
    await changed();
    const { indicator } = await byPhone('13800138001');
    expect(matches(indicator.value)).toBe(true);

    const cleared = await decide(indicator.id, { action: 'not_fraud', reason: '商户客服电话' });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json<IndicatorView>().status).toBe('not_fraud');
    expect((await changed()).map((s) => s.status)).toEqual(['not_fraud']);
    expect(matches(indicator.value)).toBe(false);
    // Again: the same answer, nothing more recorded or published.
    const [decisions, audits] = [await count('indicator_decision'), await count('audit_entry')];
    expect((await decide(indicator.id, { action: 'not_fraud', reason: '再次' })).statusCode).toBe(200);
    expect([await count('indicator_decision'), await count('audit_entry')]).toEqual([decisions, audits]);
    expect(await changed()).toEqual([]);

    h.clock.advance(1_000);
    expect(
      (await decide(indicator.id, { action: 'reinstate', reason: '复核为涉诈' }, c.super)).statusCode,
    ).toBe(200);
    await changed();
    expect(matches(indicator.value)).toBe(true);
    h.clock.advance(1_000);
    expect(
      (await decide(indicator.id, { action: 'share', reason: '公共号码' })).json<IndicatorView>().status,
    ).toBe('shared');
    await changed();
    expect(matches(indicator.value)).toBe(false);
    h.clock.advance(1_000);
    expect((await decide(indicator.id, { action: 'unshare', reason: '确认涉诈' })).statusCode).toBe(200);
    await changed();
    expect(matches(indicator.value)).toBe(true);

    const past = await history(indicator.id);
    expect(past.map((d) => `${d.action}:${d.fromStatus}>${d.toStatus}`)).toEqual([
      'unshare:shared>active',
      'share:active>shared',
      'reinstate:not_fraud>active',
      'not_fraud:active>not_fraud',
    ]);
    expect(past[3]).toMatchObject({ reason: '商户客服电话', decidedBy: 'analyst', operator: null });
    const audit = await database()
      .db.selectFrom('audit_entry')
      .select(['action', 'username'])
      .where('action', '=', 'indicator.decide')
      .where('object_id', '=', String(indicator.id))
      .execute();
    expect(audit.map((a) => a.username).sort()).toEqual(['analyst', 'analyst', 'analyst', 'super']);

    // Unshared by an analyst: the over-shared guard no longer moves it, however many reports name it.
    for (let i = 0; i < SHARED_REPORTS + 1; i++) await fileReport(['13800138001']);
    await feed();
    expect((await view(indicator.id)).indicator).toMatchObject({ status: 'active', reportCount: 5 });
  });

  it('refuses bad input with the one error shape, wrong roles and disallowed decisions, changing nothing', async () => {
    await fileReport(['13800138002']);
    await feed();
    const { indicator } = await byPhone('13800138002');
    const before = await count('indicator_decision');
    for (const body of [
      { action: 'delete', reason: 'x' },
      { action: 'not_fraud' },
      { action: 'not_fraud', reason: '' },
      { action: 'not_fraud', reason: 'x', extra: 1 },
      { action: 'reassigned', reason: 'x' },
    ]) {
      const res = await decide(indicator.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json<{ error: { code: string; details: unknown[] } }>().error.code).toBe(
        'validation_failed',
      );
      expect(res.json<{ error: { details: unknown[] } }>().error.details.length).toBeGreaterThan(0);
    }
    expect(
      (await req('POST', c.analyst!, '/api/indicators/abc/decisions', { action: 'share', reason: 'x' }))
        .statusCode,
    ).toBe(400);
    expect((await decide(999_999, { action: 'share', reason: 'x' })).statusCode).toBe(404);
    for (const who of [c.taker!, c.icbc!, c.unicom!]) {
      expect((await decide(indicator.id, { action: 'not_fraud', reason: 'x' }, who)).statusCode).toBe(403);
      expect((await req('GET', who, `/api/indicators/${indicator.id}/history`)).statusCode).toBe(403);
    }
    expect((await decide(indicator.id, { action: 'not_fraud', reason: 'x' })).statusCode).toBe(200);
    const refused = await decide(indicator.id, { action: 'share', reason: 'x' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'conflict' } });
    expect(await count('indicator_decision')).toBe(before + 1);
    expect((await view(indicator.id)).indicator.status).toBe('not_fraud');
  });

  it('merges: sources move to the survivor once each, the merged one names where it went, its value counts there', async () => {
    await fileReport(['13800138003'], 900_000);
    await fileReport(['13800138004']);
    await fileReport(['13800138003', '13800138004']);
    await feed();
    const a = (await byPhone('13800138003')).indicator;
    const b = (await byPhone('13800138004')).indicator;
    expect([a.reportCount, b.reportCount]).toEqual([2, 2]);

    for (const body of [{ into: b.id, reason: 'x' }, { into: a.id }, { into: 'x', reason: 'x' }]) {
      const res = await req('POST', c.analyst!, `/api/indicators/${b.id}/merge`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(
      (await req('POST', c.taker!, `/api/indicators/${b.id}/merge`, { into: a.id, reason: 'x' })).statusCode,
    ).toBe(403);

    const merged = await req('POST', c.analyst!, `/api/indicators/${b.id}/merge`, {
      into: a.id,
      reason: '同一号码',
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json<IndicatorView>()).toMatchObject({ id: a.id, reportCount: 3, lossFen: 900_002 });
    const survivor = await view(a.id);
    expect(survivor.sourceCount).toBe(3);
    const gone = await view(b.id);
    expect(gone.indicator).toMatchObject({
      status: 'merged',
      mergedInto: a.id,
      value: b.value,
      reportCount: 0,
    });
    expect(gone.sourceCount).toBe(0);
    expect((await history(b.id))[0]).toMatchObject({
      action: 'merge',
      toStatus: 'merged',
      otherIndicatorId: a.id,
    });
    expect((await history(a.id))[0]).toMatchObject({ action: 'merge', otherIndicatorId: b.id });
    await changed();
    expect(matches(b.value)).toBe(false);
    expect(matches(a.value)).toBe(true);

    // Again into the same one: nothing changes. Into another kind, or from a merged one: refused.
    expect(
      (await req('POST', c.analyst!, `/api/indicators/${b.id}/merge`, { into: a.id, reason: 'x' }))
        .statusCode,
    ).toBe(200);
    expect((await history(b.id)).length).toBe(1);
    // A later report naming the merged value counts on the survivor; the key (kind, value) stays one row.
    await fileReport(['13800138004']);
    await feed();
    expect((await view(a.id)).indicator.reportCount).toBe(4);
    expect((await view(b.id)).indicator.reportCount).toBe(0);
    const rows = await database()
      .db.selectFrom('indicator')
      .select('id')
      .where('kind', '=', 'phone')
      .where('value', '=', b.value)
      .execute();
    expect(rows.map((r) => Number(r.id))).toEqual([b.id]);
  });

  it('suspends a reassigned number merged into another indicator alone: the survivor stays active', async () => {
    await fileReport(['13800138017']);
    await fileReport(['13800138018']);
    await feed();
    const a = (await byPhone('13800138017')).indicator;
    const b = (await byPhone('13800138018')).indicator;
    const merged = await req('POST', c.analyst!, `/api/indicators/${b.id}/merge`, {
      into: a.id,
      reason: '同一团伙',
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const res = await req('POST', c.unicom!, '/api/indicators/reassigned', {
      number: '13800138018',
      reason: '号码已回收并重新放号',
    });
    expect(res.statusCode, res.body).toBe(200);
    // The number reported is the one suspended, detached from the indicator it was merged into.
    expect(res.json<IndicatorReassignedResult>().indicator).toMatchObject({
      id: b.id,
      status: 'suspended',
      mergedInto: null,
    });
    expect((await view(a.id)).indicator.status).toBe('active');
    expect((await history(a.id)).map((d) => d.action)).not.toContain('reassigned');
    expect((await history(b.id)).find((d) => d.action === 'reassigned')).toMatchObject({
      fromStatus: 'merged',
      toStatus: 'suspended',
      otherIndicatorId: a.id,
      operator: 'china_unicom',
    });
    await changed();
    expect(matches(a.value)).toBe(true);
    expect(matches(b.value)).toBe(false);
  });

  it("suspends a number its operator reports reassigned, from the liaison's console or the operator's signed system", async () => {
    await fileReport(['13800138005']);
    await fileReport(['13800138006']);
    await feed();
    await changed();
    const body = { number: '138 0013 8005', reason: '号码已回收并重新放号' };
    expect((await req('POST', c.analyst!, '/api/indicators/reassigned', body)).statusCode).toBe(403);
    const res = await req('POST', c.unicom!, '/api/indicators/reassigned', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<IndicatorReassignedResult>()).toMatchObject({
      number: '+8613800138005',
      indicator: { status: 'suspended' },
    });
    await changed();
    expect(matches('+8613800138005')).toBe(false);
    const id = res.json<IndicatorReassignedResult>().indicator!.id;
    expect((await history(id))[0]).toMatchObject({ action: 'reassigned', operator: 'china_unicom' });
    const none = await req('POST', c.unicom!, '/api/indicators/reassigned', {
      number: '13900000000',
      reason: 'x',
    });
    expect(none.json<IndicatorReassignedResult>().indicator).toBeNull();
    expect(
      (await req('POST', c.unicom!, '/api/indicators/reassigned', { number: '12', reason: 'x' })).statusCode,
    ).toBe(400);

    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const made = await req('POST', c.root!, '/api/integrations/signal-keys', {
      name: '联通号码回收',
      sender: { kind: 'operator', operator: 'china_unicom' },
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    expect(made.statusCode, made.body).toBe(201);
    const bearer = `Bearer ${made.json<{ key: string }>().key}`;
    const signed = { number: '13800138006', reason: '回收' };
    const byKey = (signature?: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/indicators/reassigned',
        headers: { authorization: bearer, ...(signature ? { 'x-fanzha-signature': signature } : {}) },
        payload: signed,
      });
    const sig = (b: object) =>
      sign(null, Buffer.from(canonicalJson({ reassigned: b })), privateKey).toString('base64');
    expect((await byKey()).statusCode).toBe(401);
    expect((await byKey(sig({ ...signed, reason: 'other' }))).statusCode).toBe(401);
    expect((await byPhone('13800138006')).indicator.status).toBe('active');
    const ok = await byKey(sig(signed));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<IndicatorReassignedResult>().indicator?.status).toBe('suspended');
  });

  it('refuses a reassignment its indicator’s status does not allow, naming the number, not an action', async () => {
    await fileReport(['13800138008']);
    await feed();
    const { indicator } = await byPhone('13800138008');
    expect((await decide(indicator.id, { action: 'not_fraud', reason: '商户客服电话' })).statusCode).toBe(
      200,
    );
    const before = await count('indicator_decision');
    const res = await req('POST', c.unicom!, '/api/indicators/reassigned', {
      number: '13800138008',
      reason: '回收',
    });
    expect(res.statusCode, res.body).toBe(409);
    const { error } = res.json<{
      error: { code: string; details: Array<{ field: string; reason: string; message: string }> };
    }>();
    expect(error.code).toBe('conflict');
    expect(error.details).toEqual([
      expect.objectContaining({ field: 'body.number', reason: 'indicators.transition' }),
    ]);
    expect(error.details[0]!.message).toContain('not_fraud');
    expect(await count('indicator_decision')).toBe(before);
    expect((await view(indicator.id)).indicator.status).toBe('not_fraud');
    // An analyst's decision refused still names its action.
    const refused = await decide(indicator.id, { action: 'share', reason: 'x' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { details: unknown[] } }>().error.details).toEqual([
      expect.objectContaining({ field: 'body.action', reason: 'indicators.transition' }),
    ]);
  });

  it('lets a quiet indicator’s level decay in the sweep, and raises it when it is seen again', async () => {
    await fileReport(['13800138007'], 9_900_000);
    await feed();
    await changed();
    const fresh = (await byPhone('13800138007')).indicator;
    // ¥99,000: 12 + 12 · 2 = 36, high.
    expect(fresh).toMatchObject({ riskLevel: 'high' });
    expect(fresh.riskScore).toBeCloseTo(36, 1);
    // 30 days on (half-life 90): 36 · 0.5^(1/3) ≈ 28.6, medium.
    h.clock.advance(30 * DAY);
    Object.assign(c, await signInCast(h, users)); // a month on, the sessions have ended
    const swept = await h.app.services.indicatorRegrade.sweepOnce();
    expect(swept.changed).toBeGreaterThanOrEqual(1);
    const quiet = (await byPhone('13800138007')).indicator;
    expect(quiet.riskLevel).toBe('medium');
    expect(quiet.riskScore).toBeCloseTo(28.57, 1);
    expect((await changed()).find((s) => s.id === fresh.id)?.riskLevel).toBe('medium');
    // Nothing more is due: a second sweep regrades none.
    expect(await h.app.services.indicatorRegrade.sweepOnce()).toEqual({ regraded: 0, changed: 0 });
    // Seen again: the new report's whole weight on top.
    await fileReport(['13800138007']);
    await feed();
    const again = (await byPhone('13800138007')).indicator;
    expect(again.riskLevel).toBe('high');
    expect(again.riskScore).toBeCloseTo(40.57, 1);
  });
});
