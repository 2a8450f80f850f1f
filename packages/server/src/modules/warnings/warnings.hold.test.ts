import type {
  EpisodeList,
  EpisodeView,
  ErrorBody,
  InstructionList,
  SignedInstruction,
  SigningKey,
} from '@fanzha/contracts';
import { withIdCheckChar, type IndicatorSnapshot, type ScreeningHit } from '@fanzha/domain';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DB } from '../../db/schema';
import { createFieldKeys, openFieldKeys, withFieldKeys } from '../../platform/crypto/field-cipher';
import { verifySignature } from '../../platform/crypto/signer';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf } from '../../../testing/core-loop-fixtures';

const NANMING = '520102';
const HOUR = 3_600_000;

const mule: IndicatorSnapshot = {
  id: 7,
  kind: 'account',
  value: '6222020200112233445',
  status: 'active',
  riskLevel: 'high',
  reportCount: 3,
  lossFen: 5_000_000,
  lastReportedAt: '2026-04-28T08:00:00Z',
};

let seq = 0;
/** A bank's transfer signal of a person paying a mule account: the person banks at `bank`. */
function bankHit(phone: string, bank: string | null): ScreeningHit {
  return {
    source: bank === null ? 'operator:china_mobile' : `bank:${bank}`,
    signalId: `hold-sig-${++seq}`,
    signalKind: bank === null ? 'sms' : 'bank_transfer',
    at: '2026-05-01T08:00:00Z',
    person: {
      phone,
      idNumber: withIdCheckChar(`52010219600101${String(100 + seq).slice(-3)}`),
      name: '王秀英',
      countyCode: NANMING,
    },
    indicator: mule,
    amountFen: bank === null ? null : 5_000_000,
    upstreamGrade: null,
  };
}

/**
 * The protective hold (保护性止付) as the person's bank meets it: approved by a second person, it is one signed
 * instruction in the bank's feed; the bank confirms or refuses it; a release early is a second instruction;
 * the lapse is none. The episode shows where the hold stands at the bank.
 */
