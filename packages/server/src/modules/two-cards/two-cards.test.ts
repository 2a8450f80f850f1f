import { randomUUID } from 'node:crypto';
import type {
  ErrorBody,
  ReportView,
  TwoCardHolderDetail,
  TwoCardHolderList,
  TwoCardImportResult,
  TwoCardLeague,
  TwoCardMeasureView,
} from '@fanzha/contracts';
import { withIdCheckChar, type EventEnvelope } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf, draft, saveDraft } from '../../../testing/core-loop-fixtures';
import { committedEvents } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { newEvent } from '../../platform/events';
import { listAudit, sealAudit } from '../audit/index';
import { applyTwoCardEvents } from './index';

const NANMING = '520102';
const holderA = withIdCheckChar('52010219900307001');
const holderB = withIdCheckChar('52010319851111002');

describeEachStorage('two cards (断卡)', (database) => {
  let h: Harness;
  let c: Record<string, string> = {};
  let seen = 0;
  const cast = [
    ['taker', 'call_taker', {}],
    ['analyst', 'analyst', {}],
    ['sup', 'supervisor', {}],
    ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
    ['mobile', 'telecom_liaison', { operatorCode: 'china_mobile' }],
    ['nanming', 'county_police', { countyCode: NANMING }],
  ] as const;
  // A short period for one kind: the measure's end follows the deployment's configuration.
  beforeAll(async () => {
    h = await createHarness(database(), { env: { FANZHA_TWO_CARDS_NO_NEW_ACCOUNTS_MONTHS: '12' } });
    await createCast(h, cast);
    c = await signInCast(h, cast);
  });
  afterAll(() => h.close());

  const deps = () => ({
    db: database().db,
    clock: h.clock,
    issueMissing: h.app.services.twoCards.issueMissing,
  });
  const post = (who: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, ...headers }, payload });
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });

  /** Submits a report paying these cards and naming these fraud phones; feeds its events to the consumer. */
  async function report(cards: string[], phones: string[]) {
    const id = randomUUID();
    const body = draft({
      at: h.clock.now(),
      complete: true,
      transfers: cards.map((number) => ({ number, amountFen: 100_000 })),
    });
    const saved = await saveDraft(h, c.taker!, id, {
      ...body,
      contacts: phones.map((value, i) => ({ key: `p${i}`, kind: 'phone' as const, value })),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const submitted = await post('taker', `/api/reports/${id}/submit`, {
      version: saved.json<ReportView>().version,
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    return id;
  }
  async function feed(): Promise<EventEnvelope[]> {
    const rows = await committedEvents(database().db, { after: seen, subjects: ['report.changed'] });
    seen = Math.max(seen, ...rows.map((r) => r.id));
    const events = rows.map((r) => r.event);
    await applyTwoCardEvents(deps(), events);
    return events;
  }
  const count = async (t: 'two_card' | 'two_card_case' | 'two_card_holder' | 'two_card_measure') =>
    Number(
      (
        await database()
          .db.selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const counts = async () => ({
    cards: await count('two_card'),
    cases: await count('two_card_case'),
    holders: await count('two_card_holder'),
    measures: await count('two_card_measure'),
  });

  const icbc1 = cardOf('ICBC', 7001);
  const icbc2 = cardOf('ICBC', 7002);
  const ccb1 = cardOf('CCB', 7003);
  const r: string[] = [];

  it('records the cards and SIMs of reports and banks’ answers once, whatever the events', async () => {
    r.push(await report([icbc1], ['138 0013 8000']));
    r.push(await report([icbc1, ccb1], []));
    const events = await feed();
    expect(await counts()).toMatchObject({ cards: 3, cases: 4, holders: 0 });
    // The same events again, and the same report under a new event id: nothing more.
    await applyTwoCardEvents(deps(), events);
    await applyTwoCardEvents(
      deps(),
      events.map((e) => ({ ...e, id: randomUUID() })),
    );
    expect(await counts()).toMatchObject({ cards: 3, cases: 4 });
    // A bank's answer: the answered account and an onward one, in the case of the report.
    const answer = newEvent(
      'stop-payment.changed',
      {
        request: {
          id: randomUUID(),
          reportId: r[1]!,
          account: { number: ccb1, bankCode: 'CCB', name: null, bankName: null },
          result: { onwardTransfers: [{ account: { number: icbc2, bankCode: 'ICBC' } }] },
        },
        reportCreatedBy: 'x',
        owningCountyCode: null,
      } as never,
      h.clock,
    ) as EventEnvelope;
    expect(await applyTwoCardEvents(deps(), [answer])).toBe(1);
    expect(await applyTwoCardEvents(deps(), [answer])).toBe(0);
    expect(await counts()).toMatchObject({ cards: 4, cases: 5 });
  });

  let holderId: string;
  let otherHolderId: string;
  it('imports holders and branches from JSON and CSV, each bad row reported by line, the others taken', async () => {
    const before = await counts();
    const json = await post('analyst', '/api/two-cards/imports', {
      format: 'json',
      rows: [
        {
          kind: 'bank',
          number: icbc1,
          holder_id_number: holderA,
          place_code: 'GY01',
          place_name: '南明支行',
        },
        {
          kind: 'bank',
          number: icbc2,
          holder_id_number: holderA,
          place_code: 'GY01',
          place_name: '南明支行',
        },
        { kind: 'bank', number: icbc2, holder_id_number: '520102199003070015', place_name: '南明支行' },
        { kind: 'sim', number: '13800138000', holder_id_number: holderA, place_name: '中华路营业厅' },
        {
          kind: 'sim',
          number: '13800138001',
          holder_id_number: holderB,
          place_name: '中华路营业厅',
          colour: 'x',
        },
      ],
    });
    expect(json.statusCode, json.body).toBe(200);
    expect(json.json<TwoCardImportResult>()).toMatchObject({
      accepted: 3,
      cardsCreated: 0,
      cardsUpdated: 3,
      holdersCreated: 1,
      problems: [
        { line: 3, field: 'holder_id_number', reason: 'id.check_char' },
        { line: 5, field: 'colour', reason: 'unknown_field' },
      ],
    });
    const csv = await post('analyst', '/api/two-cards/imports', {
      format: 'csv',
      csv: `kind,number,holder_id_number,place_code,place_name,opened_on\nbank,${ccb1},${holderB},YY02,云岩支行,2025-02-30\nbank,${ccb1},${holderB},YY02,云岩支行,2025-02-28\n`,
    });
    expect(csv.json<TwoCardImportResult>()).toMatchObject({
      accepted: 1,
      cardsUpdated: 1,
      holdersCreated: 1,
      problems: [{ line: 2, field: 'opened_on', reason: 'invalid_date' }],
    });
    expect(await counts()).toMatchObject({ cards: before.cards, holders: 2 });
    // The ID number is sealed at rest: the stored value is not the number.
    const stored = await database().db.selectFrom('two_card_holder').select('id_number').execute();
    for (const s of stored) expect([holderA, holderB]).not.toContain(s.id_number);
  });

  it('counts cards and cases per holder, most cases first, and shows a holder’s cards and cases', async () => {
    const list = await get('analyst', '/api/two-cards/holders');
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json<TwoCardHolderList>().items;
    expect(items.map((i) => [i.countyCode, i.cardCount, i.caseCount])).toEqual([
      [NANMING, 3, 2],
      ['520103', 1, 1],
    ]);
    expect(items[0]!.idNumberMasked).not.toContain(holderA.slice(6, 14));
    holderId = items[0]!.id;
    otherHolderId = items[1]!.id;
    expect(
      (await get('analyst', '/api/two-cards/holders?minCases=2')).json<TwoCardHolderList>().items,
    ).toHaveLength(1);
    const detail = (await get('sup', `/api/two-cards/holders/${holderId}`)).json<TwoCardHolderDetail>();
    expect(detail.holder.idNumber).toBe(holderA);
    const icbc = detail.cards.find((k) => k.number === icbc1)!;
    expect(icbc).toMatchObject({ institution: 'ICBC', placeCode: 'GY01', placeName: '南明支行' });
    expect([...icbc.reportIds].sort()).toEqual([...r].sort());
  });

  it('ranks branches and outlets for regulators; a liaison reads only their own institution’s rows', async () => {
    const banks = (await get('analyst', '/api/two-cards/league?kind=bank')).json<TwoCardLeague>();
    expect(banks.rows[0]).toMatchObject({
      institution: 'ICBC',
      placeCode: 'GY01',
      cardCount: 2,
      holderCount: 1,
      caseCount: 2,
    });
    expect(banks.rows.map((x) => x.institution)).toContain('CCB');
    const own = await get('icbc', '/api/two-cards/league?kind=bank');
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json<TwoCardLeague>().rows.map((x) => x.institution)).toEqual(['ICBC']);
    const ops = (await get('mobile', '/api/two-cards/league?kind=operator')).json<TwoCardLeague>();
    expect(ops.rows).toEqual([
      expect.objectContaining({ institution: 'china_mobile', placeName: '中华路营业厅' }),
    ]);
    expect((await get('icbc', '/api/two-cards/league?kind=operator')).statusCode).toBe(403);
    expect((await get('mobile', '/api/two-cards/league?kind=bank')).statusCode).toBe(403);
    expect((await get('nanming', '/api/two-cards/league?kind=bank')).statusCode).toBe(403);
    expect((await get('icbc', '/api/two-cards/holders')).statusCode).toBe(403);
    expect((await get('icbc', `/api/two-cards/holders/${holderId}`)).statusCode).toBe(403);
  });

  it('records measures with the configured periods, lists and lifts them, with audit', async () => {
    const startsAt = '2026-04-30T00:00:00.000Z';
    const record = (kind: string, key: string) =>
      post(
        'analyst',
        `/api/two-cards/holders/${holderId}/measures`,
        { kind, startsAt, reason: '出租银行卡，经市局认定', decidingUnit: '贵阳市公安局' },
        { 'idempotency-key': key },
      );
    const five = (await record('no_non_counter_services', 'm1')).json<TwoCardMeasureView>();
    expect(five).toMatchObject({
      endsAt: '2031-04-30T00:00:00.000Z',
      state: 'in_force',
      createdBy: 'analyst',
    });
    const again = (await record('no_non_counter_services', 'm1')).json<TwoCardMeasureView>();
    expect(again.id).toBe(five.id);
    // The key answers its own measure only: another kind, or another holder, with it is refused.
    const measuresBefore = await count('two_card_measure');
    const otherKind = await record('limit_new_phone_cards', 'm1');
    const otherHolder = await post(
      'analyst',
      `/api/two-cards/holders/${otherHolderId}/measures`,
      {
        kind: 'no_non_counter_services',
        startsAt,
        reason: '出租银行卡，经市局认定',
        decidingUnit: '贵阳市公安局',
      },
      { 'idempotency-key': 'm1' },
    );
    for (const res of [otherKind, otherHolder]) {
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json<ErrorBody>().error.details).toEqual([
        expect.objectContaining({ field: 'header.idempotency-key', reason: 'idempotency.reused' }),
      ]);
    }
    expect(await count('two_card_measure')).toBe(measuresBefore);
    const one = (await record('no_new_accounts', 'm2')).json<TwoCardMeasureView>();
    expect(one.endsAt).toBe('2027-04-30T00:00:00.000Z');
    const inForce = (
      await get('analyst', `/api/two-cards/measures?holderId=${holderId}&state=in_force`)
    ).json<{
      items: TwoCardMeasureView[];
    }>();
    expect(inForce.items.map((m) => m.id).sort()).toEqual([five.id, one.id].sort());
    const lifted = await post('sup', `/api/two-cards/measures/${one.id}/lift`, { reason: '申诉成立' });
    expect(lifted.json<TwoCardMeasureView>()).toMatchObject({
      state: 'lifted',
      lift: { by: 'sup', reason: '申诉成立' },
    });
    const liftAgain = await post('sup', `/api/two-cards/measures/${one.id}/lift`, { reason: '再次' });
    expect(liftAgain.statusCode).toBe(409);
    // The conflict names what it is about, in the one error shape.
    expect(liftAgain.json<ErrorBody>().error.details).toEqual([
      expect.objectContaining({ field: 'params.id', reason: 'two_cards.measure_state' }),
    ]);
    const holders = (await get('analyst', '/api/two-cards/holders')).json<TwoCardHolderList>().items;
    expect(holders.find((x) => x.id === holderId)!.measuresInForce).toBe(1);
    await sealAudit(database().db);
    const audit = await listAudit(database().db, { limit: 500 });
    expect(
      audit.filter((e) => e.action === 'two_cards.measure_record' && e.result === 'success'),
    ).toHaveLength(2);
    expect(audit.some((e) => e.action === 'two_cards.measure_lift' && e.objectId === one.id)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(holderA);
  });

  it('hands a holder to their county’s police as a task with a deadline', async () => {
    const dueAt = new Date(h.clock.now().getTime() + 7 * 24 * 3_600_000).toISOString();
    const res = await post('analyst', `/api/two-cards/holders/${holderId}/hand-off`, {
      dueAt,
      reason: '核查卡农',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ handOff: { countyCode: NANMING, dueAt } });
    const tasks = (await committedEvents(database().db, { subjects: ['task.reported'] }))
      .map((e) => (e.event as EventEnvelope<'task.reported'>).data.task)
      .filter((t) => t.kind === 'two-cards');
    expect(tasks).toEqual([
      expect.objectContaining({
        sourceId: holderId,
        owner: { unitKind: 'county', unitCode: NANMING, userId: null },
        dueAt,
        status: 'open',
      }),
    ]);
    expect(tasks[0]!.title).not.toContain(holderA);
  });

  it('refuses bad input with the one error shape and changes nothing', async () => {
    const before = await counts();
    const bad: Array<[string, string, object]> = [
      ['/api/two-cards/imports', 'body.format', { format: 'xml', rows: [] }],
      ['/api/two-cards/imports', 'body.rows', { format: 'json', rows: [] }],
      [
        `/api/two-cards/holders/${holderId}/measures`,
        'body.kind',
        { kind: 'jail', startsAt: '2026-05-02T00:00:00Z', reason: 'x', decidingUnit: 'y' },
      ],
      [
        `/api/two-cards/holders/${holderId}/measures`,
        'body.extra',
        {
          kind: 'no_new_accounts',
          startsAt: '2026-05-02T00:00:00Z',
          reason: 'x',
          decidingUnit: 'y',
          extra: 1,
        },
      ],
      [
        `/api/two-cards/holders/${holderId}/hand-off`,
        'body.dueAt',
        { dueAt: '2020-01-01T00:00:00Z', reason: 'x' },
      ],
      [
        `/api/two-cards/holders/${holderId}/hand-off`,
        'body.countyCode',
        { countyCode: 'abc', dueAt: '2030-01-01T00:00:00Z', reason: 'x' },
      ],
      // Six digits that name no county of the province: no police would ever see the task.
      [
        `/api/two-cards/holders/${holderId}/hand-off`,
        'body.countyCode',
        { countyCode: '999999', dueAt: '2030-01-01T00:00:00Z', reason: 'x' },
      ],
      // A start whose end passes the year 9999: refused, never a 500.
      [
        `/api/two-cards/holders/${holderId}/measures`,
        'body.startsAt',
        { kind: 'no_new_accounts', startsAt: '9999-12-31T00:00:00Z', reason: 'x', decidingUnit: 'y' },
      ],
    ];
    for (const [url, field, body] of bad) {
      const res = await post('analyst', url, body);
      expect(res.statusCode, `${url} ${res.body}`).toBe(400);
      const error = res.json<ErrorBody>().error;
      expect(error.code).toBe('validation_failed');
      expect(
        error.details?.map((d) => d.field).some((f) => f.startsWith(field)),
        res.body,
      ).toBe(true);
    }
    expect((await get('analyst', '/api/two-cards/league?kind=all')).statusCode).toBe(400);
    expect(
      (
        await post('analyst', `/api/two-cards/holders/${randomUUID()}/measures`, {
          kind: 'no_new_accounts',
          startsAt: '2026-05-02T00:00:00Z',
          reason: 'x',
          decidingUnit: 'y',
        })
      ).statusCode,
    ).toBe(404);
    expect(await counts()).toEqual(before);
  });
});
