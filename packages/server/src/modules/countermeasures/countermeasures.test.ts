import type {
  CountermeasureHistory,
  AlertList,
  CountermeasureBatchResult,
  CountermeasureBatchView,
  CountermeasureFigures,
  CountermeasureList,
  CountermeasureView,
  ErrorBody,
} from '@fanzha/contracts';
import type { EventEnvelope } from '@fanzha/domain';
import { generateKeyPairSync, sign, verify, createPublicKey } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { canonicalJson } from '../../platform/crypto/canonical-json';
import { verifySignature } from '../../platform/crypto/signer';
import { createFieldKeys, openFieldKeys, withFieldKeys } from '../../platform/crypto/field-cipher';
import { openEnvelopes } from '../../platform/outbox/outbox';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { countingDb } from '../../../testing/statement-count';
import { messageFor } from '../stream/index';
import { createCountermeasureSweep } from './countermeasures.sla';

const HOUR = 3_600_000;

describeEachStorage('countermeasures (技术反制)', (database) => {
  let h: Harness;
  const c: Record<string, string> = {};
  let n = 0;
  beforeAll(async () => {
    h = await createHarness(database());
    await createCast(h, [
      ['ana', 'analyst', {}],
      ['sup', 'supervisor', {}],
      ['sup2', 'supervisor', {}],
      ['unicom', 'telecom_liaison', { operatorCode: 'china_unicom' }],
      ['mobile', 'telecom_liaison', { operatorCode: 'china_mobile' }],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
      ['taker', 'call_taker', {}],
      ['admin', 'admin', {}],
    ]);
    for (const u of ['ana', 'sup', 'sup2', 'unicom', 'mobile', 'icbc', 'taker', 'admin'])
      c[u] = await h.signIn(u);
  });
  afterAll(() => h.close());

  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });
  const post = (who: string, url: string, payload: object, key = `k-${++n}`) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, 'idempotency-key': key }, payload });
  const request = async (items: object[], key?: string) => {
    const res = await post('ana', '/api/countermeasures', { items }, key);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<CountermeasureBatchView>().items;
  };
  const count = async (table: 'countermeasure' | 'countermeasure_event' | 'audit_entry') =>
    Number(
      (
        await database()
          .db.selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const outboxOf = async (id: string) => {
    const keys = createFieldKeys(Buffer.alloc(32, 9));
    await openFieldKeys(database().db, keys, h.clock.now());
    const db = withFieldKeys(database().db, keys);
    const rows = await db
      .selectFrom('outbox')
      .select(['event_id', 'envelope'])
      .where('subject', '=', 'countermeasure.changed')
      .orderBy('id')
      .execute();
    return ((await openEnvelopes(db, rows)) as Array<EventEnvelope<'countermeasure.changed'>>).filter(
      (e) => e.data.item.id === id,
    );
  };
  let phoneSeq = 0;
  const phone = () => `1710000${String(++phoneSeq).padStart(4, '0')}`;
  const centreKey = async () =>
    (await get('icbc', '/api/bank/signing-key')).json<{ publicKeyPem: string; keyId: string }>();
  /** Requested and executed by its party: ready to be lifted. */
  const executed = async (item: object, party = 'unicom') => {
    const [cm] = await request([item]);
    const done = await post(party, `/api/countermeasures/${cm!.id}/answer`, { answer: 'executed' });
    expect(done.json<CountermeasureView>().status, done.body).toBe('executed');
    return cm!;
  };
  const block = (partyCode = 'china_unicom') => ({
    kind: 'block_phone',
    value: phone(),
    partyCode,
    reason: '涉诈案件 A520102 嫌疑号码',
  });

  it('runs a block from request to lift, signed, audited, out through the outbox to the party’s stream', async () => {
    const [cm] = await request([block()]);
    expect(cm).toMatchObject({ status: 'requested', partyKind: 'operator', partyCode: 'china_unicom' });
    expect(cm!.value).toMatch(/^\+86171/);
    expect(Date.parse(cm!.dueAt!) - Date.parse(cm!.requestedAt)).toBe(2 * HOUR);
    // The instruction verifies with the centre's signing key.
    const key = (await get('icbc', '/api/bank/signing-key')).json<{ publicKeyPem: string }>();
    expect(
      verify(
        null,
        Buffer.from(canonicalJson(cm!.instruction)),
        createPublicKey(key.publicKeyPem),
        Buffer.from(cm!.signature, 'base64'),
      ),
    ).toBe(true);
    // In the operator's pending list, not in another operator's.
    const mine = (await get('unicom', '/api/countermeasures')).json<CountermeasureList>().items;
    expect(mine.map((i) => i.id)).toContain(cm!.id);
    const theirs = (await get('mobile', '/api/countermeasures')).json<CountermeasureList>().items;
    expect(theirs.map((i) => i.id)).not.toContain(cm!.id);
    expect((await get('mobile', `/api/countermeasures/${cm!.id}`)).statusCode).toBe(404);
    expect(
      (await post('mobile', `/api/countermeasures/${cm!.id}/answer`, { answer: 'executed' })).statusCode,
    ).toBe(404);

    const ack = await post('unicom', `/api/countermeasures/${cm!.id}/answer`, { answer: 'acknowledged' });
    expect(ack.json<CountermeasureView>().status, ack.body).toBe('acknowledged');
    const done = await post('unicom', `/api/countermeasures/${cm!.id}/answer`, { answer: 'executed' });
    expect(done.json<CountermeasureView>()).toMatchObject({ status: 'executed', dueAt: null, lift: null });
    const lift = await post('sup', `/api/countermeasures/${cm!.id}/lift`, { reason: '申诉成立，号码解除' });
    expect(lift.json<CountermeasureView>().status, lift.body).toBe('lift_requested');
    expect(lift.json<CountermeasureView>().lift).not.toBeNull();
    const lifted = await post('unicom', `/api/countermeasures/${cm!.id}/answer`, { answer: 'lifted' });
    expect(lifted.json<CountermeasureView>().status).toBe('lifted');
    // A final state takes nothing more.
    const late = await post('unicom', `/api/countermeasures/${cm!.id}/answer`, { answer: 'executed' });
    expect(late.statusCode).toBe(409);

    // Its history, oldest first, steps of one instant in the lifecycle's order; the refused answer left none.
    const history = await get('sup', `/api/countermeasures/${cm!.id}/history`);
    expect(history.statusCode, history.body).toBe(200);
    const steps = history.json<CountermeasureHistory>().items;
    expect(steps.map((x) => [x.event, x.from, x.to, x.by])).toEqual([
      ['request', 'requested', 'requested', 'ana'],
      ['acknowledge', 'requested', 'acknowledged', 'unicom'],
      ['execute', 'acknowledged', 'executed', 'unicom'],
      ['request_lift', 'executed', 'lift_requested', 'sup'],
      ['confirm_lift', 'lift_requested', 'lifted', 'unicom'],
    ]);
    expect(steps[3]).toMatchObject({ liftReason: '申诉成立，号码解除', refusalReason: null });
    // The party reads its own, without the centre's staff names; another party's is none of its business.
    const partys = (
      await get('unicom', `/api/countermeasures/${cm!.id}/history`)
    ).json<CountermeasureHistory>();
    expect(partys.items.map((x) => x.by)).toEqual([null, 'unicom', 'unicom', null, 'unicom']);
    expect((await get('mobile', `/api/countermeasures/${cm!.id}/history`)).statusCode).toBe(404);
    expect((await get('taker', `/api/countermeasures/${cm!.id}/history`)).statusCode).toBe(403);

    const audited = await database()
      .db.selectFrom('audit_entry')
      .select('action')
      .where('object_id', '=', cm!.id)
      .where('result', '=', 'success')
      .execute();
    expect(audited.map((a) => a.action).sort()).toEqual([
      'countermeasure.answer',
      'countermeasure.answer',
      'countermeasure.answer',
      'countermeasure.lift',
      'countermeasure.request',
    ]);
    const events = await outboxOf(cm!.id);
    expect(events.map((e) => e.data.change)).toEqual([
      'requested',
      'acknowledged',
      'executed',
      'lift_requested',
      'lifted',
    ]);
    // The stream gives each event to the party's liaison and the centre, to no other party.
    const actor = (role: string, extra: object) =>
      ({
        userId: 'u',
        username: 'u',
        displayName: 'u',
        role,
        bankCode: null,
        operatorCode: null,
        ...extra,
      }) as never;
    const e = events[0]!;
    expect(messageFor(actor('telecom_liaison', { operatorCode: 'china_unicom' }), e)).toMatchObject({
      type: 'countermeasure',
    });
    expect(messageFor(actor('analyst', {}), e)).toMatchObject({ type: 'countermeasure' });
    expect(messageFor(actor('telecom_liaison', { operatorCode: 'china_mobile' }), e)).toBeUndefined();
    expect(messageFor(actor('bank_liaison', { bankCode: 'ICBC' }), e)).toBeUndefined();
  });

  it('is idempotent: the same key and body answers the same, once; another body with the key is 409', async () => {
    const items = [block(), block('china_mobile')];
    const before = await count('countermeasure');
    const first = await post('ana', '/api/countermeasures', { items }, 'batch-1');
    const again = await post('ana', '/api/countermeasures', { items }, 'batch-1');
    expect(first.statusCode).toBe(201);
    expect(again.json<CountermeasureBatchView>()).toEqual(first.json<CountermeasureBatchView>());
    expect(await count('countermeasure')).toBe(before + 2);
    const other = await post('ana', '/api/countermeasures', { items: [block()] }, 'batch-1');
    expect(other.statusCode).toBe(409);
    // An answer retried with its key changes nothing; the key with another answer is 409.
    const id = first.json<CountermeasureBatchView>().items[0]!.id;
    const events = await count('countermeasure_event');
    const a1 = await post('unicom', `/api/countermeasures/${id}/answer`, { answer: 'executed' }, 'ans-1');
    const a2 = await post('unicom', `/api/countermeasures/${id}/answer`, { answer: 'executed' }, 'ans-1');
    expect(a2.json<CountermeasureView>()).toEqual(a1.json<CountermeasureView>());
    expect(await count('countermeasure_event')).toBe(events + 1);
    const a3 = await post('unicom', `/api/countermeasures/${id}/answer`, { answer: 'lifted' }, 'ans-1');
    expect(a3.statusCode).toBe(409);
  });

  it('refuses bad input with the one error shape and changes nothing', async () => {
    const before = await count('countermeasure');
    const bad = await post('ana', '/api/countermeasures', {
      items: [block(), { ...block(), value: 'not a number' }, { ...block(), partyCode: 'ICBC' }],
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json<ErrorBody>().error.details!.map((d) => d.field);
    expect(fields).toEqual(['body.items.1.value', 'body.items.2.partyCode']);
    const noTarget = await post('ana', '/api/countermeasures', {
      items: [{ kind: 'block_app', partyCode: 'china_unicom', reason: 'x' }],
    });
    expect(noTarget.json<ErrorBody>().error.details![0]!.field).toBe('body.items.0.value');
    const unknownField = await post('ana', '/api/countermeasures', { items: [{ ...block(), extra: 1 }] });
    expect(unknownField.statusCode).toBe(400);
    // A reason of spaces alone is no reason: it would be shown to the party as an empty line.
    const blank = await post('ana', '/api/countermeasures', { items: [{ ...block(), reason: '   ' }] });
    expect(blank.statusCode).toBe(400);
    expect(blank.json<ErrorBody>().error.details![0]).toMatchObject({ field: 'body.items.0.reason' });
    const noIndicator = await post('ana', '/api/countermeasures', {
      items: [{ kind: 'block_phone', indicatorId: 999_999, partyCode: 'china_unicom', reason: 'x' }],
    });
    expect(noIndicator.json<ErrorBody>().error.details![0]!.reason).toBe('countermeasures.indicator');
    expect(await count('countermeasure')).toBe(before);
    // Who may ask: the centre's analysts and supervisors, not a call-taker nor an operator.
    expect((await post('taker', '/api/countermeasures', { items: [block()] })).statusCode).toBe(403);
    expect((await post('unicom', '/api/countermeasures', { items: [block()] })).statusCode).toBe(403);
    // A refusal needs its reason.
    const [cm] = await request([block()]);
    const blankLift = await post('sup', `/api/countermeasures/${cm!.id}/lift`, { reason: ' \t ' });
    expect(blankLift.json<ErrorBody>().error.details![0]).toMatchObject({ field: 'body.reason' });
    const noReason = await post('unicom', `/api/countermeasures/${cm!.id}/answer`, { answer: 'refused' });
    expect(noReason.json<ErrorBody>().error.details![0]!.field).toBe('body.refusalReason');
    expect((await get('unicom', `/api/countermeasures/${cm!.id}`)).json<CountermeasureView>().status).toBe(
      'requested',
    );
  });

  it('requests by indicator id, and a bank restricts its own accounts', async () => {
    const at = h.clock.now();
    await sql`insert into indicator (kind, value, first_seen_at, last_seen_at, created_at, updated_at)
      values ('account', '6222020200112233446', ${at}, ${at}, ${at}, ${at})`.execute(database().db);
    const ind = await sql<{
      id: string | number;
    }>`select id from indicator where value = '6222020200112233446'`.execute(database().db);
    const indicatorId = Number(ind.rows[0]!.id);
    const wrongKind = await post('ana', '/api/countermeasures', {
      items: [{ kind: 'block_phone', indicatorId, partyCode: 'china_unicom', reason: 'x' }],
    });
    expect(wrongKind.json<ErrorBody>().error.details![0]!.reason).toBe('countermeasures.indicator_kind');
    const [cm] = await request([
      { kind: 'restrict_account', indicatorId, partyCode: 'ICBC', reason: '涉诈账户' },
    ]);
    expect(cm).toMatchObject({ indicatorId, value: '6222020200112233446', partyKind: 'bank' });
    expect(Date.parse(cm!.dueAt!) - Date.parse(cm!.requestedAt)).toBe(HOUR);
    expect((await get('unicom', `/api/countermeasures/${cm!.id}`)).statusCode).toBe(404);
    const refused = await post('icbc', `/api/countermeasures/${cm!.id}/answer`, {
      answer: 'refused',
      refusalReason: 'no_such_target',
      note: '账户已销户',
    });
    expect(refused.json<CountermeasureView>()).toMatchObject({
      status: 'refused',
      refusalReason: 'no_such_target',
    });
  });

  it("answers a batch item by item, and an operator's system must sign with its key", async () => {
    const items = await request([block(), block(), block('china_mobile')]);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const made = await h.app.inject({
      method: 'POST',
      url: '/api/integrations/signal-keys',
      headers: { cookie: c.admin! },
      payload: {
        name: '联通关停系统',
        sender: { kind: 'operator', operator: 'china_unicom' },
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const bearer = `Bearer ${made.json<{ key: string }>().key}`;
    const body = {
      answers: [
        { id: items[0]!.id, answer: 'executed' },
        { id: items[1]!.id, answer: 'refused', refusalReason: 'not_our_subscriber' },
        { id: items[2]!.id, answer: 'executed' },
      ],
    };
    const send = (signedBody: object, key = 'b-1') =>
      h.app.inject({
        method: 'POST',
        url: '/api/countermeasures/answers',
        headers: {
          authorization: bearer,
          'idempotency-key': key,
          'x-fanzha-signature': sign(
            null,
            Buffer.from(canonicalJson({ idempotencyKey: key, answers: signedBody })),
            privateKey,
          ).toString('base64'),
        },
        payload: body,
      });
    const events = await count('countermeasure_event');
    expect((await send({ answers: [] })).statusCode).toBe(401);
    expect(await count('countermeasure_event')).toBe(events);
    const res = await send(body);
    expect(res.statusCode, res.body).toBe(200);
    const results = res.json<CountermeasureBatchResult>().results;
    expect(results.map((r) => [r.ok, r.item?.status ?? r.error?.code])).toEqual([
      [true, 'executed'],
      [true, 'refused'],
      [false, 'not_found'],
    ]);
    // The key lists its operator's queue only.
    const listed = await h.app.inject({
      method: 'GET',
      url: '/api/countermeasures?status=executed',
      headers: { authorization: bearer },
    });
    expect(listed.json<CountermeasureList>().items.every((i) => i.partyCode === 'china_unicom')).toBe(true);
    // A filter naming another party is refused, with the key as from the liaison's session.
    const filtered = (partyCode: string) =>
      h.app.inject({
        method: 'GET',
        url: `/api/countermeasures?status=executed&partyCode=${partyCode}`,
        headers: { authorization: bearer },
      });
    expect((await filtered('china_unicom')).statusCode).toBe(200);
    const other = await filtered('china_mobile');
    expect(other.statusCode, other.body).toBe(403);
    expect(other.json<ErrorBody>().error).toMatchObject({
      code: 'forbidden',
      details: [expect.objectContaining({ field: 'query.partyCode', reason: 'not_own_party' })],
    });
  });

  it('refuses a party’s filter naming another party, and the centre filters by any', async () => {
    await request([block('china_unicom'), block('china_mobile')]);
    for (const [who, partyCode] of [
      ['mobile', 'china_unicom'],
      ['unicom', 'china_mobile'],
      ['icbc', 'china_unicom'],
      ['mobile', 'ICBC'],
    ] as const) {
      const res = await get(who, `/api/countermeasures?partyCode=${partyCode}`);
      expect(res.statusCode, `${who} → ${partyCode}: ${res.body}`).toBe(403);
      expect(res.json<ErrorBody>().error.code).toBe('forbidden');
    }
    const own = await get('mobile', '/api/countermeasures?partyCode=china_mobile');
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json<CountermeasureList>().items.map((i) => i.partyCode)).toContain('china_mobile');
    expect(own.json<CountermeasureList>().items.every((i) => i.partyCode === 'china_mobile')).toBe(true);
    const centre = await get('ana', '/api/countermeasures?partyCode=china_unicom');
    expect(centre.statusCode, centre.body).toBe(200);
    expect(centre.json<CountermeasureList>().items.every((i) => i.partyCode === 'china_unicom')).toBe(true);
  });

  it('pages a party’s queue by keyset', async () => {
    await request([block('china_broadnet'), block('china_broadnet'), block('china_broadnet')]);
    await createCast(h, [['broad', 'telecom_liaison', { operatorCode: 'china_broadnet' }]]);
    c.broad = await h.signIn('broad');
    const p1 = (await get('broad', '/api/countermeasures?limit=2')).json<CountermeasureList>();
    expect(p1.items).toHaveLength(2);
    const p2 = (
      await get('broad', `/api/countermeasures?limit=2&after=${p1.nextCursor}`)
    ).json<CountermeasureList>();
    expect(p2.items).toHaveLength(1);
    expect(p2.nextCursor).toBeNull();
    expect(new Set([...p1.items, ...p2.items].map((i) => i.id)).size).toBe(3);
  });

  it('marks every overdue countermeasure in one statement: a sweep of three costs what a sweep of one does', async () => {
    const counted = countingDb(database().db);
    const sweepOnce = createCountermeasureSweep({ db: counted.db, clock: h.clock, wake: () => undefined });
    const later = (hours: number) => new Date(h.clock.now().getTime() + hours * HOUR);
    await sweepOnce(later(1000)); // whatever earlier tests left unanswered
    const statementsOfSweep = async (how: number, at: Date) => {
      await request(Array.from({ length: how }, () => block('china_telecom')));
      counted.reset();
      expect(await sweepOnce(at)).toBe(how);
      return counted.count();
    };
    const one = await statementsOfSweep(1, later(2000));
    expect(await statementsOfSweep(3, later(3000)), counted.kinds.join('\n')).toBe(one);
  });

  it('alerts the centre once when a countermeasure passes its SLA unanswered, and counts numbers shut', async () => {
    const [cm] = await request([block('china_telecom')]);
    expect(await h.app.services.countermeasures.sweepOnce(new Date(h.clock.now().getTime() + HOUR))).toBe(0);
    const late = new Date(h.clock.now().getTime() + 2 * HOUR + 1000);
    expect(await h.app.services.countermeasures.sweepOnce(late)).toBeGreaterThanOrEqual(1);
    expect(await h.app.services.countermeasures.sweepOnce(late)).toBe(0);
    const alerts = (await get('sup', '/api/alerts')).json<AlertList>().alerts;
    expect(alerts.filter((a) => a.objectId === cm!.id)).toMatchObject([
      { kind: 'countermeasure_overdue', level: 'escalation', reportId: null },
    ]);
    expect((await get('sup', `/api/countermeasures/${cm!.id}`)).json<CountermeasureView>().isOverdue).toBe(
      true,
    );
    expect((await outboxOf(cm!.id)).map((e) => e.data.change)).toContain('overdue');

    const figures = (await get('ana', '/api/countermeasures/figures')).json<CountermeasureFigures>();
    const unicom = figures.parties.find((p) => p.partyCode === 'china_unicom')!;
    expect(unicom.executed).toBeGreaterThanOrEqual(2);
    expect(unicom.medianExecuteMs).toBe(0);
    expect(figures.phonesShut).toBe(figures.parties.reduce((s, p) => s + p.phonesShut, 0));
    expect((await get('unicom', '/api/countermeasures/figures')).statusCode).toBe(403);
    // The wall's 关停涉诈号码 tile counts today's executed phone blocks, and is connected.
    const wall = (await get('sup', '/api/wall/summary')).json<{
      today: { blockedNumbers: number };
      capabilities: { blockedNumbers: boolean };
    }>();
    expect(wall.capabilities.blockedNumbers).toBe(true);
    expect(wall.today.blockedNumbers).toBeGreaterThanOrEqual(3);
  });

  it('signs the lift as it signed the request: it verifies with the centre’s key, a tampered one does not', async () => {
    const cm = await executed(block());
    const res = await post('sup', `/api/countermeasures/${cm.id}/lift`, { reason: '号码已过户' });
    expect(res.statusCode, res.body).toBe(200);
    const lifted = res.json<CountermeasureView>();
    const key = await centreKey();
    const lift = lifted.lift!;
    expect(lift.instruction.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lift.instruction).toEqual({
      id: lift.instruction.id,
      action: 'lift',
      countermeasureId: cm.id,
      kind: 'block_phone',
      partyKind: 'operator',
      partyCode: 'china_unicom',
      value: cm.value,
      reason: '号码已过户',
      requestedAt: lifted.liftRequestedAt,
      dueAt: lifted.dueAt,
    });
    // A nonce of its own: never the request's id, so neither signature passes for the other.
    expect(lift.instruction.id).not.toBe(cm.id);
    // The audit trail names the lift instruction that went out.
    const audited = await database()
      .db.selectFrom('audit_entry')
      .select('details')
      .where('object_id', '=', cm.id)
      .where('action', '=', 'countermeasure.lift')
      .executeTakeFirstOrThrow();
    const details = (
      typeof audited.details === 'string' ? JSON.parse(audited.details) : audited.details
    ) as Record<string, unknown>;
    expect(details.liftInstructionId).toBe(lift.instruction.id);
    expect(lift).toMatchObject({ keyId: key.keyId, algorithm: cm.algorithm });
    // Named as the signing key and the banks' instructions name it, the request's and the lift's alike; the
    // stored rows keep the signer's own name, and the signed bytes (the instructions) never held it.
    const { algorithm } = (await get('icbc', '/api/bank/signing-key')).json<{ algorithm: string }>();
    expect(algorithm).toBe('Ed25519');
    expect([cm.algorithm, lift.algorithm]).toEqual([algorithm, algorithm]);
    const listed = (
      await get('unicom', '/api/countermeasures?status=lift_requested')
    ).json<CountermeasureList>();
    expect(listed.items.find((i) => i.id === cm.id)).toMatchObject({ algorithm, lift: { algorithm } });
    const stored = await database()
      .db.selectFrom('countermeasure')
      .select(['algorithm', 'lift_algorithm'])
      .where('id', '=', cm.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ algorithm: 'ed25519', lift_algorithm: 'ed25519' });
    expect(verifySignature(key.publicKeyPem, cm.instruction, cm.signature, cm.algorithm as never)).toBe(true);
    expect(verifySignature(key.publicKeyPem, lift.instruction, lift.signature, lift.algorithm as never)).toBe(
      true,
    );
    for (const tampered of [
      { ...lift.instruction, countermeasureId: (await request([block()]))[0]!.id },
      { ...lift.instruction, value: '+8617100009999' },
      { ...lift.instruction, reason: '另案' },
    ])
      expect(verifySignature(key.publicKeyPem, tampered, lift.signature, lift.algorithm as never)).toBe(
        false,
      );
    expect(verifySignature(key.publicKeyPem, cm.instruction, lift.signature, lift.algorithm as never)).toBe(
      false,
    );

    // The party reads the same signed lift wherever it reads the countermeasure: one, its pending list, the
    // live event; the request's signature stays as it was.
    const one = (await get('unicom', `/api/countermeasures/${cm.id}`)).json<CountermeasureView>();
    expect(one.lift).toEqual(lift);
    expect(one.signature).toBe(cm.signature);
    const pending = (await get('unicom', '/api/countermeasures')).json<CountermeasureList>().items;
    expect(pending.find((i) => i.id === cm.id)?.lift).toEqual(lift);
    const events = await outboxOf(cm.id);
    expect(events.find((e) => e.data.change === 'lift_requested')?.data.item.lift).toEqual(lift);
    // And it stays on the countermeasure once lifted.
    const confirmed = await post('unicom', `/api/countermeasures/${cm.id}/answer`, { answer: 'lifted' });
    expect(confirmed.json<CountermeasureView>()).toMatchObject({ status: 'lifted', lift });
  });

  it('signs a lift once: asked again with its key it answers the same, with another key 409', async () => {
    const cm = await executed(
      {
        kind: 'restrict_account',
        value: '6222020200112233453',
        partyCode: 'ICBC',
        reason: '涉诈账户',
      },
      'icbc',
    );
    const first = await post('ana', `/api/countermeasures/${cm.id}/lift`, { reason: '申诉成立' }, 'lift-1');
    const again = await post('ana', `/api/countermeasures/${cm.id}/lift`, { reason: '申诉成立' }, 'lift-1');
    expect(first.statusCode, first.body).toBe(200);
    expect(again.json<CountermeasureView>()).toEqual(first.json<CountermeasureView>());
    const other = await post('sup', `/api/countermeasures/${cm.id}/lift`, { reason: '申诉成立' }, 'lift-2');
    expect(other.statusCode).toBe(409);
    const now = (await get('icbc', `/api/countermeasures/${cm.id}`)).json<CountermeasureView>();
    expect(now.lift).toEqual(first.json<CountermeasureView>().lift);
    const lifts = await database()
      .db.selectFrom('countermeasure_event')
      .select('event')
      .where('countermeasure_id', '=', cm.id)
      .where('event', '=', 'request_lift')
      .execute();
    expect(lifts).toHaveLength(1);
    // A measure not yet carried out is withdrawn the same way: signed, the party can no longer execute it, and
    // confirms. A refused one carries no lift.
    const [open] = await request([block()]);
    const withdrawn = await post('sup', `/api/countermeasures/${open!.id}/lift`, {
      reason: '研判有误，撤回',
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json<CountermeasureView>()).toMatchObject({
      status: 'lift_requested',
      executedAt: null,
    });
    expect(withdrawn.json<CountermeasureView>().lift).not.toBeNull();
    const late = await post('unicom', `/api/countermeasures/${open!.id}/answer`, { answer: 'executed' });
    expect(late.statusCode).toBe(409);
    const confirmed = await post('unicom', `/api/countermeasures/${open!.id}/answer`, { answer: 'lifted' });
    expect(confirmed.json<CountermeasureView>()).toMatchObject({ status: 'lifted', executedAt: null });
    const [refusedOne] = await request([block()]);
    await post('unicom', `/api/countermeasures/${refusedOne!.id}/answer`, {
      answer: 'refused',
      refusalReason: 'not_our_subscriber',
    });
    const liftRefused = await post('sup', `/api/countermeasures/${refusedOne!.id}/lift`, { reason: 'x' });
    expect(liftRefused.statusCode).toBe(409);
    expect(liftRefused.json<ErrorBody>().error.details![0]).toMatchObject({
      field: 'params.id',
      reason: 'countermeasure.transition',
    });
    expect(
      (await get('unicom', `/api/countermeasures/${refusedOne!.id}`)).json<CountermeasureView>().lift,
    ).toBeNull();
  });

  it('signs the lift that a granted appeal asks', async () => {
    const cm = await executed({
      kind: 'block_phone',
      value: '17100008888',
      partyCode: 'china_unicom',
      reason: 'x',
    });
    const filed = await h.app.inject({
      method: 'POST',
      url: '/api/public/appeals',
      payload: {
        subjectKind: 'phone',
        subjectValue: '17100008888',
        name: '张三',
        contactPhone: '13912345678',
        statement: '此号码是我本人正常使用的号码，从未用于诈骗。',
      },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const reference = filed.json<{ reference: string }>().reference;
    const appeal = (await get('ana', '/api/appeals?status=open'))
      .json<{ items: Array<{ id: string; reference: string }> }>()
      .items.find((a) => a.reference === reference)!;
    const reviewed = await post('sup', `/api/appeals/${appeal.id}/review`, {
      recommendation: 'grant',
      reason: '号码已过户',
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    const decided = await post('sup2', `/api/appeals/${appeal.id}/decision`, {
      decision: 'grant',
      reason: '同意解除',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const lifted = (await get('unicom', `/api/countermeasures/${cm.id}`)).json<CountermeasureView>();
    expect(lifted.status).toBe('lift_requested');
    const lift = lifted.lift!;
    expect(lift.instruction).toMatchObject({
      action: 'lift',
      countermeasureId: cm.id,
      reason: lifted.liftReason,
      requestedAt: lifted.liftRequestedAt,
    });
    expect(lift.instruction.reason).toContain(reference);
    const key = await centreKey();
    expect(verifySignature(key.publicKeyPem, lift.instruction, lift.signature, lift.algorithm as never)).toBe(
      true,
    );
  });
});
