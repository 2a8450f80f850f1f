import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { IndicatorDetail, IndicatorList, IntakeReportInput, StopPaymentView } from '@fanzha/contracts';
import type { EventEnvelope, IndicatorSnapshot } from '@fanzha/domain';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { committedEvents, consumerMarks } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { countingDb } from '../../../testing/statement-count';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf, draft, queue } from '../../../testing/core-loop-fixtures';
import { canonicalJson } from '../../platform/crypto/canonical-json';
import { applyIndicatorEvents, INDICATORS_CONSUMER } from './indicators.consumer';
import { addIndicatorHits } from './indicators.service';
import type { Skipped } from './indicators.plan';

const SHARED_REPORTS = 3;

describeEachStorage('the indicators registry', (database) => {
  let h: Harness;
  let fed = 0;
  let seed = 0;
  const c: Record<string, string> = {};
  const skipped: Skipped[] = [];

  const subjects = ['report.changed', 'stop-payment.changed'];
  /** Events committed since `from` of the consumer's subjects, as the bus would hand them. */
  const committed = (from: number) => committedEvents(database().db, { after: from, subjects });
  /** The consumer's work, driven by hand: the given events in one batch. */
  const apply = (events: EventEnvelope[]) =>
    applyIndicatorEvents(
      {
        db: database().db,
        clock: h.clock,
        sharedReports: SHARED_REPORTS,
        wake: () => undefined,
        onSkipped: (s) => skipped.push(...s),
      },
      events,
    );
  async function feed(): Promise<EventEnvelope[]> {
    const rows = await committed(fed);
    await apply(rows.map((r) => r.event));
    fed = Math.max(fed, ...rows.map((r) => r.id));
    return rows.map((r) => r.event);
  }
  async function changedEvents(): Promise<IndicatorSnapshot[]> {
    const rows = await committedEvents(database().db, { subjects: ['indicator.changed'] });
    return rows.map((r) => (r.event as EventEnvelope<'indicator.changed'>).data);
  }
  const get = (url: string, cookie = c.analyst!) => h.app.inject({ method: 'GET', url, headers: { cookie } });
  const ok = async <T>(url: string, cookie?: string): Promise<T> => {
    const res = await get(url, cookie);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const post = (cookie: string, url: string, payload: object, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie, ...headers }, payload });

  async function fileReport(contacts: IntakeReportInput['contacts'], amountFen = 5_000_000) {
    const number = cardOf('ICBC', 7000 + seed++);
    const body = draft({
      at: h.clock.now(),
      transfers: [{ number, amountFen, name: '王五' }],
      countyCode: '520102',
      complete: true,
    });
    const id = randomUUID();
    const res = await post(c.taker!, '/api/reports', {
      ...body,
      id,
      version: undefined,
      contacts,
    });
    expect(res.statusCode, res.body).toBe(201);
    return { id, number: res.json<{ number: string }>().number, card: number };
  }

  beforeAll(async () => {
    h = await createHarness(database(), { start: '2026-05-01T02:00:00Z' });
    const users = [
      ['taker', 'call_taker', {}],
      ['desk', 'stop_payment_officer', {}],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
      ['analyst', 'analyst', {}],
      ['super', 'supervisor', {}],
      ['root', 'admin', {}],
    ] as const;
    await createCast(h, users);
    Object.assign(c, await signInCast(h, users));
  });
  afterAll(() => h.close());
  beforeEach(() => {
    skipped.length = 0;
  });

  it("makes a submitted report's contacts and payee accounts indicators, with provenance", async () => {
    const report = await fileReport([
      { key: 'c1', kind: 'phone', value: '138 0013 8000' },
      { key: 'c2', kind: 'url', value: 'https://pay.Evil-Shop.com.cn/order?id=1' },
      { key: 'c3', kind: 'app', value: 'Com.Evil.Loan' },
      { key: 'c4', kind: 'social', value: 'wechat:@Zhang_San88' },
      { key: 'c5', kind: 'other', value: '自称客服小王' },
      { key: 'c6', kind: 'phone', value: '12345' },
      // The same number written another way names the same indicator once.
      { key: 'c7', kind: 'phone', value: '+86-138-0013-8000' },
    ]);
    await feed();

    expect(skipped.map((s) => s.kind)).toEqual(['phone']);
    expect(skipped[0]?.reason).toMatch(/^phone\./);
    const list = await ok<IndicatorList>('/api/indicators');
    expect(list.indicators.map((i) => `${i.kind}:${i.value}`).sort()).toEqual(
      [
        'account:' + report.card,
        'app:com.evil.loan',
        'domain:evil-shop.com.cn',
        'phone:+8613800138000',
        'social:wechat:zhang_san88',
      ].sort(),
    );
    const phone = await ok<IndicatorDetail>('/api/indicators/lookup?kind=phone&value=13800138000');
    expect(phone.indicator).toMatchObject({
      status: 'active',
      reportCount: 1,
      answerCount: 0,
      lossFen: 5_000_000,
      lastReportedAt: h.clock.now().toISOString(),
      hitCount: 0,
    });
    expect(phone.sources).toEqual([
      {
        kind: 'report',
        sourceId: report.id,
        reportId: report.id,
        reportNumber: report.number,
        lossFen: 5_000_000,
        seenAt: h.clock.now().toISOString(),
      },
    ]);
    expect(phone.sourceCount).toBe(1);
    // ¥50,000 reported today: high.
    expect(phone.indicator.riskLevel).toBe('high');
    // One indicator.changed per indicator, carrying how it stands.
    const events = await changedEvents();
    expect(events).toHaveLength(5);
    expect(events.find((e) => e.kind === 'phone')).toEqual({
      id: phone.indicator.id,
      kind: 'phone',
      value: '+8613800138000',
      status: 'active',
      riskLevel: 'high',
      reportCount: 1,
      lossFen: 5_000_000,
      lastReportedAt: phone.indicator.lastReportedAt,
    });
  });

  it('changes nothing when the same events come again, or the report changes without naming more', async () => {
    const before = await ok<IndicatorList>('/api/indicators');
    const eventsBefore = (await changedEvents()).length;
    const all = (await committed(0)).map((r) => r.event);
    // A redelivery (the same event ids) and a repeat (new ids for the same report as it stands).
    expect(await apply(all)).toBe(0);
    expect(await apply(all.map((e) => ({ ...e, id: randomUUID() })))).toBe(0);
    expect(await ok<IndicatorList>('/api/indicators')).toEqual(before);
    expect((await changedEvents()).length).toBe(eventsBefore);
    const sources = await database().db.selectFrom('indicator_source').select('indicator_id').execute();
    expect(sources).toHaveLength(5);
  });

  it("makes a bank answer's onward accounts indicators", async () => {
    const report = await fileReport([]);
    await feed();
    const [pending] = await queue(h, c.desk!, `?reportId=${report.id}`);
    const sent = await post(c.desk!, `/api/stop-payments/${pending!.id}/send`, {
      legalDocNumber: 'GZ-ZF-0001',
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const mule = cardOf('CCB', 4242);
    const answer = {
      outcome: 'stopped',
      stoppedFen: 1_000_000,
      balanceFen: 1_000_000,
      onwardTransfers: [
        { account: { number: mule }, amountFen: 2_000_000, transferredAt: h.clock.now().toISOString() },
      ],
    };
    const res = await post(c.icbc!, `/api/bank/instructions/${pending!.id}/result`, answer, {
      'idempotency-key': randomUUID(),
    });
    expect(res.statusCode, res.body).toBe(200);
    const answered = res.json<StopPaymentView>();
    const events = await feed();
    expect(events.some((e) => e.subject === 'stop-payment.changed')).toBe(true);

    const detail = await ok<IndicatorDetail>(`/api/indicators/lookup?kind=account&value=${mule}`);
    expect(detail.indicator).toMatchObject({
      reportCount: 0,
      answerCount: 1,
      lossFen: 0,
      lastReportedAt: null,
    });
    expect(detail.indicator.riskLevel).toBe('medium');
    expect(detail.sources).toEqual([
      {
        kind: 'bank_answer',
        sourceId: answered.id,
        reportId: report.id,
        reportNumber: report.number,
        lossFen: 0,
        seenAt: answered.result!.answeredAt,
      },
    ]);
    // The onward transfer also became a next-layer request: its event names no new source.
    expect(await apply(events.map((e) => ({ ...e, id: randomUUID() })))).toBe(0);
    // Only the answer naming onward transfers was marked applied: the send's event and the next layer's
    // request's name no indicator and cost the consumer nothing, not even a mark.
    const stops = events.filter((e) => e.subject === 'stop-payment.changed') as Array<
      EventEnvelope<'stop-payment.changed'>
    >;
    const [withOnward, others] = [
      stops.filter((e) => e.data.request.result?.onwardTransfers.length),
      stops.filter((e) => !e.data.request.result?.onwardTransfers.length),
    ];
    expect(withOnward.map((e) => e.data.request.id)).toEqual([answered.id]);
    expect(others.length).toBeGreaterThanOrEqual(2);
    expect(await consumerMarks(database().db, INDICATORS_CONSUMER, withOnward)).toBe(1);
    expect(await consumerMarks(database().db, INDICATORS_CONSUMER, others)).toBe(0);
  });

  it('makes a value named by more reports than the threshold shared, and counts it', async () => {
    const hotline = { key: 'h', kind: 'phone', value: '400-810-8888' } as const;
    const landline = '+864008108888';
    for (let i = 0; i < SHARED_REPORTS; i++) await fileReport([hotline], 100_000);
    await feed();
    let d = await ok<IndicatorDetail>(`/api/indicators/lookup?kind=phone&value=4008108888`);
    expect(d.indicator).toMatchObject({ value: landline, status: 'active', reportCount: SHARED_REPORTS });
    await fileReport([hotline], 100_000);
    await feed();
    d = await ok<IndicatorDetail>(`/api/indicators/lookup?kind=phone&value=4008108888`);
    expect(d.indicator).toMatchObject({
      status: 'shared',
      reportCount: SHARED_REPORTS + 1,
      lossFen: 400_000,
    });
    const last = (await changedEvents()).filter((e) => e.id === d.indicator.id).at(-1);
    expect(last?.status).toBe('shared');
    // The tally the metrics read agrees with the table.
    const tally = await h.app.services.indicators.countByStatus();
    const counted = await database()
      .db.selectFrom('indicator')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    for (const row of counted)
      expect(tally.find((t) => t.status === row.status)?.n, row.status).toBe(Number(row.n));
    expect(tally.find((t) => t.status === 'shared')?.n).toBe(1);
    // Screening's reader: only active ones to load, any by id.
    const page = await h.app.services.indicators.reader.loadPage(0, 1000);
    expect(page.every((s) => s.status === 'active')).toBe(true);
    expect(page.some((s) => s.id === d.indicator.id)).toBe(false);
    expect(await h.app.services.indicators.reader.getMany([d.indicator.id, 999_999])).toEqual([
      expect.objectContaining({ id: d.indicator.id, status: 'shared' }),
    ]);
  });

  it('lists by kind and status, searches by raw value or prefix, and pages by cursor', async () => {
    await fileReport([
      { key: 'a', kind: 'phone', value: '13800138001' },
      { key: 'b', kind: 'phone', value: '13800138002' },
      { key: 'c', kind: 'phone', value: '13900139000' },
    ]);
    await feed();
    const phones = await ok<IndicatorList>('/api/indicators?kind=phone&limit=200');
    expect(phones.indicators.every((i) => i.kind === 'phone')).toBe(true);
    const ids = phones.indicators.map((i) => i.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const shared = await ok<IndicatorList>('/api/indicators?status=shared');
    expect(shared.indicators.map((i) => i.value)).toEqual(['+864008108888']);

    // Paging newest first: two pages of two cover the first four, without repeats.
    const p1 = await ok<IndicatorList>('/api/indicators?kind=phone&limit=2');
    const p2 = await ok<IndicatorList>(`/api/indicators?kind=phone&limit=2&after=${p1.nextCursor}`);
    expect([...p1.indicators, ...p2.indicators].map((i) => i.id)).toEqual(ids.slice(0, 4));

    // A prefix of the normal form, in its order, paged.
    const s1 = await ok<IndicatorList>('/api/indicators?kind=phone&q=%2B86138001&limit=2');
    expect(s1.indicators.map((i) => i.value)).toEqual(['+8613800138000', '+8613800138001']);
    const s2 = await ok<IndicatorList>(
      `/api/indicators?kind=phone&q=%2B86138001&limit=2&after=${encodeURIComponent(s1.nextCursor!)}`,
    );
    expect(s2.indicators.map((i) => i.value)).toEqual(['+8613800138002']);
    expect(s2.nextCursor).toBeNull();
    // A raw value is normalised first.
    const raw = await ok<IndicatorList>('/api/indicators?kind=phone&q=139-0013-9000');
    expect(raw.indicators.map((i) => i.value)).toEqual(['+8613900139000']);
    const domain = await ok<IndicatorList>(
      '/api/indicators?kind=domain&q=HTTPS%3A%2F%2Fwww.evil-shop.com.cn%2Fx',
    );
    expect(domain.indicators.map((i) => i.value)).toEqual(['evil-shop.com.cn']);
    const none = await ok<IndicatorList>('/api/indicators?kind=phone&q=%2B1');
    expect(none).toEqual({ indicators: [], nextCursor: null });

    // One by id, as the list has it.
    const one = await ok<IndicatorDetail>(`/api/indicators/${ids[0]}`);
    expect(one.indicator).toEqual(phones.indicators[0]);
    // The supervisor reads too.
    await ok<IndicatorList>('/api/indicators', c.super);
  });

  it('applies a batch in the same statements whatever it names (set-based, not per value)', async () => {
    const named = (i: number) =>
      [
        { key: 'p', kind: 'phone', value: `1370013${String(i).padStart(4, '0')}` },
        { key: 'u', kind: 'url', value: `https://www.shop${i}-example.cn/` },
        { key: 'a', kind: 'app', value: `com.fake${i}.loan` },
      ] as const;
    const counting = countingDb(database().db);
    const run = async (events: EventEnvelope[]) => {
      counting.reset();
      const changed = await applyIndicatorEvents(
        { db: counting.db, clock: h.clock, sharedReports: SHARED_REPORTS, wake: () => undefined },
        events,
      );
      return { changed, statements: counting.count(), kinds: [...counting.kinds] };
    };
    await fileReport([...named(1)]);
    const one = await run((await committed(fed)).map((r) => r.event));
    fed = Math.max(fed, ...(await committed(fed)).map((r) => r.id));
    for (let i = 2; i <= 21; i++) await fileReport([...named(i)]);
    const rows = await committed(fed);
    const many = await run(rows.map((r) => r.event));
    fed = Math.max(fed, ...rows.map((r) => r.id));
    // 1 report: 3 contacts + 1 account; 20 reports: 80 new indicators.
    expect(one.changed).toBe(4);
    expect(many.changed).toBe(80);
    expect(many.statements, many.kinds.join('\n')).toBe(one.statements);
    expect(one.statements).toBeLessThanOrEqual(10);
  });

  it('counts screened hits on their indicators without an event', async () => {
    const d = await ok<IndicatorDetail>('/api/indicators/lookup?kind=phone&value=13800138000');
    const events = (await changedEvents()).length;
    await database()
      .db.transaction()
      .execute((trx) => addIndicatorHits(trx, [d.indicator.id, d.indicator.id, 999_999_999]));
    const after = await ok<IndicatorDetail>(`/api/indicators/${d.indicator.id}`);
    expect(after.indicator.hitCount).toBe(d.indicator.hitCount + 2);
    expect((await changedEvents()).length).toBe(events);
  });

  it('counts a screened signal’s hit on its indicator once, however often the batch is sent', async () => {
    const d = await ok<IndicatorDetail>('/api/indicators/lookup?kind=phone&value=13800138000');
    await h.app.services.screening.loadMatcher();
    const pair = generateKeyPairSync('ed25519');
    const made = await post(c.root!, '/api/integrations/signal-keys', {
      name: 'mobile gateway',
      sender: { kind: 'operator', operator: 'china_mobile' },
      publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    expect(made.statusCode, made.body).toBe(201);
    const body = {
      kind: 'call',
      sentAt: h.clock.now().toISOString(),
      signals: [1, 2].map((n) => ({
        id: `hit-count-${n}`,
        at: h.clock.now().toISOString(),
        subscriber: `+861390013900${n}`,
        countyCode: '520102',
        from: '+8613800138000',
        durationS: 30,
        isInternational: false,
      })),
    };
    const send = () =>
      h.app.inject({
        method: 'POST',
        url: '/api/operator/signals',
        headers: {
          authorization: `Bearer ${made.json<{ key: string }>().key}`,
          'x-fanzha-signature': sign(
            null,
            Buffer.from(canonicalJson({ signalBatch: body })),
            pair.privateKey,
          ).toString('base64'),
        },
        payload: body,
      });
    const first = await send();
    expect(first.json(), first.body).toMatchObject({ accepted: 2, hits: 2 });
    const counted = await ok<IndicatorDetail>(`/api/indicators/${d.indicator.id}`);
    expect(counted.indicator.hitCount).toBe(d.indicator.hitCount + 2);
    // Sent again (a retry, a redelivery): no new warning, and no new hit.
    expect((await send()).json()).toMatchObject({ accepted: 2, hits: 2 });
    const again = await ok<IndicatorDetail>(`/api/indicators/${d.indicator.id}`);
    expect(again.indicator.hitCount).toBe(counted.indicator.hitCount);
  });

  it('refuses the call-taker and the bank liaison', async () => {
    for (const who of ['taker', 'icbc'])
      for (const url of [
        '/api/indicators',
        '/api/indicators/1',
        '/api/indicators/lookup?kind=phone&value=4008108888',
      ]) {
        const res = await get(url, c[who]);
        expect(res.statusCode, `${who} ${url}`).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: 'forbidden' } });
      }
  });

  it('answers bad input with the one error shape, naming the field', async () => {
    const bad = async (url: string, field: string, reason?: string) => {
      const res = await get(url);
      expect(res.statusCode, `${url} ${res.body}`).toBe(400);
      const body = res.json<{ error: { code: string; details: Array<{ field: string; reason: string }> } }>();
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.map((d) => d.field)).toContain(field);
      if (reason) expect(body.error.details.find((d) => d.field === field)?.reason).toBe(reason);
    };
    await bad('/api/indicators?q=138', 'query.kind', 'indicators.kind_required');
    await bad('/api/indicators?after=abc', 'query.after', 'indicators.cursor');
    await bad('/api/indicators?kind=fax', 'query.kind');
    await bad('/api/indicators?status=gone', 'query.status');
    await bad('/api/indicators?limit=0', 'query.limit');
    await bad('/api/indicators?colour=red', 'query.colour');
    await bad('/api/indicators/lookup?kind=phone&value=12345', 'query.value', 'phone.length');
    await bad('/api/indicators/lookup?kind=phone', 'query.value');
    await bad('/api/indicators/0', 'params.id');
    await bad('/api/indicators/abc', 'params.id');
    const missing = await get('/api/indicators/99999999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'not_found' } });
    const unknown = await get('/api/indicators/lookup?kind=phone&value=13700137000');
    expect(unknown.statusCode).toBe(404);
  });
});
