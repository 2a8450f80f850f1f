import type { ErrorBody, StopPaymentView, TwoCardHolderList, TwoCardImportResult } from '@fanzha/contracts';
import { maskIdNumber, withIdCheckChar, type EventEnvelope } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf, queue, reportWith } from '../../../testing/core-loop-fixtures';
import { committedEvents, consumerMarks, harnessFieldKeys } from '../../../testing/outbox-events';
import { countingDb } from '../../../testing/statement-count';
import { describeEachStorage } from '../../../testing/test-databases';
import { fieldCipher, withFieldKeys } from '../../platform/crypto/field-cipher';
import { HOLDER_ID_NUMBER_PLACE } from '../stop-payment/index';
import { messageFor } from '../stream/index';
import { applyTwoCardEvents, TWO_CARDS_CONSUMER } from './index';

const holderA = withIdCheckChar('52010219900307001');
const holderB = withIdCheckChar('52010319851111002');
const badCheck = `${holderA.slice(0, 17)}${holderA.endsWith('0') ? '1' : '0'}`;

// Holders learnt from banks' answers: the answered account's holder's ID number, beside the request in its
// event, reaches the two-cards registry and nothing the desks see.
describeEachStorage('two cards: holders named by banks’ answers', (database) => {
  let h: Harness;
  let c: Record<string, string> = {};
  let seen = 0;
  const cast = [
    ['taker', 'call_taker', {}],
    ['desk', 'stop_payment_officer', {}],
    ['analyst', 'analyst', {}],
    ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
  ] as const;
  beforeAll(async () => {
    h = await createHarness(database());
    await createCast(h, cast);
    c = await signInCast(h, cast);
  });
  afterAll(() => h.close());

  const post = (who: string, url: string, payload: object, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, ...headers }, payload });
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });

  async function sentRequest(seed: number) {
    const number = cardOf('ICBC', seed);
    const { id } = await reportWith(h, c.taker!, [{ number, amountFen: 5_000_000 }]);
    const pending = (await queue(h, c.desk!, `?reportId=${id}`)).find((r) => r.account.number === number)!;
    const sent = await post('desk', `/api/stop-payments/${pending.id}/send`, {
      legalDocNumber: 'GZ-ZF-2026-0001',
    });
    expect(sent.statusCode, sent.body).toBe(200);
    return { id: pending.id, number };
  }
  const answer = (id: string, holderIdNumber: string | undefined, key = `answer-${id}`) =>
    post(
      'icbc',
      `/api/bank/instructions/${id}/result`,
      { outcome: 'stopped', stoppedFen: 1_000_000, onwardTransfers: [], holderIdNumber },
      { 'idempotency-key': key },
    );
  /** Feeds the answers committed since the last feed to the two-cards consumer. */
  async function feed(): Promise<EventEnvelope[]> {
    const rows = await committedEvents(database().db, { after: seen, subjects: ['stop-payment.changed'] });
    seen = Math.max(seen, ...rows.map((r) => r.id));
    const events = rows.map((r) => r.event);
    await applyTwoCardEvents(
      {
        db: withFieldKeys(database().db, harnessFieldKeys()),
        clock: h.clock,
        issueMissing: h.app.services.twoCards.issueMissing,
      },
      events,
    );
    return events;
  }
  const holders = async () =>
    (await get('analyst', '/api/two-cards/holders')).json<TwoCardHolderList>().items;
  const holderCount = async () =>
    Number(
      (
        await database()
          .db.selectFrom('two_card_holder')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses a wrong ID number with the one error shape, and changes nothing', async () => {
    const { id } = await sentRequest(8100);
    await feed();
    const res = await answer(id, badCheck);
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error).toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'body.holderIdNumber', reason: 'id.check_char' }],
    });
    expect((await get('desk', `/api/stop-payments/${id}`)).json<StopPaymentView>().status).toBe('sent');
    expect(await feed()).toEqual([]);
    expect(await holderCount()).toBe(0);
  });

  it('records a stop’s account from its answer only: the changes before it cost no mark and record no card', async () => {
    const cardCount = async (number: string) =>
      (await database().db.selectFrom('two_card').select('id').where('number', '=', number).execute()).length;
    const { id, number } = await sentRequest(8105);
    const before = await feed();
    const unanswered = before.filter((e) => (e.data as { request: StopPaymentView }).request.id === id);
    expect(unanswered.length).toBeGreaterThan(0);
    expect(await consumerMarks(database().db, TWO_CARDS_CONSUMER, unanswered)).toBe(0);
    expect(await cardCount(number)).toBe(0);

    expect((await answer(id, undefined)).statusCode).toBe(200);
    const answered = await feed();
    expect(answered).toHaveLength(1);
    await applyTwoCardEvents(
      {
        db: withFieldKeys(database().db, harnessFieldKeys()),
        clock: h.clock,
        issueMissing: h.app.services.twoCards.issueMissing,
      },
      [...unanswered, ...answered],
    );
    expect(await consumerMarks(database().db, TWO_CARDS_CONSUMER, answered)).toBe(1);
    expect(await consumerMarks(database().db, TWO_CARDS_CONSUMER, unanswered)).toBe(0);
    expect(await cardCount(number)).toBe(1);
  });

  it('names the holder of the answered card; their count rises with a second case; once whatever the deliveries', async () => {
    const first = await sentRequest(8101);
    const res = await answer(first.id, ` ${holderA.toLowerCase()} `);
    expect(res.statusCode, res.body).toBe(200);
    const events = await feed();
    expect(await holders()).toMatchObject([
      { idNumberMasked: maskIdNumber(holderA), cardCount: 1, caseCount: 1 },
    ]);

    const second = await sentRequest(8102);
    expect((await answer(second.id, holderA)).statusCode).toBe(200);
    events.push(...(await feed()));
    const [holder] = await holders();
    expect(holder).toMatchObject({ countyCode: '520102', cardCount: 2, caseCount: 2 });

    // The same answer again (a retry) and the events heard again: nothing more.
    expect((await answer(second.id, holderA)).statusCode).toBe(200);
    expect(await feed()).toEqual([]);
    await applyTwoCardEvents(
      {
        db: withFieldKeys(database().db, harnessFieldKeys()),
        clock: h.clock,
        issueMissing: h.app.services.twoCards.issueMissing,
      },
      events,
    );
    expect(await holders()).toEqual([holder]);
    expect(await holderCount()).toBe(1);
  });

  it('leaves a holder an import named: an answer does not replace them', async () => {
    const { id, number } = await sentRequest(8103);
    const imported = await post('analyst', '/api/two-cards/imports', {
      format: 'json',
      rows: [{ kind: 'bank', number, holder_id_number: holderB, place_code: 'YY02', place_name: '云岩支行' }],
    });
    expect(imported.json<TwoCardImportResult>()).toMatchObject({ accepted: 1, holdersCreated: 1 });
    expect((await answer(id, holderA)).statusCode).toBe(200);
    await feed();
    const card = await database()
      .db.selectFrom('two_card')
      .innerJoin('two_card_holder', 'two_card_holder.id', 'two_card.holder_id')
      .select(['two_card_holder.county_code'])
      .where('two_card.number', '=', number)
      .executeTakeFirstOrThrow();
    expect(card.county_code).toBe('520103');
    expect(await holderCount()).toBe(2);
    expect((await holders()).find((x) => x.countyCode === '520102')).toMatchObject({ cardCount: 2 });
  });

  it('keeps the ID number out of the desks’ views and streams, and sealed in the event and the outbox', async () => {
    const { id } = await sentRequest(8104);
    const res = await answer(id, holderA);
    const view = (await get('desk', `/api/stop-payments/${id}`)).body;
    const rows = await committedEvents(database().db, { after: seen, subjects: ['stop-payment.changed'] });
    // The answer's event: the request answered, the ID number beside it.
    const event = rows
      .map((r) => r.event)
      .find((e) => {
        const data = e.data as { request: StopPaymentView };
        return data.request.id === id && data.request.status === 'stopped';
      })!;
    const sealed = (event.data as { holderIdNumberSealed?: string }).holderIdNumberSealed!;
    expect(
      (await fieldCipher(withFieldKeys(database().db, harnessFieldKeys()))).open(
        HOLDER_ID_NUMBER_PLACE,
        [id],
        sealed,
      ),
    ).toBe(holderA);
    const pushed = [
      messageFor({ role: 'stop_payment_officer', userId: 'x' } as never, event),
      messageFor({ role: 'bank_liaison', userId: 'x', bankCode: 'ICBC' } as never, event),
    ];
    expect(pushed.every((m) => m?.type === 'stop-payment')).toBe(true);
    const raw = await database().db.selectFrom('outbox').select('envelope').execute();
    // Nowhere in the clear: the answer's response, the desk's view, what the stream pushes, the event as the bus
    // carries it, the outbox.
    for (const text of [res.body, view, JSON.stringify(pushed), JSON.stringify(event), JSON.stringify(raw)])
      expect(text).not.toContain(holderA);
    await feed();
  });

  it('applies a batch naming five holders in the same statements as one naming one (set-based)', async () => {
    const counting = countingDb(database().db);
    const run = async () => {
      const rows = await committedEvents(database().db, { after: seen, subjects: ['stop-payment.changed'] });
      seen = Math.max(seen, ...rows.map((r) => r.id));
      counting.reset();
      await applyTwoCardEvents(
        {
          db: withFieldKeys(counting.db, harnessFieldKeys()),
          clock: h.clock,
          issueMissing: h.app.services.twoCards.issueMissing,
        },
        rows.map((r) => r.event),
      );
      return { statements: counting.count(), kinds: [...counting.kinds] };
    };
    const person = (n: number) => withIdCheckChar(`52010219900307${String(n).padStart(3, '0')}`);
    const before = await holderCount();
    const first = await sentRequest(8201);
    expect((await answer(first.id, person(11))).statusCode).toBe(200);
    const one = await run();
    for (const n of [12, 13, 14, 15]) {
      const sent = await sentRequest(8190 + n);
      expect((await answer(sent.id, person(n))).statusCode).toBe(200);
    }
    const many = await run();

    expect(many.statements, many.kinds.join('\n')).toBe(one.statements);
    expect(await holderCount()).toBe(before + 5);
    const masked = new Set([11, 12, 13, 14, 15].map((n) => maskIdNumber(person(n))));
    const named = (await holders()).filter((x) => masked.has(x.idNumberMasked));
    expect(named.map((x) => x.cardCount)).toEqual(named.map(() => 1));
  });
});