describeEachStorage('protective holds at the person’s bank', (database) => {
  let h: Harness;
  let db: Kysely<DB>;
  const c: Record<string, string> = {};
  const cast = [
    ['nanming', 'persuader', { countyCode: NANMING }],
    ['nanming2', 'persuader', { countyCode: NANMING }],
    ['desk', 'persuader', {}],
    ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
    ['ccb', 'bank_liaison', { bankCode: 'CCB' }],
  ] as const;
  beforeAll(async () => {
    h = await createHarness(database());
    const keys = createFieldKeys(Buffer.alloc(32, 9));
    await openFieldKeys(database().db, keys, h.clock.now());
    db = withFieldKeys(database().db, keys);
    await createCast(h, cast);
    for (const [u] of cast) c[u] = await h.signIn(u);
  });
  afterAll(() => h.close());

  /** Moves the clock; sessions time out, so everyone signs in again just before. */
  async function jump(to: Date) {
    h.clock.set(new Date(to.getTime() - 5 * 60_000));
    for (const [u] of cast) c[u] = await h.signIn(u);
    h.clock.set(to);
  }
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });
  const post = (who: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, ...headers }, payload });
  const episode = async (id: string) => (await get('desk', `/api/episodes/${id}`)).json<EpisodeView>();
  const confirm = (who: string, id: string, body: object, key: string) =>
    post(who, `/api/bank/instructions/${id}/confirm`, body, { 'idempotency-key': key });
  const holdsOf = (episodeId: string) =>
    db
      .selectFrom('bank_instruction')
      .select(['id', 'kind', 'bank_code', 'status', 'report_id', 'stop_payment_id'])
      .where('episode_id', '=', episodeId)
      .orderBy('issued_at')
      .execute();
  const feed = async (who: string) =>
    (
      await get(
        who,
        '/api/bank/instructions?status=all&kind=protective_hold,protective_hold_release&limit=500',
      )
    ).json<InstructionList>();
  const rows = async () =>
    (
      await sql<{ i: string; o: string; e: string }>`
        select (select count(*) from bank_instruction) as i, (select count(*) from outbox) as o,
          (select count(*) from episode_event) as e`.execute(database().db)
    ).rows[0];

  /** An episode of a person seen paying from `banks`, worked to carrier assist (the line was busy). */
  async function atCarrierAssist(phone: string, banks: Array<string | null>): Promise<string> {
    await db.transaction().execute((trx) =>
      h.app.services.recordHits(
        trx,
        banks.map((b) => bankHit(phone, b)),
      ),
    );
    const list = (await get('desk', '/api/episodes?limit=200')).json<EpisodeList>().episodes;
    const e = list.find((x) => x.personPhoneMasked?.endsWith(phone.slice(-4)) && x.isOpen)!;
    const busy = await post('nanming', `/api/episodes/${e.id}/outcome`, { outcome: 'line_busy' });
    expect(busy.json<EpisodeView>().step).toBe('carrier_assist');
    return e.id;
  }

  /** Requested by one persuader, approved by another: the hold's instruction is sent. */
  async function held(
    phone: string,
    body: object = {},
  ): Promise<{ id: string; instruction: SignedInstruction }> {
    const id = await atCarrierAssist(phone, ['ICBC']);
    const requested = await post('nanming', `/api/episodes/${id}/hold`, {
      reason: '疑似正在向骗子转账',
      hours: 24,
      ...body,
    });
    expect(requested.statusCode, requested.body).toBe(200);
    const approved = await post('nanming2', `/api/episodes/${id}/hold/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    const [hold] = await holdsOf(id);
    return {
      id,
      instruction: (await get('icbc', `/api/bank/instructions/${hold!.id}`)).json<SignedInstruction>(),
    };
  }

  it('the bank is the one named, or the only bank of the signals; otherwise the officer must name it', async () => {
    const none = await atCarrierAssist('+8613900000101', [null]);
    const before = await rows();
    const missing = await post('nanming', `/api/episodes/${none}/hold`, {
      reason: '疑似正在转账',
      hours: 24,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<ErrorBody>().error.details).toContainEqual(
      expect.objectContaining({ field: 'body.bankCode', reason: 'required' }),
    );
    const two = await atCarrierAssist('+8613900000102', ['ICBC', 'CCB']);
    const ambiguous = await post('nanming', `/api/episodes/${two}/hold`, {
      reason: '疑似正在转账',
      hours: 24,
    });
    expect(ambiguous.json<ErrorBody>().error.details?.[0]).toMatchObject({
      field: 'body.bankCode',
      reason: 'required',
    });
    expect(ambiguous.json<ErrorBody>().error.details?.[0]?.message).toContain('CCB, ICBC');
    const unknown = await post('nanming', `/api/episodes/${two}/hold`, {
      reason: '疑似正在转账',
      hours: 24,
      bankCode: 'NOSUCHBANK',
      account: '12-34',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<ErrorBody>().error.details?.map((d) => `${d.field}:${d.reason}`)).toEqual([
      'body.bankCode:unknown_bank',
      'body.account:account.length',
    ]);
    // Refused requests change nothing.
    expect((await episode(none)).step).toBe('carrier_assist');
    expect((await episode(two)).step).toBe('carrier_assist');
    const named = await post('nanming', `/api/episodes/${two}/hold`, {
      reason: '疑似正在转账',
      hours: 24,
      bankCode: 'CCB',
      account: '6217 0000 1111 2222',
    });
    expect(named.json<EpisodeView>().ladder.hold).toMatchObject({
      bankCode: 'CCB',
      account: '6217000011112222',
      atBank: null,
    });
    expect(Number((await rows())!.i)).toBe(Number(before!.i));
  });

  it('approved: one signed instruction in the bank’s feed, with the person, the terms and the approvers', async () => {
    const { id, instruction: item } = await held('+8613900000103');
    expect(item).toMatchObject({ kind: 'protective_hold', status: 'sent' });
    const key = (await get('icbc', '/api/bank/signing-key')).json<SigningKey>();
    expect(verifySignature(key.publicKeyPem, item.instruction, item.signature)).toBe(true);
    const view = await episode(id);
    expect(item.instruction).toMatchObject({
      type: 'protective_hold',
      version: 2,
      bankCode: 'ICBC',
      account: null,
      episodeId: id,
      person: { phone: '+8613900000103', name: '王秀英', idNumber: view.person.idNumber },
      hours: 24,
      startsAt: view.ladder.hold!.startsAt,
      endsAt: view.ladder.hold!.endsAt,
      reason: '疑似正在向骗子转账',
      appealChannel: { centre: '反诈中心', phone: '96110', verifyUrl: null },
      requestedBy: 'nanming',
      approvedBy: 'nanming2',
    });
    expect(item.instruction).not.toHaveProperty('reportNumber');
    expect(item.deadlineAt).toBe(view.ladder.hold!.endsAt);
    expect(view.ladder.hold!.atBank).toMatchObject({ bankCode: 'ICBC', state: 'sent', account: null });
    // In ICBC's feed, numbered; not in CCB's, and CCB cannot read it.
    expect((await feed('icbc')).instructions.map((i) => i.instruction.instructionId)).toContain(
      item.instruction.instructionId,
    );
    expect((await feed('ccb')).instructions).toHaveLength(0);
    expect((await get('ccb', `/api/bank/instructions/${item.instruction.instructionId}`)).statusCode).toBe(
      404,
    );
    // Approving again changes nothing: still one instruction.
    expect((await post('nanming2', `/api/episodes/${id}/hold/approve`)).statusCode).toBe(200);
    const [row, ...more] = await holdsOf(id);
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({ report_id: null, stop_payment_id: null });
  });

  it('two approvals at once send one instruction', async () => {
    const id = await atCarrierAssist('+8613900000104', ['ICBC']);
    await post('nanming', `/api/episodes/${id}/hold`, { reason: '疑似正在转账', hours: 12 });
    const answers = await Promise.all([
      post('nanming2', `/api/episodes/${id}/hold/approve`),
      post('desk', `/api/episodes/${id}/hold/approve`),
    ]);
    expect(answers.map((a) => a.statusCode)).toContain(200);
    for (const a of answers) expect([200, 409]).toContain(a.statusCode);
    expect(await holdsOf(id)).toHaveLength(1);
  });

  it('the bank confirms it held; the episode shows it; the same answer again changes nothing', async () => {
    const { id, instruction } = await held('+8613900000105');
    const holdId = instruction.instruction.instructionId;
    expect(
      (await post('icbc', `/api/bank/instructions/${holdId}/ack`)).json<SignedInstruction>().status,
    ).toBe('acknowledged');
    expect((await episode(id)).ladder.hold!.atBank!.state).toBe('acknowledged');
    const wrongKind = await confirm(
      'icbc',
      holdId,
      { outcome: 'lifted', executedAt: h.clock.now().toISOString() },
      'h1',
    );
    expect(wrongKind.json<ErrorBody>().error.details).toContainEqual(
      expect.objectContaining({ field: 'body.outcome', reason: 'wrong_kind' }),
    );
    const money = await confirm(
      'icbc',
      holdId,
      { outcome: 'held', amountFen: 1, executedAt: h.clock.now().toISOString() },
      'h1',
    );
    expect(money.json<ErrorBody>().error.details).toContainEqual(
      expect.objectContaining({ field: 'body.amountFen', reason: 'not_allowed' }),
    );
    const body = { outcome: 'held', executedAt: h.clock.now().toISOString() };
    const ok = await confirm('icbc', holdId, body, 'h2');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<SignedInstruction>()).toMatchObject({ status: 'held', answer: { outcome: 'held' } });
    const before = await rows();
    expect((await confirm('icbc', holdId, body, 'h2')).statusCode).toBe(200);
    expect(await rows()).toEqual(before);
    expect(
      (await confirm('icbc', holdId, { outcome: 'failed', failureReason: 'no_such_customer' }, 'h3'))
        .statusCode,
    ).toBe(409);
    const view = await episode(id);
    expect(view.ladder.hold!.atBank).toMatchObject({
      state: 'held',
      hold: { status: 'held', executedAt: body.executedAt, answeredBy: 'icbc' },
    });
    const audited = await db
      .selectFrom('audit_entry')
      .select(['action', 'details'])
      .where('object_id', '=', holdId)
      .where('action', '=', 'bank-instruction.confirm')
      .where('result', '=', 'success')
      .execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]!.details).toMatchObject({ kind: 'protective_hold', outcome: 'held', episodeId: id });
    const events = await db
      .selectFrom('episode_event')
      .select('event')
      .where('episode_id', '=', id)
      .execute();
    expect(events.map((e) => e.event)).toContain('hold_confirmed');
  });

  it('released early: a release instruction, confirmed lifted; a release cannot fail', async () => {
    const card = cardOf('ICBC', 4242);
    const { id, instruction } = await held('+8613900000106', { account: card.replace(/(\d{4})/g, '$1 ') });
    expect(instruction.instruction).toMatchObject({ account: { number: card, name: '王秀英' } });
    await confirm(
      'icbc',
      instruction.instruction.instructionId,
      { outcome: 'held', executedAt: h.clock.now().toISOString() },
      'r1',
    );
    const released = (await post('desk', `/api/episodes/${id}/hold/release`)).json<EpisodeView>();
    expect(released).toMatchObject({ step: 'closed', closeReason: 'hold_released' });
    expect(released.ladder.hold!.atBank!.state).toBe('releasing');
    // Until the bank lifts it, the hold still ends by itself at its end: that deadline still runs.
    const holdItem = async () =>
      (
        await get('icbc', `/api/bank/instructions/${instruction.instruction.instructionId}`)
      ).json<SignedInstruction>();
    const endsAt = released.ladder.hold!.endsAt;
    expect((await holdItem()).deadlineAt).toBe(endsAt);
    const [, release, ...more] = await holdsOf(id);
    expect(more).toHaveLength(0);
    const item = (await get('icbc', `/api/bank/instructions/${release!.id}`)).json<SignedInstruction>();
    expect(item).toMatchObject({ kind: 'protective_hold_release', status: 'sent', deadlineAt: null });
    expect(item.instruction).toMatchObject({
      type: 'protective_hold_release',
      episodeId: id,
      holdInstructionId: instruction.instruction.instructionId,
      account: { number: card },
      releasedBy: 'desk',
    });
    const key = (await get('icbc', '/api/bank/signing-key')).json<SigningKey>();
    expect(verifySignature(key.publicKeyPem, item.instruction, item.signature)).toBe(true);
    expect(
      (await confirm('icbc', release!.id, { outcome: 'failed', failureReason: 'other', note: '系统' }, 'r2'))
        .statusCode,
    ).toBe(409);
    expect(
      (
        await confirm(
          'icbc',
          release!.id,
          { outcome: 'lifted', executedAt: h.clock.now().toISOString() },
          'r3',
        )
      ).statusCode,
    ).toBe(200);
    expect((await episode(id)).ladder.hold!.atBank).toMatchObject({
      state: 'released',
      endsAt,
      release: { status: 'lifted' },
    });
    // Lifted: no deadline runs on the hold any more; the signed hold is unchanged.
    const lifted = await holdItem();
    expect(lifted).toMatchObject({ status: 'held', deadlineAt: null });
    expect(verifySignature(key.publicKeyPem, lifted.instruction, lifted.signature)).toBe(true);
    // Released again: nothing more is sent.
    expect((await post('desk', `/api/episodes/${id}/hold/release`)).statusCode).toBe(200);
    expect(await holdsOf(id)).toHaveLength(2);
  });

  it('refused by the bank: the episode shows why, and a release sends nothing', async () => {
    const { id, instruction } = await held('+8613900000107');
    const refused = await confirm(
      'icbc',
      instruction.instruction.instructionId,
      { outcome: 'failed', failureReason: 'no_such_customer', note: '本行无该客户' },
      'f1',
    );
    expect(refused.json<SignedInstruction>()).toMatchObject({ status: 'failed', deadlineAt: null });
    expect((await episode(id)).ladder.hold!.atBank).toMatchObject({
      state: 'refused',
      hold: { failureReason: 'no_such_customer', note: '本行无该客户' },
    });
    await post('desk', `/api/episodes/${id}/hold/release`);
    expect((await holdsOf(id)).map((r) => r.kind)).toEqual(['protective_hold']);
  });

  it('lapses at its end: no new instruction, and the episode shows the hold lapsed', async () => {
    const { id, instruction } = await held('+8613900000108', { hours: 1 });
    await confirm(
      'icbc',
      instruction.instruction.instructionId,
      { outcome: 'held', executedAt: h.clock.now().toISOString() },
      'l1',
    );
    const before = (await rows())!.i;
    await jump(new Date(h.clock.now().getTime() + HOUR + 60_000));
    await h.app.services.episodeSweep.sweepOnce(h.clock.now());
    const view = await episode(id);
    expect(view).toMatchObject({ step: 'closed', closeReason: 'hold_lapsed' });
    expect(view.ladder.hold!.atBank).toMatchObject({
      state: 'lapsed',
      hold: { status: 'held' },
      release: null,
    });
    expect((await rows())!.i).toBe(before);
    expect(await holdsOf(id)).toHaveLength(1);
  });
});
