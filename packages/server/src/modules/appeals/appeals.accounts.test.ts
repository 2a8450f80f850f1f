import type {
  AlertList,
  AppealDetail,
  AppealList,
  AppealReceipt,
  AppealView,
  EpisodeList,
  EpisodeView,
  ErrorBody,
  FundDecisionView,
  InstructionList,
  SigningKey,
  StopPaymentView,
} from '@fanzha/contracts';
import { withIdCheckChar, type IndicatorSnapshot } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DB } from '../../db/schema';
import { createFieldKeys, openFieldKeys, withFieldKeys } from '../../platform/crypto/field-cipher';
import { verifySignature } from '../../platform/crypto/signer';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, queue, reportWith } from '../../../testing/core-loop-fixtures';
import { committedEvents } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { applyAppealEvents } from './index';

const NANMING = '520102';
const MINUTE = 60_000;

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

/**
 * Appeals against a freeze (冻结) and a protective hold (保护性止付): a grant releases through the freeze's own
 * release (proposed in the name of a reviewer who recommended the grant, approved in the decider's, one signed
 * instruction to the bank; against a `deny` recommendation proposed by the decider and left for a second
 * approver) or lifts the hold early; each effect is recorded with its state and a failed one is retried by the sweep. The
 * appellant may withdraw before a decision.
 */
