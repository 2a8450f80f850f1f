import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type {
  ErrorBody,
  IndicatorDetail,
  IntakeReportInput,
  PayeeCheckResult,
  RiskLookupResult,
} from '@fanzha/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf, draft } from '../../../testing/core-loop-fixtures';
import { committedEvents } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { canonicalJson } from '../../platform/crypto/canonical-json';
import { listAudit, sealAudit } from '../audit/index';
import { countingDb } from '../../../testing/statement-count';
import { applyIndicatorEvents, createIndicatorsService } from '../indicators/index';
import { createRiskLookupService } from './risk-lookup.service';

/** More reports than this make a value shared. */
const SHARED_REPORTS = 2;

describeEachStorage('the public risk lookup and banks’ payee checks', (database) => {
  let h: Harness;
  let fed = 0;
  let seed = 0;
  const c: Record<string, string> = {};
  let bankKey = '';
  let privateKey: KeyObject;

  /** The indicators consumer's work, driven by hand: every committed report event so far. */
  async function feed() {
    const rows = await committedEvents(database().db, {
      after: fed,
      subjects: ['report.changed', 'stop-payment.changed'],
    });
    await applyIndicatorEvents(
      {
        db: database().db,
        clock: h.clock,
        sharedReports: SHARED_REPORTS,
        wake: () => undefined,
        onSkipped: () => undefined,
      },
      rows.map((r) => r.event),
    );
    fed = Math.max(fed, ...rows.map((r) => r.id));
  }

  async function fileReport(contacts: IntakeReportInput['contacts'], amountFen: number) {
    const card = cardOf('ICBC', 8100 + seed++);
    const body = draft({ at: h.clock.now(), transfers: [{ number: card, amountFen }], complete: true });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: { cookie: c.taker! },
      payload: { ...body, id: randomUUID(), version: undefined, contacts },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { card, number: res.json<{ number: string }>().number };
  }

  const lookup = (payload: object, remoteAddress = '203.0.113.10') =>
    h.app.inject({ method: 'POST', url: '/api/public/risk-lookup', payload, remoteAddress });
  const levelOf = async (kind: string, value: string) => {
    const res = await lookup({ kind, value });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<RiskLookupResult>();
  };
  const asStaff = (cookie: string, url: string, payload?: object) =>
    h.app.inject({
      method: payload ? 'POST' : 'GET',
      url,
      headers: { cookie },
      ...(payload ? { payload } : {}),
    });
  /** The registry's id of a value, as an analyst finds it. */
  const indicatorId = async (kind: string, value: string) => {
    const res = await asStaff(
      c.analyst!,
      `/api/indicators/lookup?kind=${kind}&value=${encodeURIComponent(value)}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json<IndicatorDetail>().indicator.id;
  };
  const signed = (body: unknown) =>
    sign(null, Buffer.from(canonicalJson({ payeeCheck: body })), privateKey).toString('base64');
  const check = (body: unknown, headers: Record<string, string> = {}) =>
    h.app.inject({
      method: 'POST',
      url: '/api/bank/payee-checks',
      headers: { authorization: `Bearer ${bankKey}`, 'x-fanzha-signature': signed(body), ...headers },
      payload: body as object,
    });
  const successes = async () => {
    const r = await sql<{ n: string }>`
      select count(*) as n from audit_entry where action = 'bank-payee-check.run' and result = 'success'`.execute(
      database().db,
    );
    return Number(r.rows[0]!.n);
  };

  let highCard = '';
  let highReport = '';
  let victimPhone = '';
  beforeAll(async () => {
    h = await createHarness(database(), { start: '2026-05-01T02:00:00Z' });
    const users = [
      ['taker', 'call_taker', {}],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
      ['analyst', 'analyst', {}],
      ['unicom', 'telecom_liaison', { operatorCode: 'china_unicom' }],
      ['root', 'admin', {}],
    ] as const;
    await createCast(h, users);
    Object.assign(c, await signInCast(h, users));
    const pair = generateKeyPairSync('ed25519');
    privateKey = pair.privateKey;
    const made = await h.app.inject({
      method: 'POST',
      url: '/api/integrations/bank-keys',
      headers: { cookie: c.root! },
      payload: {
        name: 'payments gateway',
        bankCode: 'ICBC',
        publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    bankKey = made.json<{ key: string }>().key;

    // One report with a large recent loss: its phone and payee account are high risk.
    const high = await fileReport(
      [
        { key: 'p', kind: 'phone', value: '138 0013 8000' },
        { key: 'u', kind: 'url', value: 'https://pay.evil-shop.com.cn/order?id=1' },
      ],
      5_000_000,
    );
    highCard = high.card;
    highReport = high.number;
    // A small, recent loss: suspicious.
    await fileReport([{ key: 'p', kind: 'phone', value: '13900139000' }], 50_000);
    // Three reports name a hotline: shared (more than SHARED_REPORTS), never high risk.
    for (let i = 0; i < 3; i++)
      await fileReport([{ key: 'p', kind: 'phone', value: '400 888 0000' }], 5_000_000);
    // A number its operator reported as reassigned.
    await fileReport([{ key: 'p', kind: 'phone', value: '13700137000' }], 5_000_000);
    await feed();
    await sql`update indicator set status = 'suspended' where kind = 'phone' and value = '+8613700137000'`.execute(
      database().db,
    );
    victimPhone = draft({ at: h.clock.now(), transfers: [], complete: true }).victim.phone!;
  });
  afterAll(() => h.close());

  it('says high risk for a reported phone number, written any way, with what to do next', async () => {
    for (const written of ['13800138000', '+86 138-0013-8000', '0086 13800138000']) {
      const r = await levelOf('phone', written);
      expect(r).toMatchObject({ kind: 'phone', value: '+8613800138000', level: 'high_risk' });
    }
    const r = await levelOf('phone', '13800138000');
    expect(r.advice.steps.some((s) => s['zh-CN'].includes('96110'))).toBe(true);
    expect(r.notice.en).toBe('No record does not mean safe.');
    expect(r.notice['zh-CN']).toContain('没有记录不代表安全');
    expect((await levelOf('url', 'http://WWW.evil-shop.com.cn/other')).level).toBe('high_risk');
    expect((await levelOf('account', highCard)).level).toBe('high_risk');
    expect((await levelOf('phone', '13900139000')).level).toBe('suspicious');
  });

  it('says no record for an unknown number, in the same shape as a hit, and tells nothing personal', async () => {
    const hit = await levelOf('phone', '13800138000');
    const miss = await levelOf('phone', '13600136000');
    expect(miss.level).toBe('no_record');
    expect(miss.advice.headline.en).toContain('No record does not mean safe');
    expect(Object.keys(miss).sort()).toEqual(Object.keys(hit).sort());
    // The victim's own phone is in the report, but it is not an indicator.
    expect((await levelOf('phone', victimPhone)).level).toBe('no_record');
    // Nothing about the reports: no ids, numbers, counts, losses or names; the same fields as a miss.
    expect(Object.keys(hit).sort()).toEqual(['advice', 'checkedAt', 'kind', 'level', 'notice', 'value']);
    const text = JSON.stringify(hit);
    expect(text).not.toContain(highReport);
    expect(text).not.toMatch(/张三|王五|5000000|50000|"id"|Count|Fen/);
  });

  it('does the same work for a hit and a miss: the same statements, one indexed read', async () => {
    const counting = countingDb(database().db);
    const service = createRiskLookupService({
      db: counting.db,
      clock: h.clock,
      indicators: createIndicatorsService({ db: counting.db }),
    });
    const run = async (value: string) => {
      counting.reset();
      const r = await service.lookup({ kind: 'phone', value });
      return { level: r.level, statements: counting.count(), kinds: [...counting.kinds] };
    };
    const hit = await run('13800138000');
    const miss = await run('13600136000');
    expect([hit.level, miss.level]).toEqual(['high_risk', 'no_record']);
    expect(hit.statements).toBe(1);
    expect(miss.kinds).toEqual(hit.kinds);
  });

  it('never says high risk for a shared or a reassigned number', async () => {
    expect((await levelOf('phone', '4008880000')).level).toBe('suspicious');
    expect((await levelOf('phone', '13700137000')).level).toBe('no_record');
  });

  it('answers from the registry’s decisions: cleared and reassigned say no record, a merged value its survivor’s level', async () => {
    await fileReport(
      [
        { key: 'p', kind: 'phone', value: '13500135001' },
        { key: 'u', kind: 'url', value: 'https://www.cleared-shop.com.cn/pay' },
      ],
      5_000_000,
    );
    await fileReport([{ key: 'p', kind: 'phone', value: '13500135002' }], 50_000);
    await fileReport([{ key: 'p', kind: 'phone', value: '13500135003' }], 5_000_000);
    await feed();
    expect((await levelOf('url', 'cleared-shop.com.cn')).level).toBe('high_risk');
    expect((await levelOf('phone', '13500135002')).level).toBe('suspicious');
    expect((await levelOf('phone', '13500135003')).level).toBe('high_risk');

    const cleared = await asStaff(
      c.analyst!,
      `/api/indicators/${await indicatorId('domain', 'cleared-shop.com.cn')}/decisions`,
      { action: 'not_fraud', reason: '正规商户' },
    );
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect((await levelOf('url', 'cleared-shop.com.cn')).level).toBe('no_record');

    const reassigned = await asStaff(c.unicom!, '/api/indicators/reassigned', {
      number: '135 0013 5003',
      reason: '号码已回收并重新放号',
    });
    expect(reassigned.statusCode, reassigned.body).toBe(200);
    expect((await levelOf('phone', '13500135003')).level).toBe('no_record');

    // The suspicious number merged into the high-risk one answers as the survivor does.
    const merged = await asStaff(
      c.analyst!,
      `/api/indicators/${await indicatorId('phone', '13500135002')}/merge`,
      { into: await indicatorId('phone', '13500135001'), reason: '同一诈骗团伙的两个号码' },
    );
    expect(merged.statusCode, merged.body).toBe(200);
    const survivor = await levelOf('phone', '13500135002');
    expect(survivor).toMatchObject({ value: '+8613500135002', level: 'high_risk' });
    expect(JSON.stringify(survivor)).not.toContain('13500135001');
  });

  it('says high risk for a partner’s high risk imported into the registry, as the registry keeps it', async () => {
    const started = await asStaff(c.analyst!, '/api/indicators/imports', {
      fileName: 'partner.csv',
      columns: ['kind', 'value', 'risk', 'first_seen', 'last_seen', 'note'],
    });
    expect(started.statusCode, started.body).toBe(201);
    const id = started.json<{ id: string }>().id;
    const chunk = await asStaff(c.analyst!, `/api/indicators/imports/${id}/chunks`, {
      records: [{ line: 2, fields: ['phone', '135 0013 5100', 'high', '', '', '伙伴中心'] }],
    });
    expect(chunk.statusCode, chunk.body).toBe(200);
    expect(
      (await asStaff(c.analyst!, `/api/indicators/imports/${id}/finish`, { unreadable: 0 })).statusCode,
    ).toBe(200);
    expect((await levelOf('phone', '13500135100')).level).toBe('high_risk');
  });

  it('refuses wildcards, partial values and unknown fields in the one error shape: no enumeration', async () => {
    for (const payload of [
      { kind: 'phone', value: '138%' },
      { kind: 'phone', value: '138*' },
      { kind: 'phone', value: '1380013' },
      { kind: 'url', value: '*.com.cn' },
      { kind: 'account', value: '620058' },
      { kind: 'app', value: 'com.evil.loan' },
      { kind: 'phone', value: '13800138000', prefix: true },
      { kind: 'phone' },
    ]) {
      const res = await lookup(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json<ErrorBody>().error).toMatchObject({ code: 'validation_failed' });
      expect(res.body).not.toContain('+8613800138000');
    }
  });

  it('checks a batch of payees for a bank key, in order, with one audit entry per batch', async () => {
    const before = await successes();
    const body = {
      payees: [
        { ref: 'pay-1', bankCode: 'ICBC', account: highCard, name: '王五' },
        { ref: 'pay-2', account: cardOf('CCB', 4242) },
      ],
    };
    const res = await check(body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<PayeeCheckResult>().results).toEqual([
      { ref: 'pay-1', account: highCard, level: 'high_risk', reason: 'reported_high_risk' },
      { ref: 'pay-2', account: cardOf('CCB', 4242), level: 'no_record', reason: 'not_found' },
    ]);
    expect(await successes()).toBe(before + 1);
    await sealAudit(database().db);
    const [entry] = await listAudit(database().db, { limit: 1, action: 'bank-payee-check.run' });
    expect(entry).toMatchObject({
      result: 'success',
      details: { bankCode: 'ICBC', payees: 2, high_risk: 1, suspicious: 0, no_record: 1 },
    });
    expect(JSON.stringify(entry)).not.toContain(highCard);
  });

  it('requires a bank key or a liaison, and the key’s signature', async () => {
    const body = { payees: [{ ref: 'x', account: highCard }] };
    const anonymous = await h.app.inject({ method: 'POST', url: '/api/bank/payee-checks', payload: body });
    expect(anonymous.statusCode).toBe(401);
    const analyst = await h.app.inject({
      method: 'POST',
      url: '/api/bank/payee-checks',
      headers: { cookie: c.analyst! },
      payload: body,
    });
    expect(analyst.statusCode).toBe(403);
    const unsigned = await check(body, { 'x-fanzha-signature': 'bm90IGEgc2lnbmF0dXJl' });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json<ErrorBody>().error.code).toBe('unauthenticated');
    const liaison = await h.app.inject({
      method: 'POST',
      url: '/api/bank/payee-checks',
      headers: { cookie: c.icbc! },
      payload: body,
    });
    expect(liaison.statusCode, liaison.body).toBe(200);
  });

  it('takes 1 to 100 payees, refuses a bad account or a repeated ref naming each, and changes nothing', async () => {
    const before = await successes();
    const payees = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ ref: `r${i}`, account: cardOf('ABC', 5000 + i) }));
    const hundred = await check({ payees: payees(100) });
    expect(hundred.statusCode, hundred.body).toBe(200);
    expect(hundred.json<PayeeCheckResult>().results).toHaveLength(100);
    for (const body of [{ payees: [] }, { payees: payees(101) }, { payees: payees(1), extra: 1 }]) {
      const res = await check(body);
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorBody>().error.code).toBe('validation_failed');
    }
    const bad = await check({
      payees: [
        { ref: 'a', account: highCard },
        { ref: 'a', account: '6200 58' },
        { ref: 'c', account: `${highCard.slice(0, -1)}${(Number(highCard.at(-1)) + 1) % 10}` },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.details?.map((d) => `${d.field} ${d.reason}`)).toEqual([
      'body.payees.1.ref duplicate',
      'body.payees.1.account account.length',
      'body.payees.2.account card.luhn',
    ]);
    expect(await successes()).toBe(before + 1);
  });

  // Last: it moves the clock on.
  it('decays the score to the lookup’s time: a large loss 40 days old is suspicious, and rises when seen again', async () => {
    // ¥200,000: 12 + 12 · log10(201) ≈ 39.6, high; after 40 days (half-life 90) ≈ 29.4, below 30.
    const { card } = await fileReport([{ key: 'p', kind: 'phone', value: '13500135009' }], 20_000_000);
    await feed();
    expect((await levelOf('phone', '13500135009')).level).toBe('high_risk');
    expect(
      (await check({ payees: [{ ref: 'old', account: card }] })).json<PayeeCheckResult>().results[0],
    ).toMatchObject({
      level: 'high_risk',
      reason: 'reported_high_risk',
    });
    h.clock.advance(40 * 86_400_000);
    Object.assign(c, await signInCast(h, [['taker', 'call_taker', {}]]));
    expect((await levelOf('phone', '13500135009')).level).toBe('suspicious');
    expect(
      (await check({ payees: [{ ref: 'old', account: card }] })).json<PayeeCheckResult>().results[0],
    ).toMatchObject({
      level: 'suspicious',
      reason: 'reported',
    });
    // Named again (a report without loss adds 12): high again.
    await fileReport([{ key: 'p', kind: 'phone', value: '135 0013 5009' }], 100);
    await feed();
    expect((await levelOf('phone', '13500135009')).level).toBe('high_risk');
  });
});

describeEachStorage('the lookup’s and payee checks’ rate classes', (database) => {
  let h: Harness;
  let cookie = '';
  beforeAll(async () => {
    h = await createHarness(database(), {
      env: { FANZHA_RATE_LIMITS: 'on', FANZHA_RATE_LOOKUP: '3/min', FANZHA_RATE_PAYEE_CHECK: '2/min' },
    });
    await createCast(h, [['icbc', 'bank_liaison', { bankCode: 'ICBC' }]]);
    cookie = (await signInCast(h, [['icbc', 'bank_liaison', { bankCode: 'ICBC' }]])).icbc!;
  });
  afterAll(() => h.close());

  it('limits lookups per client address, 429 with Retry-After in the one shape', async () => {
    const ask = (remoteAddress: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/public/risk-lookup',
        payload: { kind: 'phone', value: '13800138000' },
        remoteAddress,
      });
    for (let i = 0; i < 3; i++) expect((await ask('198.51.100.7')).statusCode).toBe(200);
    const refused = await ask('198.51.100.7');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBe(20);
    expect(refused.json<ErrorBody>().error).toMatchObject({ code: 'rate_limited' });
    expect((await ask('198.51.100.8')).statusCode).toBe(200);
    h.clock.advance(20_000);
    expect((await ask('198.51.100.7')).statusCode).toBe(200);
  });

  it('limits payee checks per credential in a class of their own', async () => {
    const body = { payees: [{ ref: 'a', account: cardOf('ICBC', 1) }] };
    const checkOnce = () =>
      h.app.inject({ method: 'POST', url: '/api/bank/payee-checks', headers: { cookie }, payload: body });
    for (let i = 0; i < 2; i++) expect((await checkOnce()).statusCode).toBe(200);
    const refused = await checkOnce();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    // The same credential's other routes are not spent.
    const feed = await h.app.inject({ method: 'GET', url: '/api/bank/instructions', headers: { cookie } });
    expect(feed.statusCode).toBe(200);
  });
});
