import { generateKeyPairSync, sign as edSign } from 'node:crypto';
import type {
  StopPaymentList,
  InstructionList,
  ReportView,
  SigningKey,
  StopPaymentView,
} from '@fanzha/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { canonicalJson } from '../../platform/crypto/canonical-json';
import { verifySignature } from '../../platform/crypto/signer';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, draft, queue, reportWith, saveDraft } from '../../../testing/core-loop-fixtures';

describeEachStorage('the core loop: intake → desk → bank → next layer', (database) => {
  let h: Harness;
  const c: Record<string, string> = {};
  beforeAll(async () => {
    h = await createHarness(database());
    const users = [
      ['taker', 'call_taker', {}],
      ['desk', 'stop_payment_officer', {}],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
      ['ccb', 'bank_liaison', { bankCode: 'CCB' }],
      ['abc', 'bank_liaison', { bankCode: 'ABC' }],
      ['root', 'admin', {}],
    ] as const;
    for (const [username, role, scope] of users)
      await h.createUser({ username, displayName: username, role, ...scope });
    for (const [username] of users) c[username] = await h.signIn(username);
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

  it('pushes a typed account to the desk before submission, follows corrections, withdraws removals', async () => {
    const wrong = cardOf('ICBC', 1).slice(0, -1) + String((Number(cardOf('ICBC', 1).slice(-1)) + 1) % 10);
    const id = crypto.randomUUID();
    const first = await saveDraft(
      h,
      c.taker!,
      id,
      draft({ at: h.clock.now(), transfers: [{ number: wrong, amountFen: 100_000 }] }),
    );
    expect(first.statusCode).toBe(200);
    const v1 = first.json<ReportView>();
    expect(v1.problems).toContainEqual(
      expect.objectContaining({ field: 'body.transfers.0.toAccount.number', reason: 'card.luhn' }),
    );
    expect(v1.transfers[0]!.stopPaymentId).toBeNull();
    expect(await queue(h, c.desk!, `?reportId=${id}`)).toEqual([]);

    const right = cardOf('ICBC', 1);
    const v2 = (
      await saveDraft(
        h,
        c.taker!,
        id,
        draft({ version: v1.version, at: h.clock.now(), transfers: [{ number: right, amountFen: 100_000 }] }),
      )
    ).json<ReportView>();
    expect(v2.transfers[0]!.stopPaymentId).not.toBeNull();
    expect(v2.transfers[0]!.toAccount.bankCode).toBe('ICBC');
    expect(v2.times.firstAccountPushedAt).not.toBeNull();
    const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
    expect(pending).toMatchObject({
      status: 'pending',
      layer: 1,
      amountFen: 100_000,
      account: { number: right, bankCode: 'ICBC' },
    });

    const v3 = (
      await saveDraft(
        h,
        c.taker!,
        id,
        draft({
          version: v2.version,
          at: h.clock.now(),
          transfers: [{ number: right, amountFen: 250_000, name: '李四' }],
        }),
      )
    ).json<ReportView>();
    expect((await queue(h, c.desk!, `?reportId=${id}`))[0]).toMatchObject({
      id: pending!.id,
      amountFen: 250_000,
      account: { name: '李四' },
    });

    await saveDraft(h, c.taker!, id, draft({ version: v3.version, at: h.clock.now(), transfers: [] }));
    expect(await queue(h, c.desk!, `?reportId=${id}&status=withdrawn`)).toMatchObject([
      { id: pending!.id, status: 'withdrawn' },
    ]);
  });

  it('pages the desk queue to the end, newest first, without gaps or repeats', async () => {
    const numbers = [1, 2, 3, 4, 5].map((i) => cardOf('CCB', 6100 + i));
    const { id } = await reportWith(
      h,
      c.taker!,
      numbers.map((number) => ({ number, amountFen: 10_000 })),
    );
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    for (;;) {
      const url: string = `/api/stop-payments?reportId=${id}&limit=2${before ? `&before=${before}` : ''}`;
      const page: StopPaymentList = (
        await h.app.inject({ method: 'GET', url, headers: { cookie: c.desk! } })
      ).json();
      seen.push(...page.requests.map((r) => r.account.number));
      pages++;
      if (!page.hasMore) {
        expect(page.nextCursor).toBeNull();
        break;
      }
      before = page.nextCursor;
    }
    expect(pages).toBe(3);
    expect([...seen].sort()).toEqual([...numbers].sort());
  });

  it('refuses a stale draft version', async () => {
    const { id, report } = await reportWith(h, c.taker!, []);
    const stale = await saveDraft(
      h,
      c.taker!,
      id,
      draft({ version: report.version - 1, at: h.clock.now(), transfers: [] }),
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'conflict' } });
  });

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
    expect(verifySignature(key.publicKeyPem, mine.instruction, mine.signature)).toBe(true);
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

  it('masks the victim for the desk, shows it to the call-taker, and audits an unmasking', async () => {
    const { id } = await reportWith(h, c.taker!, [{ number: cardOf('ICBC', 9), amountFen: 1000 }], {
      complete: true,
    });
    const mine = (
      await h.app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: { cookie: c.taker! } })
    ).json<ReportView>();
    expect(mine).toMatchObject({ isMasked: false, victim: { name: '张三', phone: '13812345678' } });
    const desk = (
      await h.app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: { cookie: c.desk! } })
    ).json<ReportView>();
    expect(desk).toMatchObject({ isMasked: true, victim: { name: '张*', phone: '138****5678' } });
    const unmasked = await post(c.desk!, `/api/reports/${id}/unmask`, {
      reason: 'call back the victim about the card',
    });
    expect(unmasked.json()).toMatchObject({ isMasked: false, victim: { name: '张三' } });
    const ccb = await h.app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: { cookie: c.ccb! } });
    expect(ccb.statusCode).toBe(403);
  });

  it('submits only a complete report, naming every problem otherwise', async () => {
    const { id, report } = await reportWith(h, c.taker!, [{ number: cardOf('ICBC', 10), amountFen: 1000 }]);
    const refused = await post(c.taker!, `/api/reports/${id}/submit`, { version: report.version });
    expect(refused.statusCode).toBe(400);
    const fields = refused
      .json<{ error: { details: Array<{ field: string }> } }>()
      .error.details.map((d) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'body.victim.name',
        'body.victim.phone',
        'body.victim.countyCode',
        'body.fraudType',
      ]),
    );
    const complete = await saveDraft(
      h,
      c.taker!,
      id,
      draft({
        version: report.version,
        at: h.clock.now(),
        transfers: [{ number: cardOf('ICBC', 10), amountFen: 1000 }],
        complete: true,
      }),
    );
    const accepted = await post(c.taker!, `/api/reports/${id}/submit`, {
      version: complete.json<ReportView>().version,
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'routed', owningCountyCode: '520102', problems: [] });
  });

  it('registers a whole report in one request, once, even when the request is retried', async () => {
    const id = crypto.randomUUID();
    const body = {
      id,
      ...draft({
        at: h.clock.now(),
        transfers: [{ number: cardOf('ICBC', 11), amountFen: 7000 }],
        complete: true,
      }),
    } as Record<string, unknown>;
    delete body.version;
    const first = await post(c.taker!, '/api/reports', body);
    expect(first.statusCode).toBe(201);
    const again = await post(c.taker!, '/api/reports', body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json<object>(), isNew: false });
    const report = (
      await h.app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: { cookie: c.taker! } })
    ).json<ReportView>();
    expect(report).toMatchObject({ status: 'routed', problems: [] });
    expect(await queue(h, c.desk!, `?reportId=${id}`)).toHaveLength(1);
  });

  it('refuses a whole batch, naming each problem with its report, when one report is incomplete', async () => {
    const good = {
      id: crypto.randomUUID(),
      ...draft({
        at: h.clock.now(),
        transfers: [{ number: cardOf('ICBC', 12), amountFen: 7000 }],
        complete: true,
      }),
    };
    const bad = {
      id: crypto.randomUUID(),
      ...draft({ at: h.clock.now(), transfers: [{ number: '6222', amountFen: 7000 }] }),
    };
    const res = await post(c.taker!, '/api/reports/batch', {
      reports: [good, bad].map(({ version: _v, ...r }) => r),
    });
    expect(res.statusCode).toBe(400);
    const fields = res
      .json<{ error: { details: Array<{ field: string }> } }>()
      .error.details.map((d) => d.field);
    expect(fields).toContain('body.reports.1.transfers.0.toAccount.number');
    expect(fields.every((f) => f.startsWith('body.reports.1.'))).toBe(true);
    expect(
      (await h.app.inject({ method: 'GET', url: `/api/reports/${good.id}`, headers: { cookie: c.taker! } }))
        .statusCode,
    ).toBe(404);
  });
});