describeEachStorage('appeals against a freeze or a hold', (database) => {
  let h: Harness;
  let db: Kysely<DB>;
  const c: Record<string, string> = {};
  let seed = 0;
  const cast = [
    ['taker', 'call_taker', {}],
    ['desk', 'stop_payment_officer', {}],
    ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
    ['nanming', 'county_police', { countyCode: NANMING }],
    ['persuader1', 'persuader', { countyCode: NANMING }],
    ['persuader2', 'persuader', { countyCode: NANMING }],
    ['ana', 'analyst', {}],
    ['sup', 'supervisor', {}],
    ['sup2', 'supervisor', {}],
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

  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });
  const post = (who: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, ...headers }, payload });
  const publicPost = (url: string, payload: object) => h.app.inject({ method: 'POST', url, payload });

  const filing = (subjectKind: string, subjectValue: string, extra: object = {}) => ({
    subjectKind,
    subjectValue,
    bankCode: 'ICBC',
    name: '李四',
    contactPhone: '13912340000',
    statement: '该账户是我的工资账户，资金来源合法。',
    ...extra,
  });
  async function fileAppeal(body: object): Promise<{ reference: string; id: string }> {
    const filed = await publicPost('/api/public/appeals', body);
    expect(filed.statusCode, filed.body).toBe(201);
    const { reference } = filed.json<AppealReceipt>();
    const list = (await get('ana', '/api/appeals?status=open')).json<AppealList>();
    return { reference, id: list.items.find((a) => a.reference === reference)!.id };
  }
  /** Reviewed by the analyst, granted by the supervisor. */
  async function granted(id: string): Promise<AppealView> {
    expect(
      (await post('ana', `/api/appeals/${id}/review`, { recommendation: 'grant', reason: '核实' }))
        .statusCode,
    ).toBe(200);
    const decided = await post('sup', `/api/appeals/${id}/decision`, {
      decision: 'grant',
      reason: '同意解除',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    return decided.json<AppealView>();
  }

  /** An ICBC account stopped by its bank and frozen by Nanming's decision; confirmed by the bank unless not. */
  async function frozenAccount(isConfirmed = true) {
    const number = cardOf('ICBC', 9500 + ++seed);
    const { id, report } = await reportWith(h, c.taker!, [{ number, amountFen: 5_000_000 }], {
      complete: true,
      countyCode: NANMING,
    });
    expect((await post('taker', `/api/reports/${id}/submit`, { version: report.version })).statusCode).toBe(
      200,
    );
    const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
    await post('desk', `/api/stop-payments/${pending!.id}/send`, { legalDocNumber: 'GZ-ZF-0001' });
    const stopped = await post(
      'icbc',
      `/api/bank/instructions/${pending!.id}/result`,
      { outcome: 'stopped', stoppedFen: 3_000_000, balanceFen: 3_000_000, onwardTransfers: [] },
      { 'idempotency-key': `k-${pending!.id}` },
    );
    expect(stopped.statusCode, stopped.body).toBe(200);
    const requested = (
      await post('nanming', `/api/stop-payments/${pending!.id}/freeze`, {
        decisionNumber: '筑公(南)冻字〔2026〕009号',
        amountFen: 3_000_000,
        reason: '涉嫌电信网络诈骗，依法冻结涉案资金',
        appealChannel: '贵阳市公安局南明分局法制大队',
      })
    ).json<StopPaymentView>();
    const confirm = () =>
      post(
        'icbc',
        `/api/bank/instructions/${requested.freeze!.instructionId}/confirm`,
        { outcome: 'frozen', amountFen: 3_000_000, executedAt: h.clock.now().toISOString() },
        { 'idempotency-key': `c-${requested.freeze!.instructionId}` },
      );
    if (isConfirmed) expect((await confirm()).statusCode).toBe(200);
    return { number, stopPaymentId: pending!.id, freezeId: requested.freeze!.id, confirm };
  }

  const releasesOf = (stopPaymentId: string) =>
    db
      .selectFrom('fund_decision as d')
      .innerJoin('account_freeze as f', 'f.id', 'd.freeze_id')
      .leftJoin('bank_instruction as i', 'i.id', 'd.id')
      .select([
        'd.kind',
        'd.status',
        'd.proposed_by',
        'd.decided_by',
        'd.decision_number',
        'i.kind as instruction',
      ])
      .where('f.stop_payment_id', '=', stopPaymentId)
      .execute();
  /**
   * The appeals consumer, driven by hand over the accounts' changes committed since it last looked (`again`:
   * every one from the start, as a redelivery would). Returns how many effects moved.
   */
  let heardUpTo = 0;
  async function followReleases(again = false): Promise<number> {
    const rows = await committedEvents(database().db, {
      after: again ? 0 : heardUpTo,
      subjects: ['stop-payment.changed'],
    });
    heardUpTo = Math.max(heardUpTo, ...rows.map((r) => r.id));
    return applyAppealEvents(
      { db, clock: h.clock },
      rows.map((r) => r.event),
    );
  }
  const userId = async (username: string) =>
    (await db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirstOrThrow())
      .id;

  it('an account change that names no appeal’s release costs the appeals consumer nothing, not even a mark', async () => {
    const marks = async () =>
      (
        await db
          .selectFrom('processed_event')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('consumer', '=', 'appeals')
          .executeTakeFirstOrThrow()
      ).n;
    await followReleases();
    const before = Number(await marks());
    await frozenAccount();
    expect(await followReleases()).toBe(0);
    expect(Number(await marks())).toBe(before);
  });

  it('a granted freeze appeal sends the bank the release, proposed by the reviewer who recommended it and approved by the decider', async () => {
    const { number, stopPaymentId, freezeId } = await frozenAccount();
    const { id, reference } = await fileAppeal(filing('freeze', number.replace(/(\d{4})/g, '$1 ')));
    const detail = (await get('ana', `/api/appeals/${id}`)).json<AppealDetail>();
    expect(detail.appeal).toMatchObject({
      subjectKind: 'freeze',
      subjectValue: number,
      subjectBankCode: 'ICBC',
    });
    expect(detail.subject.freezes).toEqual([
      expect.objectContaining({ id: freezeId, status: 'active', amountFen: 3_000_000 }),
    ]);

    const view = await granted(id);
    expect(view.effectStates).toEqual([
      expect.objectContaining({
        kind: 'freeze',
        targetId: freezeId,
        status: 'done',
        result: 'release_approved',
        attempts: 1,
      }),
    ]);
    expect(view.effects).toEqual([`freeze:${freezeId}:release_approved`]);
    expect(await releasesOf(stopPaymentId)).toEqual([
      {
        kind: 'release',
        status: 'approved',
        proposed_by: await userId('ana'),
        decided_by: await userId('sup'),
        decision_number: `申诉 ${reference}`,
        instruction: 'release',
      },
    ]);
    // The bank learns it as any release: the signed instruction in its feed, confirmed as usual.
    const [release] = await db
      .selectFrom('fund_decision')
      .select('id')
      .where('decision_number', '=', `申诉 ${reference}`)
      .execute();
    const confirmed = await post(
      'icbc',
      `/api/bank/instructions/${release!.id}/confirm`,
      { outcome: 'released', amountFen: 3_000_000, executedAt: h.clock.now().toISOString() },
      { 'idempotency-key': `r-${release!.id}` },
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect((await get('desk', `/api/stop-payments/${stopPaymentId}`)).json<StopPaymentView>()).toMatchObject({
      legalState: 'released',
    });
    const audited = await db
      .selectFrom('audit_entry')
      .select(['action', 'username'])
      .where('action', 'in', ['fund-decision.propose', 'fund-decision.approve', 'appeal.effect'])
      .where('object_id', 'in', [id, release!.id])
      .execute();
    expect(audited.map((a) => `${a.action}:${a.username}`).sort()).toEqual([
      'appeal.effect:sup',
      'fund-decision.approve:sup',
      'fund-decision.propose:ana',
    ]);
  });

  it('granted against a deny recommendation, the release is proposed by the decider and awaits a second approver', async () => {
    const { number, stopPaymentId, freezeId } = await frozenAccount();
    const { id, reference } = await fileAppeal(filing('freeze', number));
    expect(
      (await post('ana', `/api/appeals/${id}/review`, { recommendation: 'deny', reason: '证据不足' }))
        .statusCode,
    ).toBe(200);
    const decided = await post('sup', `/api/appeals/${id}/decision`, {
      decision: 'grant',
      reason: '同意解除',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const view = decided.json<AppealView>();
    // The appeal's part is done: a proposal waiting for approval is no failure.
    expect(view.effectStates).toEqual([
      expect.objectContaining({
        kind: 'freeze',
        targetId: freezeId,
        status: 'done',
        result: 'release_proposed',
        attempts: 1,
        lastError: null,
        nextAttemptAt: null,
      }),
    ]);
    expect(view.effects).toEqual([`freeze:${freezeId}:release_proposed`]);
    // Proposed in the decider's name, nothing approved, nothing sent to the bank.
    const proposal = {
      kind: 'release',
      status: 'proposed',
      proposed_by: await userId('sup'),
      decided_by: null,
      decision_number: `申诉 ${reference}`,
      instruction: null,
    };
    expect(await releasesOf(stopPaymentId)).toEqual([proposal]);
    // Not retried by the sweep, even hours later.
    const later = new Date(h.clock.now().getTime() + 3 * 60 * MINUTE);
    expect(await h.app.services.appeals.retryEffectsOnce(later)).toBe(0);
    expect(await releasesOf(stopPaymentId)).toEqual([proposal]);

    // It waits in the ordinary queue of releases; the decider cannot approve their own proposal.
    const queued = (await get('sup2', '/api/fund-decisions?status=proposed')).json<{
      decisions: FundDecisionView[];
    }>().decisions;
    const release = queued.find((d) => d.decisionNumber === `申诉 ${reference}`)!;
    expect(release).toMatchObject({ kind: 'release', status: 'proposed', amountFen: 3_000_000 });
    const self = await post('sup', `/api/fund-decisions/${release.id}/approve`);
    expect(self.statusCode).toBe(403);
    expect(self.json<ErrorBody>().error.details?.[0]?.reason).toBe('self_approval');
    // Another supervisor approves it through the ordinary route: the bank gets the signed release.
    const approved = await post('sup2', `/api/fund-decisions/${release.id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(await releasesOf(stopPaymentId)).toEqual([
      { ...proposal, status: 'approved', decided_by: await userId('sup2'), instruction: 'release' },
    ]);
    const key = (await h.app.inject({ method: 'GET', url: '/api/bank/signing-key' })).json<SigningKey>();
    const sent = (await get('icbc', '/api/bank/instructions'))
      .json<InstructionList>()
      .instructions.find((i) => i.instruction.instructionId === release.id)!;
    expect(sent.instruction).toMatchObject({ type: 'release', amountFen: 3_000_000 });
    expect(verifySignature(key.publicKeyPem, sent.instruction, sent.signature, sent.algorithm)).toBe(true);
    const audited = await db
      .selectFrom('audit_entry')
      .select(['action', 'username'])
      .where('action', 'in', ['fund-decision.propose', 'fund-decision.approve', 'appeal.effect'])
      .where('object_id', 'in', [id, release.id])
      .where('result', '=', 'success')
      .execute();
    expect(audited.map((a) => `${a.action}:${a.username}`).sort()).toEqual([
      'appeal.effect:sup',
      'fund-decision.approve:sup2',
      'fund-decision.propose:sup',
    ]);
    // The sweep has nothing to do; the appeals consumer follows the approval the freezes module told (the
    // account's `stop-payment.changed`, with its decisions): the effect is now `released`.
    expect(await h.app.services.appeals.retryEffectsOnce(later)).toBe(0);
    expect(await followReleases()).toBe(1);
    const followed = (await get('ana', `/api/appeals/${id}`)).json<AppealDetail>().appeal;
    expect(followed.effectStates).toEqual([
      expect.objectContaining({ status: 'done', result: 'released', attempts: 1 }),
    ]);
    expect(followed.effects).toEqual([`freeze:${freezeId}:released`]);
    expect(
      await db
        .selectFrom('audit_entry')
        .select(['username', 'details'])
        .where('action', '=', 'appeal.effect')
        .where('object_id', '=', id)
        .where('username', 'is', null)
        .execute(),
    ).toMatchObject([
      {
        username: null,
        details: {
          reference,
          from: 'release_proposed',
          result: 'released',
          fundDecisionId: release.id,
          origin: 'appeals-consumer',
        },
      },
    ]);
    // Heard again (a redelivery), or told again by a later change of the account: nothing moves twice.
    expect(await followReleases()).toBe(0);
    expect(await followReleases(true)).toBe(0);
    // The bank confirms the release: still `released`.
    const confirmed = await post(
      'icbc',
      `/api/bank/instructions/${release.id}/confirm`,
      { outcome: 'released', amountFen: 3_000_000, executedAt: h.clock.now().toISOString() },
      { 'idempotency-key': `c-${release.id}` },
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(await followReleases()).toBe(0);
    expect((await get('ana', `/api/appeals/${id}`)).json<AppealDetail>().appeal.effects).toEqual([
      `freeze:${freezeId}:released`,
    ]);
  });

  it('a release left for a second approver and rejected there leaves the appeal’s effect `kept`', async () => {
    const { number, stopPaymentId, freezeId } = await frozenAccount();
    const { id, reference } = await fileAppeal(filing('freeze', number));
    expect(
      (await post('ana', `/api/appeals/${id}/review`, { recommendation: 'deny', reason: '证据不足' }))
        .statusCode,
    ).toBe(200);
    const decided = await post('sup', `/api/appeals/${id}/decision`, { decision: 'grant', reason: '同意' });
    expect(decided.json<AppealView>().effects).toEqual([`freeze:${freezeId}:release_proposed`]);
    const release = (await get('sup2', '/api/fund-decisions?status=proposed'))
      .json<{ decisions: FundDecisionView[] }>()
      .decisions.find((d) => d.decisionNumber === `申诉 ${reference}`)!;
    // Nothing decided yet: the consumer leaves the effect as it is.
    expect(await followReleases()).toBe(0);
    const rejected = await post('sup2', `/api/fund-decisions/${release.id}/reject`, { reason: '另案处理' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((await releasesOf(stopPaymentId)).map((r) => r.status)).toEqual(['rejected']);
    expect(await followReleases()).toBe(1);
    expect(await followReleases()).toBe(0);
    expect((await get('ana', `/api/appeals/${id}`)).json<AppealDetail>().appeal.effectStates).toEqual([
      expect.objectContaining({ status: 'done', result: 'kept', attempts: 1 }),
    ]);
  });

  it('a failed effect is recorded and retried by the sweep until done, once', async () => {
    // The bank has not confirmed the freeze yet: its release cannot be proposed now.
    const { number, freezeId, confirm, stopPaymentId } = await frozenAccount(false);
    const { id } = await fileAppeal(filing('freeze', number));
    const view = await granted(id);
    expect(view.status).toBe('granted');
    expect(view.effectStates).toEqual([
      expect.objectContaining({ targetId: freezeId, status: 'failed', attempts: 1, result: null }),
    ]);
    expect(view.effectStates[0]!.lastError).toContain('requested');
    // Not due yet: the sweep leaves it.
    expect(await h.app.services.appeals.retryEffectsOnce()).toBe(0);
    expect((await confirm()).statusCode).toBe(200);
    h.clock.set(new Date(h.clock.now().getTime() + 2 * MINUTE));
    expect(await h.app.services.appeals.retryEffectsOnce()).toBe(1);
    const after = (await get('ana', `/api/appeals/${id}`)).json<AppealDetail>().appeal;
    expect(after.effectStates).toEqual([
      expect.objectContaining({ status: 'done', result: 'release_approved', attempts: 2, lastError: null }),
    ]);
    expect((await releasesOf(stopPaymentId)).map((r) => r.status)).toEqual(['approved']);
    // Done: nothing is tried again.
    h.clock.set(new Date(h.clock.now().getTime() + 2 * 60 * MINUTE));
    expect(await h.app.services.appeals.retryEffectsOnce()).toBe(0);
    expect(await releasesOf(stopPaymentId)).toHaveLength(1);
    // Sessions time out over hours: everyone signs in again for the tests after.
    for (const [u] of cast) c[u] = await h.signIn(u);
  });

  it('an effect that keeps failing alerts the supervisors once, after 5 failed attempts, and is still retried', async () => {
    // The bank never confirms the freeze: its release cannot be proposed, attempt after attempt.
    const { number, freezeId } = await frozenAccount(false);
    const { id, reference } = await fileAppeal(filing('freeze', number));
    expect((await granted(id)).effectStates).toEqual([
      expect.objectContaining({ targetId: freezeId, status: 'failed', attempts: 1 }),
    ]);
    const alertsOf = async () =>
      (await get('sup', '/api/alerts?limit=500')).json<AlertList>().alerts.filter((a) => a.objectId === id);
    const retried = async () => {
      const { nextAttemptAt } = (await get('ana', `/api/appeals/${id}`)).json<AppealDetail>().appeal
        .effectStates[0]!;
      h.clock.set(new Date(nextAttemptAt!));
      await h.app.services.appeals.retryEffectsOnce();
      return (await get('ana', `/api/appeals/${id}`)).json<AppealDetail>().appeal.effectStates[0]!;
    };
    for (const attempts of [2, 3, 4]) {
      expect(await retried()).toMatchObject({ status: 'failed', attempts });
      expect(await alertsOf()).toEqual([]);
    }
    expect(await retried()).toMatchObject({ status: 'failed', attempts: 5 });
    const alert = {
      kind: 'task_overdue',
      level: 'escalation',
      objectType: 'appeal',
      objectId: id,
      threshold: `effect_failing:freeze:${freezeId}`,
      reportId: null,
    };
    expect(await alertsOf()).toEqual([expect.objectContaining(alert)]);
    expect((await alertsOf())[0]!.message).toContain(reference);
    // Still failing, still retried: no second alert.
    expect(await retried()).toMatchObject({ status: 'failed', attempts: 6 });
    expect(await alertsOf()).toEqual([expect.objectContaining(alert)]);
    // Sessions time out over hours: everyone signs in again for the tests after.
    for (const [u] of cast) c[u] = await h.signIn(u);
  });

  it('a granted hold appeal lifts the protective hold early, the bank told by its release', async () => {
    const phone = '+8613900007001';
    await db.transaction().execute((trx) =>
      h.app.services.recordHits(trx, [
        {
          source: 'bank:ICBC',
          signalId: 'appeal-hold-1',
          signalKind: 'bank_transfer',
          at: '2026-05-01T08:00:00Z',
          person: {
            phone,
            idNumber: withIdCheckChar('52010219600101777'),
            name: '王秀英',
            countyCode: NANMING,
          },
          indicator: mule,
          amountFen: 5_000_000,
          upstreamGrade: null,
        },
      ]),
    );
    const list = (await get('persuader1', '/api/episodes?limit=200')).json<EpisodeList>().episodes;
    const episodeId = list.find((x) => x.personPhoneMasked?.endsWith('7001') && x.isOpen)!.id;
    expect(
      (await post('persuader1', `/api/episodes/${episodeId}/outcome`, { outcome: 'line_busy' })).statusCode,
    ).toBe(200);
    const account = cardOf('ICBC', 9601);
    expect(
      (
        await post('persuader1', `/api/episodes/${episodeId}/hold`, {
          reason: '疑似正在转账',
          hours: 24,
          bankCode: 'ICBC',
          account,
        })
      ).statusCode,
    ).toBe(200);
    expect((await post('persuader2', `/api/episodes/${episodeId}/hold/approve`)).statusCode).toBe(200);

    const { id } = await fileAppeal(filing('hold', account, { contactPhone: '13900007001' }));
    expect((await get('ana', `/api/appeals/${id}`)).json<AppealDetail>().subject.holds).toEqual([
      expect.objectContaining({ episodeId }),
    ]);
    const view = await granted(id);
    expect(view.effectStates).toEqual([
      expect.objectContaining({ kind: 'hold', targetId: episodeId, status: 'done', result: 'released' }),
    ]);
    const episode = (await get('persuader1', `/api/episodes/${episodeId}`)).json<EpisodeView>();
    expect(episode).toMatchObject({ step: 'closed' });
    const instructions = await db
      .selectFrom('bank_instruction')
      .select('kind')
      .where('episode_id', '=', episodeId)
      .orderBy('issued_at')
      .execute();
    expect(instructions.map((i) => i.kind)).toEqual(['protective_hold', 'protective_hold_release']);
  });

  it('is withdrawn by the appellant before a decision only, by reference and phone', async () => {
    const { number } = await frozenAccount();
    const { id, reference } = await fileAppeal(filing('freeze', number));
    const withdraw = (ref: string, contactPhone: string) =>
      publicPost(`/api/public/appeals/${ref}/withdraw`, { contactPhone });
    // An unknown reference and a wrong phone answer alike, and change nothing.
    const wrong = await withdraw(reference, '13800000000');
    const unknown = await withdraw('SS-2026-AAAAAAAA', '13912340000');
    expect([wrong.statusCode, unknown.statusCode]).toEqual([404, 404]);
    expect(wrong.json<ErrorBody>().error.message).toBe(unknown.json<ErrorBody>().error.message);
    expect(await withdraw(reference, '13912340000').then((r) => r.statusCode)).toBe(200);
    const again = await withdraw(reference, '+86 139 1234 0000');
    expect(again.statusCode).toBe(200);
    expect(again.json<AppealReceipt>()).toMatchObject({ reference, status: 'withdrawn' });
    expect(
      (await post('ana', `/api/appeals/${id}/review`, { recommendation: 'grant', reason: 'x' })).statusCode,
    ).toBe(409);
    const audited = await db
      .selectFrom('audit_entry')
      .select('action')
      .where('object_id', '=', id)
      .where('action', '=', 'appeal.withdraw')
      .execute();
    expect(audited).toHaveLength(1);
    // A decided appeal is not withdrawn.
    const other = await fileAppeal(filing('freeze', number));
    await post('ana', `/api/appeals/${other.id}/review`, { recommendation: 'deny', reason: '证据不足' });
    await post('sup', `/api/appeals/${other.id}/decision`, { decision: 'deny', reason: '维持' });
    const late = await withdraw(other.reference, '13912340000');
    expect(late.statusCode).toBe(409);
    expect(late.json<ErrorBody>().error.details?.[0]?.reason).toBe('appeal.transition');
    // Unknown fields are refused.
    expect(
      (await publicPost(`/api/public/appeals/${reference}/withdraw`, { contactPhone: '1', x: 1 })).statusCode,
    ).toBe(400);
  });

  it('needs the bank for a freeze or a hold, and refuses it elsewhere', async () => {
    const before = await db
      .selectFrom('appeal')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const { bankCode: _b, ...noBank } = filing('hold', cardOf('ICBC', 9700));
    const missing = await publicPost('/api/public/appeals', noBank);
    const unknown = await publicPost(
      '/api/public/appeals',
      filing('freeze', cardOf('ICBC', 9701), { bankCode: 'NOPE' }),
    );
    const extra = await publicPost('/api/public/appeals', filing('phone', '13800138000'));
    expect([missing, unknown, extra].map((r) => r.json<ErrorBody>().error.details?.[0])).toEqual([
      expect.objectContaining({ field: 'body.bankCode', reason: 'required' }),
      expect.objectContaining({ field: 'body.bankCode', reason: 'unknown_bank' }),
      expect.objectContaining({ field: 'body.bankCode', reason: 'not_allowed' }),
    ]);
    const after = await db
      .selectFrom('appeal')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
