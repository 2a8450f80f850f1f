import { generateKeyPairSync, randomUUID, sign as edSign } from 'node:crypto';
import type { ErrorBody, SignedInstruction, SigningKey, StopPaymentView } from '@fanzha/contracts';
import { withIdCheckChar } from '@fanzha/domain';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { canonicalJson } from '../../platform/crypto/canonical-json';
import { createFieldKeys, openFieldKeys, withFieldKeys } from '../../platform/crypto/field-cipher';
import { verifySignature } from '../../platform/crypto/signer';
import type { Harness } from '../../../testing/app-harness';
import { bankProtocolKit, NANMING } from '../../../testing/bank-protocol-kit';
import { cardOf, queue, reportWith } from '../../../testing/core-loop-fixtures';
import type { LegalTimers } from '../legal-timers/index';

const HOUR = 3_600_000;

/**
 * The bank protocol as a bank's integrator meets it: every measure is a signed instruction in its queue,
 * the centre's record moves on the bank's confirmation, one legal deadline, strict answers.
 */
describeEachStorage('the bank protocol', (database) => {
  const kit = bankProtocolKit(database);
  const { c, jump, post, get, view, item, feed, confirm, now, details, counts, sent, frozen, decide } = kit;
  let h: Harness;
  let timers: LegalTimers;
  beforeAll(() => {
    h = kit.h;
    timers = h.app.services.legalTimers;
  });

  it('refuses misspelt and incomplete answers, naming each field, and then takes the correct one', async () => {
    const { request } = await sent();
    const url = `/api/bank/instructions/${request.id}/result`;
    const before = await counts();
    const misspelt = await post(
      'icbc',
      url,
      { outcome: 'stopped', stopped_fen: 3_000_000, onward_transfers: [] },
      { 'idempotency-key': 'spelt' },
    );
    expect(misspelt.statusCode).toBe(400);
    expect(details(misspelt).map((d) => [d.field, d.reason])).toEqual(
      expect.arrayContaining([
        ['body.stopped_fen', 'unrecognized_keys'],
        ['body.onward_transfers', 'unrecognized_keys'],
      ]),
    );
    const bare = await post('icbc', url, { outcome: 'stopped' }, { 'idempotency-key': 'bare' });
    expect(bare.statusCode).toBe(400);
    expect(details(bare).map((d) => d.field)).toEqual(
      expect.arrayContaining(['body.stoppedFen', 'body.onwardTransfers']),
    );
    const nestedTypo = await post(
      'icbc',
      url,
      {
        outcome: 'stopped',
        stoppedFen: 1,
        onwardTransfers: [
          { account: { number: cardOf('CCB', 1), bank_code: 'CCB' }, amountFen: 5, transferredAt: now() },
        ],
      },
      { 'idempotency-key': 'nested' },
    );
    expect(details(nestedTypo)).toContainEqual(
      expect.objectContaining({
        field: 'body.onwardTransfers.0.account.bank_code',
        reason: 'unrecognized_keys',
      }),
    );
    expect(await counts()).toEqual(before);
    expect((await view(request.id)).status).toBe('sent');

    const right = await post(
      'icbc',
      url,
      { outcome: 'stopped', stoppedFen: 3_000_000, balanceFen: 3_000_000, onwardTransfers: [] },
      { 'idempotency-key': 'right' },
    );
    expect(right.statusCode, right.body).toBe(200);
    expect(right.json<StopPaymentView>().result?.stoppedFen).toBe(3_000_000);
  });

  it('refuses to stop more than the balance reported, and "other" without its note', async () => {
    const { request } = await sent();
    const url = `/api/bank/instructions/${request.id}/result`;
    const above = await post(
      'icbc',
      url,
      { outcome: 'stopped', stoppedFen: 2_000_001, balanceFen: 2_000_000, onwardTransfers: [] },
      { 'idempotency-key': 'above' },
    );
    expect(details(above)).toContainEqual(
      expect.objectContaining({ field: 'body.stoppedFen', reason: 'above_balance' }),
    );
    const other = await post(
      'icbc',
      url,
      { outcome: 'failed', stoppedFen: 0, failureReason: 'other', onwardTransfers: [] },
      { 'idempotency-key': 'other' },
    );
    expect(details(other)).toContainEqual(
      expect.objectContaining({ field: 'body.note', reason: 'required' }),
    );
    expect((await view(request.id)).status).toBe('sent');
  });

  it('counts the 48 hours from the stop the bank confirms, the same in the queue, the request and the lapse notice', async () => {
    const { request } = await sent();
    const signed = await item('icbc', request.id);
    expect(signed.instruction).toMatchObject({
      type: 'emergency_stop_payment',
      version: 2,
      lapsesAfterHours: 48,
    });
    expect(signed.instruction).not.toHaveProperty('expiresAt');
    expect(signed.deadlineAt).toBeNull();
    // A night-time answer: the bank stopped the account at once, and answers three hours later.
    const stoppedAt = new Date(h.clock.now().getTime() + 60_000);
    await jump(new Date(h.clock.now().getTime() + 3 * HOUR));
    const answered = (
      await post(
        'icbc',
        `/api/bank/instructions/${request.id}/result`,
        {
          outcome: 'stopped',
          stoppedFen: 1_000_000,
          stoppedAt: stoppedAt.toISOString(),
          onwardTransfers: [],
        },
        { 'idempotency-key': 'night' },
      )
    ).json<StopPaymentView>();
    const deadline = new Date(stoppedAt.getTime() + 48 * HOUR).toISOString();
    expect(answered).toMatchObject({ stoppedAt: stoppedAt.toISOString(), expiresAt: deadline });
    expect(await item('icbc', request.id)).toMatchObject({
      status: 'stopped',
      deadlineAt: deadline,
      answer: { outcome: 'stopped', amountFen: 1_000_000, executedAt: stoppedAt.toISOString() },
    });
    // A stop time ahead of the centre's clock, or before the instruction, is refused.
    const { request: other } = await sent();
    const future = await post(
      'icbc',
      `/api/bank/instructions/${other.id}/result`,
      {
        outcome: 'stopped',
        stoppedFen: 1,
        stoppedAt: new Date(h.clock.now().getTime() + HOUR).toISOString(),
        onwardTransfers: [],
      },
      { 'idempotency-key': 'future' },
    );
    expect(details(future)).toContainEqual(
      expect.objectContaining({ field: 'body.stoppedAt', reason: 'in_future' }),
    );

    // At the deadline the bank is told, in a signed notice, and confirms it lifted the stop.
    await jump(new Date(deadline));
    await timers.sweepOnce();
    const notices = (await feed('icbc', '?kind=stop_lapsed')).instructions.filter(
      (i) => i.instruction.type === 'stop_lapsed' && i.instruction.stopInstructionId === request.id,
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]!.instruction).toMatchObject({ stoppedAt: stoppedAt.toISOString(), lapsedAt: deadline });
    const key = (await get('icbc', '/api/bank/signing-key')).json<SigningKey>();
    expect(verifySignature(key.publicKeyPem, notices[0]!.instruction, notices[0]!.signature)).toBe(true);
    const noticeId = notices[0]!.instruction.instructionId;
    const failed = await confirm('icbc', noticeId, { outcome: 'failed', failureReason: 'no_such_account' });
    expect(failed.statusCode).toBe(409);
    const lifted = await confirm('icbc', noticeId, { outcome: 'lifted', executedAt: now() });
    expect(lifted.json<SignedInstruction>()).toMatchObject({ status: 'lifted' });
    await timers.sweepOnce();
    expect(
      (await feed('icbc', '?kind=stop_lapsed&status=all')).instructions.filter(
        (i) => i.instruction.type === 'stop_lapsed' && i.instruction.stopInstructionId === request.id,
      ),
    ).toHaveLength(1);
  });

  it('serves each bank a change feed: stable order, cursor paging, updatedSince and kinds, and nothing missed', async () => {
    // A bank of its own for this test, so its feed holds only what happens here.
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { id } = await reportWith(h, c.taker!, [
        { number: cardOf('CCB', 8800 + i), amountFen: 10_000 + i },
      ]);
      const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
      await post('desk', `/api/stop-payments/${pending!.id}/send`, { legalDocNumber: 'GZ-ZF-0200' });
      mine.push(pending!.id);
    }
    const all = await feed('ccb', '?status=all&limit=500');
    const ids = all.instructions.map((i) => i.instruction.instructionId);
    expect(ids.slice(-5)).toEqual(mine);
    const seqs = all.instructions.map((i) => Number(i.sequence));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    // Page by two from the start of these five.
    const start = all.instructions.at(-6)?.sequence;
    const pages: string[] = [];
    let after = start;
    for (;;) {
      const page = await feed('ccb', `?status=all&limit=2${after ? `&after=${after}` : ''}`);
      pages.push(...page.instructions.map((i) => i.instruction.instructionId));
      after = page.nextCursor ?? after;
      if (!page.hasMore) break;
    }
    expect(pages).toEqual(mine);
    // An answer moves the instruction to the end of the feed: a poller after the cursor sees just that change.
    const cursor = after!;
    expect((await feed('ccb', `?status=all&after=${cursor}`)).instructions).toEqual([]);
    h.clock.advance(1000);
    const since = now();
    await post('ccb', `/api/bank/instructions/${mine[1]}/ack`);
    const changed = await feed('ccb', `?status=all&after=${cursor}`);
    expect(changed.instructions.map((i) => [i.instruction.instructionId, i.status])).toEqual([
      [mine[1], 'acknowledged'],
    ]);
    expect(
      (await feed('ccb', `?status=all&updatedSince=${encodeURIComponent(since)}`)).instructions.map(
        (i) => i.instruction.instructionId,
      ),
    ).toEqual([mine[1]]);
    expect((await feed('ccb', '?kind=freeze')).instructions.every((i) => i.kind === 'freeze')).toBe(true);
    const badKind = await get('ccb', '/api/bank/instructions?kind=thaw');
    expect(details(badKind)).toContainEqual(
      expect.objectContaining({ field: 'query.kind', reason: 'unknown_kind' }),
    );
    const badQuery = await get('ccb', '/api/bank/instructions?cursor=5');
    expect(details(badQuery)).toContainEqual(
      expect.objectContaining({ field: 'query.cursor', reason: 'unrecognized_keys' }),
    );
  });

  it('hands back any cursor it accepts exactly as sent, and takes back every cursor it hands out', async () => {
    // The highest cursor the query takes (18 digits), past 2^53: nothing after it, so it comes back as it went.
    const highest = '999999999999999999';
    for (const url of ['/api/bank/instructions?status=all', '/api/bank/returns?limit=5']) {
      const page = await get('icbc', `${url}&after=${highest}`);
      expect(page.statusCode, page.body).toBe(200);
      const { nextCursor } = page.json<{ nextCursor: string | null }>();
      expect(nextCursor).toBe(highest);
      const back = await get('icbc', `${url}&after=${nextCursor}`);
      expect(back.statusCode, back.body).toBe(200);
      expect(back.json<{ nextCursor: string | null }>().nextCursor).toBe(highest);
    }
  });

  it('refuses a failed answer to a protective hold’s release as a kind that cannot fail', async () => {
    // The release as the warnings module issues it for an episode (its own tests walk the whole hold).
    const keys = createFieldKeys(Buffer.alloc(32, 9));
    await openFieldKeys(database().db, keys, h.clock.now());
    const db = withFieldKeys(database().db, keys);
    const person = {
      phone: '+8613900000199',
      idNumber: withIdCheckChar('52010219600101199'),
      name: '王秀英',
      countyCode: NANMING,
    };
    await db.transaction().execute((trx) =>
      h.app.services.recordHits(trx, [
        {
          source: 'bank:ICBC',
          signalId: 'release-cannot-fail',
          signalKind: 'bank_transfer',
          at: now(),
          person,
          indicator: {
            id: 7,
            kind: 'account',
            value: '6222020200112233445',
            status: 'active',
            riskLevel: 'high',
            reportCount: 3,
            lossFen: 5_000_000,
            lastReportedAt: now(),
          },
          amountFen: 5_000_000,
          upstreamGrade: null,
        },
      ]),
    );
    const episode = await db
      .selectFrom('episode_warning')
      .select('episode_id')
      .where('signal_id', '=', 'release-cannot-fail')
      .executeTakeFirstOrThrow();
    const [release] = await db.transaction().execute((trx) =>
      h.app.services.bankInstructions.issue(
        trx,
        [
          {
            kind: 'protective_hold_release',
            bankCode: 'ICBC',
            account: null,
            episodeId: episode.episode_id,
            fields: { holdInstructionId: randomUUID(), releasedBy: 'desk', releasedAt: now() },
          },
        ],
        h.clock.now(),
      ),
    );
    await h.app.services.bankInstructions.afterCommit();
    const failed = await confirm('icbc', release!.id, {
      outcome: 'failed',
      failureReason: 'other',
      note: '系统',
    });
    expect(failed.statusCode).toBe(409);
    expect(failed.json<ErrorBody>().error).toMatchObject({
      code: 'conflict',
      message: 'A protective hold’s release cannot fail: confirm it as lifted',
      details: [{ field: 'body.outcome', reason: 'cannot_fail' }],
    });
    expect((await item('icbc', release!.id)).status).toBe('sent');
  });

  it('answers at two banks whose money went to each other run side by side without a deadlock', async () => {
    const pairs = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const ids = [] as string[];
        for (const bank of ['ICBC', 'CCB'] as const) {
          const { id } = await reportWith(h, c.taker!, [
            { number: cardOf(bank, 8900 + i), amountFen: 50_000 },
          ]);
          const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
          await post('desk', `/api/stop-payments/${pending!.id}/send`, { legalDocNumber: 'GZ-ZF-0300' });
          ids.push(pending!.id);
        }
        return ids as [string, string];
      }),
    );
    const answer = (who: 'icbc' | 'ccb', id: string, to: 'ICBC' | 'CCB', i: number) =>
      post(
        who,
        `/api/bank/instructions/${id}/result`,
        {
          outcome: 'stopped',
          stoppedFen: 10_000,
          onwardTransfers: [
            { account: { number: cardOf(to, 8950 + i) }, amountFen: 20_000, transferredAt: now() },
          ],
        },
        { 'idempotency-key': `cross-${id}` },
      );
    const results = await Promise.all(
      pairs.flatMap(([icbcStop, ccbStop], i) => [
        answer('icbc', icbcStop, 'CCB', i),
        answer('ccb', ccbStop, 'ICBC', i),
      ]),
    );
    expect(results.map((r) => r.statusCode)).toEqual(results.map(() => 200));
  });

  it("verifies a bank system's signed confirmation and refuses a bad or missing signature", async () => {
    const bankKeys = generateKeyPairSync('ed25519');
    const created = await post('root', '/api/integrations/bank-keys', {
      name: 'ICBC measures gateway',
      bankCode: 'ICBC',
      publicKeyPem: bankKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    const apiKey = created.json<{ key: string }>().key;
    const { freezeId } = await frozen(400_000);
    const release = await decide(freezeId, { kind: 'release', amountFen: 400_000 });
    const body = { outcome: 'released', amountFen: 400_000, executedAt: now() };
    const send = (key: string, signature?: string) =>
      h.app.inject({
        method: 'POST',
        url: `/api/bank/instructions/${release.id}/confirm`,
        headers: {
          authorization: `Bearer ${apiKey}`,
          'idempotency-key': key,
          ...(signature ? { 'x-fanzha-signature': signature } : {}),
        },
        payload: body,
      });
    const signFor = (key: string, b: object) =>
      edSign(
        null,
        Buffer.from(canonicalJson({ instructionId: release.id, idempotencyKey: key, confirmation: b })),
        bankKeys.privateKey,
      ).toString('base64');
    expect((await send('s1')).statusCode).toBe(401);
    expect((await send('s1', signFor('s1', { ...body, amountFen: 1 }))).statusCode).toBe(401);
    const ok = await send('s1', signFor('s1', body));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<SignedInstruction>()).toMatchObject({
      status: 'released',
      answer: { answeredBy: 'key:ICBC measures gateway' },
    });
  });
});
