import type {
  AppealList,
  AppealReceipt,
  AppealView,
  IndicatorDetail,
  IndicatorHistory,
  RiskLookupResult,
} from '@fanzha/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { describeEachStorage } from '../../../testing/test-databases';
import { highRiskPhones, importIndicatorCsv } from '../../../testing/indicator-import';

// An appeal on a value an analyst merged into another indicator: the grant clears that value alone.
describeEachStorage('appeals (申诉) on a merged value', (database) => {
  let h: Harness;
  const c: Record<string, string> = {};
  let n = 0;
  beforeAll(async () => {
    h = await createHarness(database());
    await createCast(h, [
      ['ana', 'analyst', {}],
      ['sup', 'supervisor', {}],
    ]);
    for (const u of ['ana', 'sup']) c[u] = await h.signIn(u);
  });
  afterAll(() => h.close());

  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });
  const post = (who: string, url: string, payload: object) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: { cookie: c[who]!, 'idempotency-key': `k-${++n}` },
      payload,
    });
  const indicatorOf = async (phone: string) =>
    (await get('ana', `/api/indicators/lookup?kind=phone&value=${phone}`)).json<IndicatorDetail>().indicator;
  const lookup = async (phone: string) => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/public/risk-lookup',
      payload: { kind: 'phone', value: phone },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<RiskLookupResult>().level;
  };

  /** Phone numbers the registry lists (imported as high risk). */
  const listed = (phones: string[]) => importIndicatorCsv(h, c.ana!, highRiskPhones(phones));

  it('detaches the appealed value from its survivor and clears it; the survivor and its other values answer as before', async () => {
    const [survivorPhone, appealedPhone, otherPhone] = ['17200001111', '17200002222', '17200003333'];
    await listed([survivorPhone, appealedPhone, otherPhone]);
    const survivor = await indicatorOf(survivorPhone);
    const appealed = await indicatorOf(appealedPhone);
    const other = await indicatorOf(otherPhone);
    for (const merged of [appealed, other]) {
      const res = await post('ana', `/api/indicators/${merged.id}/merge`, {
        into: survivor.id,
        reason: '同一团伙轮换使用的号码',
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    // The grant's decision comes later than the merges, so the value's history shows it first.
    h.clock.advance(60_000);
    const before = await lookup(survivorPhone);
    expect(before).not.toBe('no_record');
    expect(await lookup(appealedPhone)).toBe(before);
    expect(await lookup(otherPhone)).toBe(before);

    const filed = await h.app.inject({
      method: 'POST',
      url: '/api/public/appeals',
      payload: {
        subjectKind: 'phone',
        subjectValue: '172-0000-2222',
        name: '张三',
        contactPhone: '13912345678',
        statement: '此号码是我本人正常使用的号码，从未用于诈骗。',
      },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const { reference } = filed.json<AppealReceipt>();
    const id = (await get('ana', '/api/appeals?status=open'))
      .json<AppealList>()
      .items.find((a) => a.reference === reference)!.id;
    expect(
      (await post('ana', `/api/appeals/${id}/review`, { recommendation: 'grant', reason: '号码已过户' }))
        .statusCode,
    ).toBe(200);
    const decided = await post('sup', `/api/appeals/${id}/decision`, { decision: 'grant', reason: '同意' });
    expect(decided.statusCode, decided.body).toBe(200);

    // The appealed value: on its own now, cleared — the public lookup says no record, as the appellant is told.
    expect(await lookup(appealedPhone)).toBe('no_record');
    expect(decided.json<AppealView>().effects).toEqual([`indicator:${appealed.id}:not_fraud`]);
    expect(await indicatorOf(appealedPhone)).toMatchObject({
      id: appealed.id,
      status: 'not_fraud',
      mergedInto: null,
    });
    const history = (await get('ana', `/api/indicators/${appealed.id}/history`)).json<IndicatorHistory>();
    expect(history.decisions[0]).toMatchObject({
      action: 'not_fraud',
      fromStatus: 'merged',
      toStatus: 'not_fraud',
      otherIndicatorId: survivor.id,
      reason: `appeal granted ${reference}`,
    });
    const audited = await database()
      .db.selectFrom('audit_entry')
      .select(['action', 'details'])
      .where('object_type', '=', 'indicator')
      .where('object_id', '=', String(appealed.id))
      .where('action', '=', 'indicator.decide')
      .execute();
    expect(audited.map((a) => a.details)).toEqual([
      expect.objectContaining({ from: 'merged', to: 'not_fraud', detachedFrom: survivor.id }),
    ]);

    // The survivor, its own value and its other merged value: as they were.
    expect(await lookup(survivorPhone)).toBe(before);
    expect(await lookup(otherPhone)).toBe(before);
    const survivorAfter = (await get('ana', `/api/indicators/${survivor.id}`)).json<IndicatorDetail>();
    expect(survivorAfter.indicator.status).toBe(survivor.status);
    expect(await indicatorOf(otherPhone)).toMatchObject({ status: 'merged', mergedInto: survivor.id });
  });
});
