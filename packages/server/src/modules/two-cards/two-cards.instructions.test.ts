import { generateKeyPairSync, sign as edSign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type {
  ErrorBody,
  PartyNotice,
  SigningKey,
  TwoCardInstructionList,
  TwoCardInstructionView,
  TwoCardMeasureView,
} from '@fanzha/contracts';
import { withIdCheckChar, type EventEnvelope } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf } from '../../../testing/core-loop-fixtures';
import { describeEachStorage } from '../../../testing/test-databases';
import { canonicalJson } from '../../platform/crypto/canonical-json';
import { createFieldKeys, openFieldKeys, withFieldKeys } from '../../platform/crypto/field-cipher';
import { verifySignature } from '../../platform/crypto/signer';
import { openEnvelopes } from '../../platform/outbox/outbox';
import { messageFor } from '../stream/index';

/** Two-cards measures reach the banks and operators that carry them out, signed, and are answered by them. */
const holderA = withIdCheckChar('52010219880214003');
const holderB = withIdCheckChar('52010319920505004');
const icbcCard = cardOf('ICBC', 9101);
const mobileSim = '13800139101';

describeEachStorage('two-cards instructions to banks and operators', (database) => {
  let h: Harness;
  let c: Record<string, string> = {};
  let party: Server;
  let origin = '';
  const received: Array<{ path: string; body: PartyNotice; signature: string }> = [];
  const bankKeys = generateKeyPairSync('ed25519');
  const mobileKeys = generateKeyPairSync('ed25519');
  const keys: Record<string, string> = {};
  const holderIds: Record<string, string> = {};
  let n = 0;
  const cast = [
    ['analyst', 'analyst', {}],
    ['sup', 'supervisor', {}],
    ['taker', 'call_taker', {}],
    ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
    ['ccb', 'bank_liaison', { bankCode: 'CCB' }],
    ['mobile', 'telecom_liaison', { operatorCode: 'china_mobile' }],
    ['unicom', 'telecom_liaison', { operatorCode: 'china_unicom' }],
    ['root', 'admin', {}],
  ] as const;
  const pem = (k: typeof bankKeys) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  beforeAll(async () => {
    party = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          body: JSON.parse(text) as PartyNotice,
          signature: String(req.headers['x-fanzha-signature']),
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => party.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(party.address() as { port: number }).port}`;
    h = await createHarness(database(), { env: { FANZHA_WEBHOOK_ALLOW: origin } });
    await createCast(h, cast);
    c = await signInCast(h, cast);
    const bank = await post('root', '/api/integrations/bank-keys', {
      name: 'ICBC gateway',
      bankCode: 'ICBC',
      publicKeyPem: pem(bankKeys),
      webhookUrl: `${origin}/icbc`,
    });
    expect(bank.statusCode, bank.body).toBe(201);
    keys.icbc = bank.json<{ key: string }>().key;
    const mobile = await post('root', '/api/integrations/signal-keys', {
      name: 'Mobile gateway',
      sender: { kind: 'operator', operator: 'china_mobile' },
      publicKeyPem: pem(mobileKeys),
      webhookUrl: `${origin}/mobile`,
    });
    expect(mobile.statusCode, mobile.body).toBe(201);
    keys.mobile = mobile.json<{ key: string }>().key;
    // Holder A: an ICBC card and a China Mobile SIM. Holder B: a SIM only, no bank card known.
    const imported = await post('analyst', '/api/two-cards/imports', {
      format: 'json',
      rows: [
        { kind: 'bank', number: icbcCard, holder_id_number: holderA, place_name: '南明支行' },
        { kind: 'sim', number: mobileSim, holder_id_number: holderA, place_name: '南明营业厅' },
        { kind: 'sim', number: '13800139102', holder_id_number: holderB, place_name: '云岩营业厅' },
      ],
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const rows = await database()
      .db.selectFrom('two_card')
      .select(['number', 'holder_id'])
      .where('number', 'in', [icbcCard, '13800139102'])
      .execute();
    holderIds.a = rows.find((r) => r.number === icbcCard)!.holder_id!;
    holderIds.b = rows.find((r) => r.number === '13800139102')!.holder_id!;
  });
  afterAll(async () => {
    await h.close();
    await new Promise((r) => party.close(r));
  });

  function post(who: string, url: string, payload: object, headers: Record<string, string> = {}) {
    return h.app.inject({
      method: 'POST',
      url,
      headers: { cookie: c[who]!, 'idempotency-key': `tc-${++n}`, ...headers },
      payload,
    });
  }
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });
  const withKey = (key: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
  const signedAnswer = (key: string, privateKey: typeof bankKeys.privateKey, id: string, body: object) =>
    h.app.inject({
      method: 'POST',
      url: `/api/two-cards/instructions/${id}/answer`,
      headers: {
        authorization: `Bearer ${key}`,
        'x-fanzha-signature': edSign(
          null,
          Buffer.from(canonicalJson({ instructionId: id, answer: body })),
          privateKey,
        ).toString('base64'),
      },
      payload: body,
    });
  const record = async (holder: string, kind: string, startsAt = h.clock.now()) => {
    const res = await post('analyst', `/api/two-cards/holders/${holder}/measures`, {
      kind,
      startsAt: startsAt.toISOString(),
      reason: '出租银行卡、电话卡，经核查认定',
      decidingUnit: '南明分局',
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<TwoCardMeasureView>();
  };
  const signingKey = async () =>
    (await h.app.inject({ method: 'GET', url: '/api/bank/signing-key' })).json<SigningKey>().publicKeyPem;
  const count = async (t: 'two_card_instruction' | 'audit_entry') =>
    Number(
      (
        await database()
          .db.selectFrom(t)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('sends an account measure, signed, to the bank where the holder’s card was opened and to no other', async () => {
    const m = await record(holderIds.a!, 'no_non_counter_services');
    expect(m.instructions).toEqual([
      expect.objectContaining({ action: 'apply', partyKind: 'bank', partyCode: 'ICBC', status: 'sent' }),
    ]);
    const id = m.instructions[0]!.id;
    // The bank's system reads it with its key: the document as signed, with the holder's ID number.
    const list = (await withKey(keys.icbc!, '/api/two-cards/instructions')).json<TwoCardInstructionList>();
    const mine = list.items.find((i) => i.id === id)!;
    expect(mine.instruction).toMatchObject({
      measureId: m.id,
      action: 'apply',
      kind: 'no_non_counter_services',
      partyCode: 'ICBC',
      holder: { idNumber: holderA },
      cards: [icbcCard],
      decidingUnit: '南明分局',
    });
    expect(verifySignature(await signingKey(), mine.instruction, mine.signature)).toBe(true);
    // Its algorithm named as the signing key and the banks' instructions name it (the signed bytes never held it).
    const centre = (await h.app.inject({ method: 'GET', url: '/api/bank/signing-key' })).json<SigningKey>();
    expect(mine.algorithm).toBe(centre.algorithm);
    expect(mine.algorithm).toBe('Ed25519');
    expect(
      verifySignature(centre.publicKeyPem, mine.instruction, mine.signature, mine.algorithm as never),
    ).toBe(true);
    expect(verifySignature(await signingKey(), { ...mine.instruction, cards: [] }, mine.signature)).toBe(
      false,
    );
    expect((await get('icbc', `/api/two-cards/instructions/${id}`)).json<TwoCardInstructionView>().id).toBe(
      id,
    );
    // Another bank, an operator: not theirs to see, nor to answer.
    expect((await get('ccb', '/api/two-cards/instructions')).json<TwoCardInstructionList>().items).toEqual(
      [],
    );
    expect((await get('ccb', `/api/two-cards/instructions/${id}`)).statusCode).toBe(404);
    expect((await get('mobile', `/api/two-cards/instructions/${id}`)).statusCode).toBe(404);
    const theirs = await post('ccb', `/api/two-cards/instructions/${id}/answer`, { answer: 'executed' });
    expect(theirs.statusCode).toBe(404);
    // The centre's staff and other roles have no party queue.
    expect((await get('analyst', '/api/two-cards/instructions')).statusCode).toBe(403);
    expect((await get('taker', '/api/two-cards/instructions')).statusCode).toBe(403);
    // The bank's webhook is told, signed, with nothing personal; the outbox's event carries nothing personal.
    await expect
      .poll(() => received.filter((r) => r.path === '/icbc' && r.body.id === id).length, { timeout: 10_000 })
      .toBe(1);
    const notice = received.find((r) => r.body.id === id)!;
    expect(notice.body).toMatchObject({ event: 'two_card_measure', status: 'sent' });
    expect(verifySignature(await signingKey(), notice.body, notice.signature)).toBe(true);
    expect(JSON.stringify(notice.body)).not.toContain(holderA);
    const keysForTest = createFieldKeys(Buffer.alloc(32, 9));
    await openFieldKeys(database().db, keysForTest, h.clock.now());
    const db = withFieldKeys(database().db, keysForTest);
    const outbox = await db
      .selectFrom('outbox')
      .select(['event_id', 'envelope'])
      .where('subject', '=', 'two-card-instruction.changed')
      .execute();
    const events = (await openEnvelopes(db, outbox)) as Array<EventEnvelope<'two-card-instruction.changed'>>;
    const e = events.find((x) => x.data.item.id === id)!;
    expect(JSON.stringify(e)).not.toContain(holderA);
    // The ID number is sealed at rest.
    const raw = await database()
      .db.selectFrom('two_card_instruction')
      .select('instruction')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(raw.instruction)).not.toContain(holderA);
    // Live: to the bank's liaison and the centre, to no other party.
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
    expect(messageFor(actor('bank_liaison', { bankCode: 'ICBC' }), e)).toMatchObject({
      type: 'two-card-instruction',
    });
    expect(messageFor(actor('analyst', {}), e)).toMatchObject({ type: 'two-card-instruction' });
    expect(messageFor(actor('bank_liaison', { bankCode: 'CCB' }), e)).toBeUndefined();
    expect(messageFor(actor('telecom_liaison', { operatorCode: 'china_mobile' }), e)).toBeUndefined();
  });

  it('takes the party’s answers as the lifecycle allows: signed by a system, idempotent, one error shape', async () => {
    const m = await record(holderIds.a!, 'no_new_accounts');
    const id = m.instructions[0]!.id;
    const ack = { answer: 'acknowledged' };
    // A system's answer must be signed with its key.
    const unsigned = await h.app.inject({
      method: 'POST',
      url: `/api/two-cards/instructions/${id}/answer`,
      headers: { authorization: `Bearer ${keys.icbc}` },
      payload: ack,
    });
    expect(unsigned.statusCode).toBe(401);
    const ok = await signedAnswer(keys.icbc!, bankKeys.privateKey, id, ack);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<TwoCardInstructionView>()).toMatchObject({ status: 'acknowledged' });
    // The same answer again changes nothing.
    // (Its own entries: the app's background work — webhook notices, the consumer — audits meanwhile too.)
    const auditsOf = async () =>
      (await database().db.selectFrom('audit_entry').select('id').where('object_id', '=', id).execute())
        .length;
    const audits = await auditsOf();
    const again = await signedAnswer(keys.icbc!, bankKeys.privateKey, id, ack);
    expect(again.json<TwoCardInstructionView>()).toEqual(ok.json<TwoCardInstructionView>());
    expect(await auditsOf()).toBe(audits);
    // Bad answers: 400 naming the field, nothing changed.
    for (const [body, field] of [
      [{ answer: 'refused' }, 'body.refusalReason'],
      [{ answer: 'executed', refusalReason: 'other' }, 'body.refusalReason'],
      [{ answer: 'executed', extra: 1 }, 'body.extra'],
      [{ answer: 'lifted' }, 'body.answer'],
    ] as const) {
      const bad = await post('icbc', `/api/two-cards/instructions/${id}/answer`, body);
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json<ErrorBody>().error.details![0]!.field).toBe(field);
    }
    expect(
      (await get('icbc', `/api/two-cards/instructions/${id}`)).json<TwoCardInstructionView>().status,
    ).toBe('acknowledged');
    const done = await post('icbc', `/api/two-cards/instructions/${id}/answer`, {
      answer: 'executed',
      note: '已控制',
    });
    expect(done.json<TwoCardInstructionView>()).toMatchObject({ status: 'executed', note: '已控制' });
    const late = await post('icbc', `/api/two-cards/instructions/${id}/answer`, {
      answer: 'refused',
      refusalReason: 'other',
    });
    expect(late.statusCode).toBe(409);
    // Executed: no longer pending; the centre sees the answer on the measure.
    const pending = (await get('icbc', '/api/two-cards/instructions')).json<TwoCardInstructionList>();
    expect(pending.items.map((i) => i.id)).not.toContain(id);
    const executed = (
      await get('icbc', '/api/two-cards/instructions?status=executed')
    ).json<TwoCardInstructionList>();
    expect(executed.items.map((i) => i.id)).toContain(id);
    const seen = (await get('analyst', `/api/two-cards/measures?holderId=${holderIds.a}`)).json<{
      items: TwoCardMeasureView[];
    }>();
    expect(seen.items.find((x) => x.id === m.id)!.instructions[0]).toMatchObject({ status: 'executed' });
  });

  it('sends the phone-card limit to every operator and its lift to the same, the SIMs to their own operator', async () => {
    const m = await record(holderIds.a!, 'limit_new_phone_cards');
    expect(m.instructions.map((i) => i.partyCode).sort()).toEqual([
      'china_broadnet',
      'china_mobile',
      'china_telecom',
      'china_unicom',
    ]);
    const mobile = (
      await withKey(keys.mobile!, '/api/two-cards/instructions')
    ).json<TwoCardInstructionList>();
    const applied = mobile.items.find((i) => i.measureId === m.id)!;
    expect(applied.instruction).toMatchObject({ partyCode: 'china_mobile', cards: [mobileSim] });
    const unicom = (await get('unicom', '/api/two-cards/instructions')).json<TwoCardInstructionList>();
    expect(unicom.items.find((i) => i.measureId === m.id)!.instruction.cards).toEqual([]);
    // No bank hears of it.
    expect(
      (await get('icbc', '/api/two-cards/instructions'))
        .json<TwoCardInstructionList>()
        .items.map((i) => i.measureId),
    ).not.toContain(m.id);
    const signed = await signedAnswer(keys.mobile!, mobileKeys.privateKey, applied.id, {
      answer: 'executed',
    });
    expect(signed.statusCode, signed.body).toBe(200);

    const before = await count('two_card_instruction');
    const lifted = await post('sup', `/api/two-cards/measures/${m.id}/lift`, { reason: '申诉成立' });
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect(await count('two_card_instruction')).toBe(before + 4);
    const lift = (await withKey(keys.mobile!, '/api/two-cards/instructions'))
      .json<TwoCardInstructionList>()
      .items.find((i) => i.measureId === m.id && i.action === 'lift')!;
    expect(lift.instruction).toMatchObject({
      action: 'lift',
      liftReason: '申诉成立',
      holder: { idNumber: holderA },
    });
    expect(verifySignature(await signingKey(), lift.instruction, lift.signature)).toBe(true);
    await expect
      .poll(() => received.filter((r) => r.path === '/mobile' && r.body.id === lift.id).length, {
        timeout: 10_000,
      })
      .toBe(1);
  });

  it('sends the lift to a bank that applied the measure even after an import gave its card to another holder', async () => {
    const holderC = withIdCheckChar('52010219700101005');
    const holderD = withIdCheckChar('52010219710202006');
    const ccbCard = cardOf('CCB', 9105);
    const importCard = async (holder: string) => {
      const res = await post('analyst', '/api/two-cards/imports', {
        format: 'json',
        rows: [{ kind: 'bank', number: ccbCard, holder_id_number: holder, place_name: '云岩支行' }],
      });
      expect(res.statusCode, res.body).toBe(200);
      const row = await database()
        .db.selectFrom('two_card')
        .select('holder_id')
        .where('number', '=', ccbCard)
        .executeTakeFirstOrThrow();
      return row.holder_id!;
    };
    const holderCId = await importCard(holderC);
    const m = await record(holderCId, 'no_new_accounts');
    expect(m.instructions.map((i) => [i.action, i.partyCode])).toEqual([['apply', 'CCB']]);
    // A later import names another holder for the card: holder C has no CCB card any more.
    expect(await importCard(holderD)).not.toBe(holderCId);
    const lifted = await post('sup', `/api/two-cards/measures/${m.id}/lift`, { reason: '认定撤销' });
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect(lifted.json<TwoCardMeasureView>().instructions.map((i) => [i.action, i.partyCode])).toEqual([
      ['apply', 'CCB'],
      ['lift', 'CCB'],
    ]);
    const lift = (await get('ccb', '/api/two-cards/instructions'))
      .json<TwoCardInstructionList>()
      .items.find((i) => i.measureId === m.id && i.action === 'lift')!;
    expect(lift.instruction).toMatchObject({
      action: 'lift',
      partyCode: 'CCB',
      holder: { idNumber: holderC },
      liftReason: '认定撤销',
      cards: [],
    });
  });

  it('sends a bank measure nowhere when none of the holder’s bank cards is known', async () => {
    const before = await count('two_card_instruction');
    const m = await record(holderIds.b!, 'no_new_accounts');
    expect(m.instructions).toEqual([]);
    expect(await count('two_card_instruction')).toBe(before);
  });

  it('sends a measure put on record after it ended nowhere: nothing is left to carry out', async () => {
    const before = await count('two_card_instruction');
    // The holder's card is known at ICBC (the first test sent this kind there), but this one ended years ago.
    const m = await record(holderIds.a!, 'no_new_accounts', new Date('2020-01-01T00:00:00Z'));
    expect(m.state).toBe('ended');
    expect(m.instructions).toEqual([]);
    expect(await count('two_card_instruction')).toBe(before);
  });
});
