import { generateKeyPairSync, sign as edSign } from 'node:crypto';
import type { InstructionList, ReportView, SigningKey, StopPaymentView } from '@fanzha/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { canonicalJson } from '../../platform/crypto/canonical-json';
import { verifySignature } from '../../platform/crypto/signer';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, queue, reportWith, signInCoreLoopUsers } from '../../../testing/core-loop-fixtures';

// The second half of the core loop: the signed instruction, the bank's answer and the cascade it starts.
describeEachStorage('the core loop: desk → bank → next layer', (database) => {
  let h: Harness;
  let c: Record<string, string> = {};
  beforeAll(async () => {
    h = await createHarness(database());
    c = await signInCoreLoopUsers(h);
  });
  afterAll(() => h.close());

  const post = (cookie: string, url: string, payload: object, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie, ...headers }, payload });
  const instructions = async (cookie: string, status = 'sent,acknowledged,stopped,failed') =>
    (
      await h.app.inject({
        method: 'GET',
        url: `/api/bank/instructions?status=${status}`,
        headers: { cookie },
      })
    ).json<InstructionList>().instructions;

  async function sentRequest(bank: 'ICBC' | 'CCB', seed: number, amountFen = 5_000_000) {
    const number = cardOf(bank, seed);
    const { id } = await reportWith(h, c.taker!, [{ number, amountFen }]);
    const pending = (await queue(h, c.desk!, `?reportId=${id}`)).find((r) => r.account.number === number)!;
    const sent = await post(c.desk!, `/api/stop-payments/${pending.id}/send`, {
      legalDocNumber: 'GZ-ZF-2026-0001',
    });
    expect(sent.statusCode).toBe(200);
    return { reportId: id, request: sent.json<StopPaymentView>(), number };
  }

  it('sends a signed instruction that only its bank sees, and the bank can verify', async () => {
    const { request, number } = await sentRequest('ICBC', 2);
    expect(request.status).toBe('sent');
    const key = (await h.app.inject({ method: 'GET', url: '/api/bank/signing-key' })).json<SigningKey>();
    const mine = (await instructions(c.icbc!)).find((i) => i.instruction.instructionId === request.id)!;
    expect(mine.instruction).toMatchObject({
      bankCode: 'ICBC',
      account: { number },
      amountFen: 5_000_000,
      legalDocNumber: 'GZ-ZF-2026-0001',
      layer: 1,
    });
    expect(mine.keyId).toBe(key.keyId);
    expect(mine.algorithm).toBe('Ed25519');
    expect(verifySignature(key.publicKeyPem, mine.instruction, mine.signature)).toBe(true);
    expect(verifySignature(key.publicKeyPem, mine.instruction, mine.signature, mine.algorithm)).toBe(true);
    expect(verifySignature(key.publicKeyPem, { ...mine.instruction, amountFen: 1 }, mine.signature)).toBe(
      false,
    );
    expect((await instructions(c.ccb!)).map((i) => i.instruction.instructionId)).not.toContain(request.id);
  });

  it("refuses an answer or acknowledgement for another bank's instruction", async () => {
    const { request } = await sentRequest('ICBC', 3);
    const answer = await post(
      c.ccb!,
      `/api/bank/instructions/${request.id}/result`,
      { outcome: 'stopped', stoppedFen: 1, onwardTransfers: [] },
      { 'idempotency-key': 'k-3' },
    );
    expect(answer.statusCode).toBe(404);
    expect((await post(c.ccb!, `/api/bank/instructions/${request.id}/ack`, {})).statusCode).toBe(404);
    expect(
      (
        await h.app.inject({
          method: 'GET',
          url: `/api/stop-payments/${request.id}`,
          headers: { cookie: c.desk! },
        })
      ).json(),
    ).toMatchObject({ status: 'sent' });
  });

  it('turns each onward transfer into a sent request one layer deeper at its bank', async () => {
    const { request, reportId } = await sentRequest('ICBC', 4);
    const at = h.clock.now().toISOString();
    const res = await post(
      c.icbc!,
      `/api/bank/instructions/${request.id}/result`,
      {
        outcome: 'stopped',
        stoppedFen: 1_200_000,
        balanceFen: 1_200_000,
        onwardTransfers: [
          { account: { number: cardOf('CCB', 4), name: '王五' }, amountFen: 2_000_000, transferredAt: at },
          { account: { number: cardOf('ABC', 4) }, amountFen: 1_500_000, transferredAt: at },
        ],
      },
      { 'idempotency-key': 'answer-4' },
    );
    expect(res.statusCode).toBe(200);
    const answered = res.json<StopPaymentView>();
    expect(answered).toMatchObject({
      status: 'stopped',
      result: {
        stoppedFen: 1_200_000,
        onwardTransfers: [{ account: { bankCode: 'CCB' } }, { account: { bankCode: 'ABC' } }],
      },
    });
    const ccb = (await instructions(c.ccb!, 'sent')).filter(
      (i) => i.instruction.parentInstructionId === request.id,
    );
    const abc = (await instructions(c.abc!, 'sent')).filter(
      (i) => i.instruction.parentInstructionId === request.id,
    );
    expect(ccb).toHaveLength(1);
    expect(abc).toHaveLength(1);
    expect(ccb[0]!.instruction).toMatchObject({
      layer: 2,
      amountFen: 2_000_000,
      legalDocNumber: 'GZ-ZF-2026-0001',
      account: { name: '王五' },
    });
    const report = (
      await h.app.inject({ method: 'GET', url: `/api/reports/${reportId}`, headers: { cookie: c.desk! } })
    ).json<ReportView>();
    expect(report.times.firstInstructionSentAt).not.toBeNull();
    expect(report.times.firstStopResultAt).not.toBeNull();
  });

  it('applies a duplicated answer once, and refuses a different second answer', async () => {
    const { request } = await sentRequest('ICBC', 5);
    const body = {
      outcome: 'stopped',
      stoppedFen: 10_000,
      onwardTransfers: [
        {
          account: { number: cardOf('CCB', 5) },
          amountFen: 30_000,
          transferredAt: h.clock.now().toISOString(),
        },
      ],
    };
    const url = `/api/bank/instructions/${request.id}/result`;
    const first = await post(c.icbc!, url, body, { 'idempotency-key': 'dup-1' });
    const again = await post(c.icbc!, url, body, { 'idempotency-key': 'dup-1' });
    const sameNewKey = await post(c.icbc!, url, body, { 'idempotency-key': 'dup-2' });
    expect([first.statusCode, again.statusCode, sameNewKey.statusCode]).toEqual([200, 200, 200]);
    expect(again.json()).toEqual(first.json());
    const children = (await queue(h, c.desk!, `?status=sent&reportId=${request.reportId}`)).filter(
      (r) => r.parentId === request.id,
    );
    expect(children).toHaveLength(1);
    const different = await post(
      c.icbc!,
      url,
      { ...body, stoppedFen: 20_000 },
      { 'idempotency-key': 'dup-1' },
    );
    expect(different.statusCode).toBe(409);
    const other = await post(
      c.icbc!,
      url,
      { outcome: 'failed', failureReason: 'account_closed', stoppedFen: 0, onwardTransfers: [] },
      { 'idempotency-key': 'dup-3' },
    );
    expect(other.statusCode).toBe(409);
  });

  it('refuses an invalid onward card number with its reason, changing nothing', async () => {
    const { request } = await sentRequest('ICBC', 6);
    const bad = cardOf('CCB', 6).slice(0, -1) + String((Number(cardOf('CCB', 6).slice(-1)) + 3) % 10);
    const res = await post(
      c.icbc!,
      `/api/bank/instructions/${request.id}/result`,
      {
        outcome: 'stopped',
        stoppedFen: 1,
        onwardTransfers: [
          { account: { number: bad }, amountFen: 5, transferredAt: h.clock.now().toISOString() },
        ],
      },
      { 'idempotency-key': 'bad-6' },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        details: [{ field: 'body.onwardTransfers.0.account.number', reason: 'card.luhn' }],
      },
    });
    expect(
      (
        await h.app.inject({
          method: 'GET',
          url: `/api/stop-payments/${request.id}`,
          headers: { cookie: c.desk! },
        })
      ).json(),
    ).toMatchObject({ status: 'sent', result: null });
  });

  it('refuses an onward transfer dated ahead of now (beyond clock skew), changing nothing', async () => {
    const { request } = await sentRequest('ICBC', 9);
    const url = `/api/bank/instructions/${request.id}/result`;
    const rows = async () =>
      (
        await sql<{ s: string; i: string; o: string; t: string }>`
          select (select count(*) from stop_payment) as s, (select count(*) from bank_instruction) as i,
            (select count(*) from outbox) as o, (select count(*) from onward_transfer) as t`.execute(
          database().db,
        )
      ).rows[0];
    const answer = (transferredAt: string, key: string) =>
      post(
        c.icbc!,
        url,
        {
          outcome: 'stopped',
          stoppedFen: 1,
          onwardTransfers: [{ account: { number: cardOf('CCB', 9) }, amountFen: 1, transferredAt }],
        },
        { 'idempotency-key': key },
      );
    const before = await rows();
    const far = await answer('9999-12-31T23:59:59Z', 'future-9a');
    expect(far.statusCode).toBe(400);
    expect(far.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        details: [{ field: 'body.onwardTransfers.0.transferredAt', reason: 'in_future' }],
      },
    });
    const hourAhead = await answer(new Date(h.clock.now().getTime() + 3_600_000).toISOString(), 'future-9b');
    expect(hourAhead.statusCode).toBe(400);
    expect(await rows()).toEqual(before);
    // Within the clock skew allowed for `stoppedAt` too, it is accepted.
    const skewed = await answer(new Date(h.clock.now().getTime() + 4 * 60_000).toISOString(), 'future-9c');
    expect(skewed.statusCode, skewed.body).toBe(200);
  });

  it('refuses to stop more than the amount involved, and a failure without a reason', async () => {
    const { request } = await sentRequest('ICBC', 7, 10_000);
    const url = `/api/bank/instructions/${request.id}/result`;
    const tooMuch = await post(
      c.icbc!,
      url,
      { outcome: 'stopped', stoppedFen: 10_001, onwardTransfers: [] },
      { 'idempotency-key': 'k7a' },
    );
    expect(tooMuch.json()).toMatchObject({
      error: { details: [{ field: 'body.stoppedFen', reason: 'too_large' }] },
    });
    const noReason = await post(
      c.icbc!,
      url,
      { outcome: 'failed', stoppedFen: 0, onwardTransfers: [] },
      { 'idempotency-key': 'k7b' },
    );
    expect(noReason.json()).toMatchObject({
      error: { details: [{ field: 'body.failureReason', reason: 'required' }] },
    });
  });

  it("verifies a bank system's signed answer and refuses a bad or missing signature", async () => {
    const bankKeys = generateKeyPairSync('ed25519');
    const created = await post(c.root!, '/api/integrations/bank-keys', {
      name: 'ICBC gateway',
      bankCode: 'ICBC',
      publicKeyPem: bankKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    expect(created.statusCode).toBe(201);
    const apiKey = created.json<{ key: string }>().key;
    const { request } = await sentRequest('ICBC', 8);
    const body = {
      outcome: 'failed',
      failureReason: 'nothing_to_stop',
      balanceFen: 0,
      stoppedFen: 0,
      onwardTransfers: [],
    };
    const signed = (key: string, b: object) =>
      edSign(
        null,
        Buffer.from(canonicalJson({ instructionId: request.id, idempotencyKey: key, answer: b })),
        bankKeys.privateKey,
      ).toString('base64');
    const answer = (key: string, signature: string | undefined, b: object = body) =>
      h.app.inject({
        method: 'POST',
        url: `/api/bank/instructions/${request.id}/result`,
        headers: {
          authorization: `Bearer ${apiKey}`,
          'idempotency-key': key,
          ...(signature ? { 'x-fanzha-signature': signature } : {}),
        },
        payload: b,
      });
    expect((await answer('s1', undefined)).statusCode).toBe(401);
    expect((await answer('s1', signed('s1', { ...body, balanceFen: 5 }))).statusCode).toBe(401);
    expect((await answer('s1', signed('other-key', body))).statusCode).toBe(401);
    const ok = await answer('s1', signed('s1', body));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'failed',
      result: { failureReason: 'nothing_to_stop', answeredBy: 'key:ICBC gateway' },
    });
    const pulled = await h.app.inject({
      method: 'GET',
      url: '/api/bank/instructions?status=failed',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(pulled.json<InstructionList>().instructions.map((i) => i.instruction.bankCode)).toEqual(
      expect.arrayContaining(['ICBC']),
    );
    expect(new Set(pulled.json<InstructionList>().instructions.map((i) => i.instruction.bankCode))).toEqual(
      new Set(['ICBC']),
    );
  });
});
