import type {
  AlertList,
  AppealDetail,
  AppealList,
  AppealReceipt,
  AppealView,
  CountermeasureBatchView,
  ErrorBody,
  IndicatorDetail,
  TwoCardMeasureView,
} from '@fanzha/contracts';
import { withIdCheckChar } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf } from '../../../testing/core-loop-fixtures';
import { describeEachStorage } from '../../../testing/test-databases';
import { highRiskPhones, importIndicatorCsv } from '../../../testing/indicator-import';
import type { Messenger } from '../warnings/index';

const DAY = 86_400_000;
const holder = withIdCheckChar('52010219900307001');

describeEachStorage('appeals (申诉)', (database) => {
  let h: Harness;
  const c: Record<string, string> = {};
  let n = 0;
  /** The SMS gateway: what it was asked to send; it refuses while `refusal` is set. */
  const sms: Array<Parameters<Messenger['send']>[0]> = [];
  let refusal: string | null = null;
  const messenger: Messenger = {
    send(message) {
      sms.push(message);
      return Promise.resolve(refusal ? { ok: false, reason: refusal } : { ok: true });
    },
  };
  const smsOf = (reference: string) => sms.filter((m) => m.text.includes(reference));
  beforeAll(async () => {
    h = await createHarness(database(), { messenger });
    await createCast(h, [
      ['ana', 'analyst', {}],
      ['sup', 'supervisor', {}],
      ['sup2', 'supervisor', {}],
      ['unicom', 'telecom_liaison', { operatorCode: 'china_unicom' }],
      ['taker', 'call_taker', {}],
    ]);
    for (const u of ['ana', 'sup', 'sup2', 'unicom', 'taker']) c[u] = await h.signIn(u);
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
  const file = (body: object, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url: '/api/public/appeals', headers, payload: body });
  const count = async (table: 'appeal' | 'audit_entry') =>
    Number(
      (
        await database()
          .db.selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const filing = (subjectValue: string, subjectKind = 'phone') => ({
    subjectKind,
    subjectValue,
    name: '张三',
    contactPhone: '13912345678',
    statement: '此号码是我本人正常使用的号码，从未用于诈骗。',
  });
  const idOf = async (reference: string) => {
    const list = (await get('ana', '/api/appeals?status=open')).json<AppealList>();
    return list.items.find((a) => a.reference === reference)!.id;
  };

  /** A phone number the registry lists (imported), with a block executed on it by its operator. */
  async function listedAndBlocked(phone: string) {
    await importIndicatorCsv(h, c.ana!, highRiskPhones([phone]));
    const req = await post('ana', '/api/countermeasures', {
      items: [{ kind: 'block_phone', value: phone, partyCode: 'china_unicom', reason: '涉诈号码' }],
    });
    expect(req.statusCode, req.body).toBe(201);
    const cm = req.json<CountermeasureBatchView>().items[0]!;
    expect(
      (await post('unicom', `/api/countermeasures/${cm.id}/answer`, { answer: 'executed' })).statusCode,
    ).toBe(200);
    return cm.id;
  }

  it('is filed publicly, reviewed and decided by two people; a grant delists and asks the lift', async () => {
    const cmId = await listedAndBlocked('17100001111');
    // A second block on the number, asked of another operator and not yet carried out: the grant withdraws it.
    const pending = (
      await post('ana', '/api/countermeasures', {
        items: [{ kind: 'block_phone', value: '17100001111', partyCode: 'china_mobile', reason: '涉诈号码' }],
      })
    ).json<CountermeasureBatchView>().items[0]!.id;
    const filed = await file(filing('171-0000-1111'));
    expect(filed.statusCode, filed.body).toBe(201);
    const receipt = filed.json<AppealReceipt>();
    expect(receipt.reference).toMatch(/^SS-2026-[2-9A-HJ-NP-Z]{8}$/);
    expect(Object.keys(receipt).sort()).toEqual(['decidedAt', 'dueAt', 'filedAt', 'reference', 'status']);
    expect(Date.parse(receipt.dueAt) - Date.parse(receipt.filedAt)).toBe(15 * DAY);
    const id = await idOf(receipt.reference);

    // The list masks the contact phone; one appeal opened shows it and the subject's current state.
    const listed = (await get('ana', '/api/appeals')).json<AppealList>().items.find((a) => a.id === id)!;
    expect(listed.contactPhone).not.toContain('12345678');
    const detail = (await get('ana', `/api/appeals/${id}`)).json<AppealDetail>();
    expect(detail.appeal).toMatchObject({ subjectValue: '+8617100001111', contactPhone: '+8613912345678' });
    expect(detail.subject.indicator).toMatchObject({ status: 'active' });
    expect(detail.subject.countermeasures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: cmId, status: 'executed' }),
        expect.objectContaining({ id: pending, status: 'requested' }),
      ]),
    );

    // A decision before a review is refused; a review by a call-taker too.
    expect(
      (await post('sup', `/api/appeals/${id}/decision`, { decision: 'grant', reason: 'x' })).statusCode,
    ).toBe(409);
    expect(
      (await post('taker', `/api/appeals/${id}/review`, { recommendation: 'grant', reason: 'x' })).statusCode,
    ).toBe(403);
    const reviewed = await post('sup', `/api/appeals/${id}/review`, {
      recommendation: 'grant',
      reason: '号码已于2026年3月过户给申诉人',
    });
    expect(reviewed.json<AppealView>()).toMatchObject({ status: 'under_review', recommendation: 'grant' });

    // The reviewer does not also decide: 403 in the one error shape, nothing changed.
    const same = await post('sup', `/api/appeals/${id}/decision`, { decision: 'grant', reason: '同意' });
    expect(same.statusCode).toBe(403);
    expect(same.json<ErrorBody>().error.details![0]).toMatchObject({
      field: 'body.decision',
      reason: 'appeal.same_person',
    });
    // An analyst may review but not decide.
    expect(
      (await post('ana', `/api/appeals/${id}/decision`, { decision: 'grant', reason: '同意' })).statusCode,
    ).toBe(403);

    const decided = await post('sup2', `/api/appeals/${id}/decision`, {
      decision: 'grant',
      reason: '同意解除',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const view = decided.json<AppealView>();
    expect(view).toMatchObject({ status: 'granted', reviewedBy: 'sup', decidedBy: 'sup2' });
    expect(view.effects).toContain(`countermeasure:${cmId}:lift_requested`);
    expect(view.effects).toContain(`countermeasure:${pending}:lift_requested`);

    const cm = (await get('unicom', `/api/countermeasures/${cmId}`)).json<{
      status: string;
      liftReason: string;
    }>();
    expect(cm.status).toBe('lift_requested');
    expect(cm.liftReason).toContain('appeal granted');
    const ind = (
      await get('ana', '/api/indicators/lookup?kind=phone&value=17100001111')
    ).json<IndicatorDetail>();
    expect(ind.indicator.status).toBe('not_fraud');

    // The appellant sees the decision by reference and phone.
    const status = await h.app.inject({
      method: 'GET',
      url: `/api/public/appeals/${receipt.reference}?phone=${encodeURIComponent('+86 139 1234 5678')}`,
    });
    expect(status.json<AppealReceipt>()).toMatchObject({ status: 'granted', reference: receipt.reference });
    // And is told it by SMS, once decided: granted, the reference, nothing else of the appeal.
    const [told, ...more] = smsOf(receipt.reference);
    expect(more).toEqual([]);
    expect(told).toMatchObject({
      contactId: `appeal-decision:${id}`,
      channel: 'sms',
      phone: '+8613912345678',
      verificationCode: receipt.reference,
    });
    expect(told!.text).toContain(`编号${receipt.reference}`);
    expect(told!.text).toContain('予以支持');
    expect(told!.text).not.toContain('不予支持');
    for (const personal of ['张三', '17100001111', '13912345678', '同意解除', '号码已于'])
      expect(told!.text).not.toContain(personal);

    const audited = await database()
      .db.selectFrom('audit_entry')
      .select('action')
      .where('object_id', '=', id)
      .where('result', '=', 'success')
      .execute();
    expect(audited.map((a) => a.action).sort()).toEqual([
      'appeal.decide',
      // One per effect (the indicator, the two countermeasures), after the plan of them all.
      'appeal.effect',
      'appeal.effect',
      'appeal.effect',
      'appeal.effects',
      'appeal.file',
      'appeal.notice',
      'appeal.read',
      'appeal.review',
    ]);
  });

  it('changes nothing when denied', async () => {
    const cmId = await listedAndBlocked('17100002222');
    const reference = (await file(filing('17100002222'))).json<AppealReceipt>().reference;
    const id = await idOf(reference);
    await post('ana', `/api/appeals/${id}/review`, { recommendation: 'deny', reason: '多起报案' });
    const denied = await post('sup', `/api/appeals/${id}/decision`, { decision: 'deny', reason: '维持' });
    expect(denied.json<AppealView>()).toMatchObject({ status: 'denied', effects: [] });
    expect(smsOf(reference).map((m) => m.text)).toEqual([expect.stringContaining('不予支持')]);
    expect((await get('unicom', `/api/countermeasures/${cmId}`)).json<{ status: string }>().status).toBe(
      'executed',
    );
    const ind = (
      await get('ana', '/api/indicators/lookup?kind=phone&value=17100002222')
    ).json<IndicatorDetail>();
    expect(ind.indicator.status).toBe('active');
    // Final: no second decision.
    expect(
      (await post('sup2', `/api/appeals/${id}/decision`, { decision: 'grant', reason: 'x' })).statusCode,
    ).toBe(409);
  });

  it('stands decided when the SMS gateway refuses the decision’s message, and audits the refusal', async () => {
    const reference = (await file(filing('17100003333'))).json<AppealReceipt>().reference;
    const id = await idOf(reference);
    await post('ana', `/api/appeals/${id}/review`, { recommendation: 'deny', reason: '多起报案' });
    refusal = 'gateway busy';
    const denied = await post('sup', `/api/appeals/${id}/decision`, { decision: 'deny', reason: '维持' });
    refusal = null;
    expect(denied.statusCode, denied.body).toBe(200);
    expect(denied.json<AppealView>().status).toBe('denied');
    expect(smsOf(reference)).toHaveLength(1);
    const notices = await database()
      .db.selectFrom('audit_entry')
      .select(['result', 'details'])
      .where('object_id', '=', id)
      .where('action', '=', 'appeal.notice')
      .execute();
    expect(notices).toMatchObject([
      { result: 'failure', details: { reference, decision: 'denied', error: 'gateway busy', attempt: 1 } },
    ]);

    // Owed still: the sweep tries again once the retry is due, not before; the gateway takes it then, once.
    const appeals = h.app.services.appeals;
    expect(await appeals.retryNoticesOnce()).toBe(0);
    refusal = 'gateway busy';
    h.clock.advance(60_000);
    expect(await appeals.retryNoticesOnce()).toBe(1);
    refusal = null;
    expect(await appeals.retryNoticesOnce()).toBe(0);
    h.clock.advance(120_000);
    expect(await appeals.retryNoticesOnce()).toBe(1);
    // Sent: nothing is owed however late the sweep looks.
    expect(await appeals.retryNoticesOnce(new Date(h.clock.now().getTime() + 86_400_000))).toBe(0);
    const sent = smsOf(reference);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((m) => m.contactId))).toEqual(new Set([`appeal-decision:${id}`]));
    expect(sent[2]!.text).toContain('不予支持');
    const after = await database()
      .db.selectFrom('audit_entry')
      .select(['result', 'details'])
      .where('object_id', '=', id)
      .where('action', '=', 'appeal.notice')
      .orderBy('id')
      .execute();
    expect(after.map((a) => [a.result, (a.details as { attempt: number }).attempt])).toEqual([
      ['failure', 1],
      ['failure', 2],
      ['success', 3],
    ]);
    expect(after[2]!.details).toMatchObject({ origin: 'appeal-notice-retry' });
  });

  it('tells the appellant of a decision whose process stopped before its message, once its hold is out', async () => {
    const reference = (await file(filing('17100004444'))).json<AppealReceipt>().reference;
    const id = await idOf(reference);
    await post('ana', `/api/appeals/${id}/review`, { recommendation: 'deny', reason: '多起报案' });
    const decided = await post('sup', `/api/appeals/${id}/decision`, { decision: 'deny', reason: '维持' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(smsOf(reference)).toHaveLength(1);
    // As the decision's commit leaves it when the process stops before the gateway is asked.
    await database()
      .db.updateTable('appeal')
      .set({ notice_status: 'pending', notice_next_at: h.clock.now(), notice_sent_at: null })
      .where('id', '=', id)
      .execute();
    expect(await h.app.services.appeals.retryNoticesOnce()).toBe(1);
    expect(smsOf(reference)).toHaveLength(2);
    const row = await database()
      .db.selectFrom('appeal')
      .select(['notice_status', 'notice_next_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ notice_status: 'sent', notice_next_at: null });
  });

  it('lifts the two-cards measures against the holder of a granted ID number', async () => {
    const imported = await post('ana', '/api/two-cards/imports', {
      format: 'json',
      rows: [
        { kind: 'bank', number: cardOf('ICBC', 7101), holder_id_number: holder, place_name: '南明支行' },
      ],
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const { id: holderId } = await database()
      .db.selectFrom('two_card_holder')
      .select('id')
      .executeTakeFirstOrThrow();
    const measure = await post('ana', `/api/two-cards/holders/${holderId}/measures`, {
      kind: 'no_new_accounts',
      startsAt: h.clock.now().toISOString(),
      reason: '出租银行卡',
      decidingUnit: '南明区公安分局',
    });
    expect(measure.statusCode, measure.body).toBe(200);
    const mId = measure.json<TwoCardMeasureView>().id;
    const reference = (await file(filing(holder.toLowerCase(), 'id_number'))).json<AppealReceipt>().reference;
    const id = await idOf(reference);
    const listed = (await get('ana', '/api/appeals')).json<AppealList>().items.find((a) => a.id === id)!;
    expect(listed.subjectValue).not.toBe(holder);
    expect((await get('ana', `/api/appeals/${id}`)).json<AppealDetail>().subject.measures).toEqual([
      expect.objectContaining({ id: mId, state: 'in_force' }),
    ]);
    await post('ana', `/api/appeals/${id}/review`, { recommendation: 'grant', reason: '卡片被盗用' });
    const granted = await post('sup', `/api/appeals/${id}/decision`, { decision: 'grant', reason: '同意' });
    expect(granted.json<AppealView>().effects).toEqual([`two_card_measure:${mId}:lifted`]);
    const after = (await get('ana', `/api/two-cards/measures?holderId=${holderId}`)).json<{
      items: TwoCardMeasureView[];
    }>();
    expect(after.items[0]).toMatchObject({ state: 'lifted' });
  });

  it('refuses bad input with the one error shape and files nothing', async () => {
    const before = { appeals: await count('appeal'), audit: await count('audit_entry') };
    const bad = await file({ ...filing('not a phone'), contactPhone: 'abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.details!.map((d) => d.field)).toEqual([
      'body.subjectValue',
      'body.contactPhone',
    ]);
    const unknown = await file({ ...filing('17100003333'), extra: 1 });
    expect(unknown.statusCode).toBe(400);
    const missing = await file({ subjectKind: 'phone', subjectValue: '17100003333' });
    expect(missing.statusCode).toBe(400);
    const long = await file({ ...filing('17100003333'), statement: 'x'.repeat(2001) });
    expect(long.json<ErrorBody>().error.details![0]!.field).toBe('body.statement');
    const badId = await file(filing('520102199003070015', 'id_number'));
    expect(badId.json<ErrorBody>().error.details![0]).toMatchObject({ field: 'body.subjectValue' });
    expect(await count('appeal')).toBe(before.appeals);
    expect(await count('audit_entry')).toBe(before.audit);
    const review = await post('ana', `/api/appeals/00000000-0000-4000-8000-000000000000/review`, {
      recommendation: 'maybe',
      reason: 'x',
    });
    expect(review.statusCode).toBe(400);
  });

  it('answers an unknown reference and a wrong phone alike, and honours an Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'appeal-retry-0001' };
    const first = await file(filing('17100004444'), headers);
    const again = await file(filing('17100004444'), headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json<AppealReceipt>()).toEqual(first.json<AppealReceipt>());
    expect((await file(filing('17100005555'), headers)).statusCode).toBe(409);
    const ref = first.json<AppealReceipt>().reference;
    const status = (reference: string, phone: string) =>
      h.app.inject({ method: 'GET', url: `/api/public/appeals/${reference}?phone=${phone}` });
    const wrongPhone = await status(ref, '13900000000');
    const unknown = await status('SS-2026-ZZZZZZZZ', '13912345678');
    const malformed = await status('anything', '13912345678');
    expect([wrongPhone.statusCode, unknown.statusCode, malformed.statusCode]).toEqual([404, 404, 404]);
    expect(wrongPhone.json<ErrorBody>().error.message).toBe(unknown.json<ErrorBody>().error.message);
    expect((await status(ref, '13912345678')).json<AppealReceipt>().status).toBe('filed');
  });

  it('escalates an appeal left undecided past its deadline, once', async () => {
    const reference = (await file(filing('17100006666'))).json<AppealReceipt>().reference;
    const id = await idOf(reference);
    expect(await h.app.services.appeals.sweepOnce(h.clock.now())).toBe(0);
    const late = new Date(h.clock.now().getTime() + 16 * DAY);
    expect(await h.app.services.appeals.sweepOnce(late)).toBeGreaterThanOrEqual(1);
    expect(await h.app.services.appeals.sweepOnce(late)).toBe(0);
    const alerts = (await get('sup', '/api/alerts')).json<AlertList>();
    expect(alerts.alerts.some((a) => a.objectId === id && a.kind === 'task_overdue')).toBe(true);
  });
});
