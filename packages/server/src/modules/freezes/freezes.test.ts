import type {
  AlertList,
  ErrorBody,
  FundDecisionList,
  FundDecisionView,
  ReportView,
  SignedInstruction,
  StopPaymentView,
} from '@fanzha/contracts';
import { addWorkingDays } from '@fanzha/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, queue, reportWith } from '../../../testing/core-loop-fixtures';
import type { LegalTimers } from '../legal-timers/index';
import { loadDecisionViews, loadStopPaymentViews } from '../case/index';
import { countingDb } from '../../../testing/statement-count';

const HOUR = 3_600_000;
const NANMING = '520102';
const YUNYAN = '520103';

describeEachStorage('after the stop: legal timers, freezes, returns', (database) => {
  let h: Harness;
  let timers: LegalTimers;
  const c: Record<string, string> = {};
  let seed = 0;
  beforeAll(async () => {
    h = await createHarness(database());
    timers = h.app.services.legalTimers;
    const users = [
      ['taker', 'call_taker', {}],
      ['desk', 'stop_payment_officer', {}],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
      ['ccb', 'bank_liaison', { bankCode: 'CCB' }],
      ['nanming', 'county_police', { countyCode: NANMING }],
      ['nanming2', 'county_police', { countyCode: NANMING }],
      ['yunyan', 'county_police', { countyCode: YUNYAN }],
      ['sup', 'supervisor', {}],
    ] as const;
    await createCast(h, users);
    await signInAll();
  });
  let signedInAt = 0;
  async function signInAll() {
    for (const username of ['taker', 'desk', 'icbc', 'ccb', 'nanming', 'nanming2', 'yunyan', 'sup'])
      c[username] = await h.signIn(username);
    signedInAt = h.clock.now().getTime();
  }
  /** Moves the test clock; sessions time out over hours, so everyone signs in again after a jump. */
  async function at(when: Date | string | number) {
    const target = new Date(when).getTime();
    if (Math.abs(target - signedInAt) > 10 * 60_000) {
      // Signing in moves the test clock on (each TOTP code is single-use): do it before the target.
      h.clock.set(new Date(target - 5 * 60_000));
      await signInAll();
    }
    h.clock.set(new Date(target));
  }
  afterAll(() => h.close());

  const post = (who: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, ...headers }, payload });
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });
  const view = async (who: string, id: string) =>
    (await get(who, `/api/stop-payments/${id}`)).json<StopPaymentView>();
  const alerts = async (who: string) => (await get(who, '/api/alerts')).json<AlertList>().alerts;

  /** A submitted report of Nanming whose one ICBC account the bank stopped (in part) just now. */
  async function stoppedAccount(amountFen = 5_000_000, stoppedFen = 3_100_000, countyCode = NANMING) {
    const number = cardOf('ICBC', 9000 + ++seed);
    const { id, report } = await reportWith(h, c.taker!, [{ number, amountFen }], {
      complete: true,
      countyCode,
    });
    const submitted = await post('taker', `/api/reports/${id}/submit`, { version: report.version });
    expect(submitted.statusCode).toBe(200);
    const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
    expect(
      (await post('desk', `/api/stop-payments/${pending!.id}/send`, { legalDocNumber: 'GZ-ZF-0001' }))
        .statusCode,
    ).toBe(200);
    const answered = await post(
      'icbc',
      `/api/bank/instructions/${pending!.id}/result`,
      { outcome: 'stopped', stoppedFen, balanceFen: stoppedFen, onwardTransfers: [] },
      { 'idempotency-key': `k-${pending!.id}` },
    );
    expect(answered.statusCode).toBe(200);
    return { reportId: id, request: answered.json<StopPaymentView>(), number };
  }

  /** The bank confirms a measure instruction (the freeze, release or return takes effect now). */
  async function confirmAtBank(who: string, instructionId: string, body: object) {
    const res = await post(who, `/api/bank/instructions/${instructionId}/confirm`, body, {
      'idempotency-key': `c-${instructionId}-${JSON.stringify(body).length}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res;
  }
  const executedNow = () => ({ executedAt: h.clock.now().toISOString() });

  const freezeBody = (amountFen: number) => ({
    decisionNumber: '筑公(南)冻字〔2026〕001号',
    amountFen,
    reason: '涉嫌电信网络诈骗，依法冻结涉案资金',
    appealChannel: '贵阳市公安局南明分局法制大队',
  });

  it('an emergency stop lapses exactly 48 hours after the stop, reminded at 6 h and 1 h, escalated at the lapse', async () => {
    const { request } = await stoppedAccount();
    const stoppedAt = new Date(request.stoppedAt!);
    expect(request.legalState).toBe('stopped');
    expect(new Date(request.expiresAt!).getTime() - stoppedAt.getTime()).toBe(48 * HOUR);

    const expiring = await queue(h, c.desk!, '?expiring=true');
    expect(expiring.map((r) => r.id)).toContain(request.id);
    expect(expiring.map((r) => r.expiresAt)).toEqual(expiring.map((r) => r.expiresAt).sort());

    await at(new Date(stoppedAt.getTime() + 42 * HOUR + 1));
    await timers.sweepOnce();
    const sixHours = (await alerts('desk')).filter((a) => a.objectId === request.id);
    expect(sixHours.map((a) => [a.kind, a.threshold])).toEqual([['stop_lapsing', '6h']]);
    expect((await alerts('nanming')).some((a) => a.objectId === request.id)).toBe(true);
    expect((await alerts('yunyan')).some((a) => a.objectId === request.id)).toBe(false);

    await at(new Date(stoppedAt.getTime() + 47 * HOUR + 1));
    await timers.sweepOnce();
    expect(
      (await alerts('desk'))
        .filter((a) => a.objectId === request.id)
        .map((a) => a.threshold)
        .sort(),
    ).toEqual(['1h', '6h']);

    await at(new Date(stoppedAt.getTime() + 48 * HOUR - 1));
    await timers.sweepOnce();
    expect((await view('desk', request.id)).legalState).toBe('stopped');

    await at(new Date(stoppedAt.getTime() + 48 * HOUR));
    // Visible at the deadline itself, before any sweep has run.
    expect((await view('desk', request.id)).legalState).toBe('lapsed');
    await timers.sweepOnce();
    const lapsed = await view('desk', request.id);
    expect((await queue(h, c.desk!, '?expiring=true')).map((r) => r.id)).not.toContain(request.id);
    expect(lapsed.lapsedAt).toBe(request.expiresAt);
    const escalation = (await alerts('sup')).find(
      (a) => a.objectId === request.id && a.kind === 'stop_lapsed',
    );
    expect(escalation).toMatchObject({ level: 'escalation' });
    expect(escalation!.message).not.toContain(request.account.number);
    // Sweeping again raises nothing new.
    const before = (await alerts('sup')).length;
    await timers.sweepOnce();
    expect((await alerts('sup')).length).toBe(before);
  });

  it('allows a second emergency stop of an account in a case, and refuses a third in the service and in the database', async () => {
    const { request, reportId, number } = await stoppedAccount();
    const second = await post('nanming', `/api/stop-payments/${request.id}/restop`, {
      legalDocNumber: 'GZ-ZF-0002',
    });
    expect(second.statusCode).toBe(200);
    const renewal = second.json<StopPaymentView>();
    expect(renewal).toMatchObject({ stopSeq: 2, renewsId: request.id, status: 'sent' });
    const answered = await post(
      'icbc',
      `/api/bank/instructions/${renewal.id}/result`,
      { outcome: 'stopped', stoppedFen: 3_000_000, onwardTransfers: [] },
      { 'idempotency-key': `k-${renewal.id}` },
    );
    expect(answered.json<StopPaymentView>().legalState).toBe('stopped');
    expect((await view('desk', request.id)).legalState).toBe('renewed');
    // At the bank, the first stop's lapse no longer runs; the second's does.
    const deadlineOf = async (id: string) =>
      (await get('icbc', `/api/bank/instructions/${id}`)).json<SignedInstruction>().deadlineAt;
    expect(await deadlineOf(request.id)).toBeNull();
    expect(await deadlineOf(renewal.id)).toBe(answered.json<StopPaymentView>().expiresAt);
    // The report counts the account's stop once.
    const report = (await get('sup', `/api/reports/${reportId}`)).json<ReportView>();
    expect(report.money.stoppedFen).toBe(3_000_000);

    for (const id of [request.id, renewal.id]) {
      const third = await post('desk', `/api/stop-payments/${id}/restop`, { legalDocNumber: 'GZ-ZF-0003' });
      expect(third.statusCode).toBe(409);
      expect(third.json<ErrorBody>().error.message).toMatch(/2 emergency stops/);
    }
    const insertThird = (stopSeq: number) =>
      sql`insert into stop_payment (id, report_id, parent_id, layer, account_number, bank_code, amount_fen, status,
            stop_seq, renews_id, created_at, updated_at)
          values (gen_random_uuid(), ${reportId}, null, 1, ${number}, 'ICBC', 100, 'pending', ${stopSeq},
            ${renewal.id}, now(), now())`.execute(database().db);
    await expect(insertThird(3)).rejects.toThrow(/check constraint|stop_seq/);
    await expect(insertThird(2)).rejects.toThrow(/duplicate key|unique/);
  });

  it('freezes at most the amount involved, keeps the figures apart, and the freeze outlives the 48 hours', async () => {
    const { request, reportId } = await stoppedAccount(5_000_000, 3_100_000);
    const tooMuch = await post('nanming', `/api/stop-payments/${request.id}/freeze`, freezeBody(5_000_001));
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json<ErrorBody>().error.details).toContainEqual(
      expect.objectContaining({ field: 'body.amountFen', reason: 'above_involved' }),
    );
    const tooLong = await post('nanming', `/api/stop-payments/${request.id}/freeze`, {
      ...freezeBody(3_100_000),
      endsAt: new Date(h.clock.now().getTime() + 200 * 24 * HOUR).toISOString(),
    });
    expect(tooLong.json<ErrorBody>().error.details?.[0]).toMatchObject({
      field: 'body.endsAt',
      reason: 'too_long',
    });
    const noAppeal = await post('nanming', `/api/stop-payments/${request.id}/freeze`, {
      ...freezeBody(3_100_000),
      appealChannel: undefined,
    });
    expect(noAppeal.json<ErrorBody>().error.details?.[0]?.field).toBe('body.appealChannel');
    // Another county's police cannot touch this case.
    expect(
      (await post('yunyan', `/api/stop-payments/${request.id}/freeze`, freezeBody(3_100_000))).statusCode,
    ).toBe(404);
    expect(await queue(h, c.yunyan!, `?reportId=${reportId}&status=stopped`)).toEqual([]);

    const requested = (
      await post('nanming', `/api/stop-payments/${request.id}/freeze`, freezeBody(3_100_000))
    ).json<StopPaymentView>();
    // The freeze is the bank's act: until it confirms, the stop holds the money and nothing counts as frozen.
    expect(requested).toMatchObject({
      legalState: 'freezing',
      frozenFen: 0,
      freeze: { status: 'requested' },
    });
    expect((await get('sup', `/api/reports/${reportId}`)).json<ReportView>().money.frozenFen).toBe(0);
    await confirmAtBank('icbc', requested.freeze!.instructionId, {
      outcome: 'frozen',
      amountFen: 3_100_000,
      ...executedNow(),
    });
    const frozen = await view('nanming', request.id);
    expect(frozen).toMatchObject({ legalState: 'frozen', frozenFen: 3_100_000, returnedFen: 0 });
    expect(frozen.result!.stoppedFen).toBe(3_100_000);
    const months = new Date(frozen.freeze!.endsAt).getUTCMonth() - h.clock.now().getUTCMonth();
    expect((months + 12) % 12).toBe(6);
    expect((await get('sup', `/api/reports/${reportId}`)).json<ReportView>().money).toEqual({
      stoppedFen: 3_100_000,
      frozenFen: 3_100_000,
      returnedFen: 0,
    });
    await expect(
      sql`update account_freeze set amount_fen = 5000001 where id = ${frozen.freeze!.id}`.execute(
        database().db,
      ),
    ).rejects.toThrow(/above the amount involved/);

    await at(h.clock.now().getTime() + 49 * HOUR);
    await timers.sweepOnce();
    const later = await view('nanming', request.id);
    expect(later).toMatchObject({ legalState: 'frozen', lapsedAt: null });
  });

  /** A stopped account frozen by decision and confirmed by its bank. */
  async function frozenAccount(amountFen: number, stoppedFen: number, frozenFen: number, who = 'nanming') {
    const { request, reportId } = await stoppedAccount(amountFen, stoppedFen);
    const requested = (
      await post(who, `/api/stop-payments/${request.id}/freeze`, freezeBody(frozenFen))
    ).json<StopPaymentView>();
    await confirmAtBank('icbc', requested.freeze!.instructionId, {
      outcome: 'frozen',
      amountFen: frozenFen,
      ...executedNow(),
    });
    return { request, reportId, frozen: await view(who, request.id) };
  }

  it('release and return each need a second approver; self-approval is refused in the service and the database', async () => {
    const { request, frozen } = await frozenAccount(5_000_000, 3_100_000, 3_000_000);
    const proposed = await post('nanming', `/api/freezes/${frozen.freeze!.id}/decisions`, {
      kind: 'release',
      amountFen: 3_000_000,
      decisionNumber: '筑公(南)解冻字〔2026〕001号',
      reason: '经查系正常经营款项',
      appealChannel: '贵阳市公安局南明分局法制大队',
    });
    expect(proposed.statusCode).toBe(200);
    const decision = proposed.json<FundDecisionView>();
    const self = await post('nanming', `/api/fund-decisions/${decision.id}/approve`);
    expect(self.statusCode).toBe(403);
    expect(self.json<ErrorBody>().error.details?.[0]?.reason).toBe('self_approval');
    await expect(
      sql`update fund_decision set status = 'approved', decided_by = proposed_by, decided_at = now()
          where id = ${decision.id}`.execute(database().db),
    ).rejects.toThrow(/fund_decision_two_approvers/);

    const approved = await post('nanming2', `/api/fund-decisions/${decision.id}/approve`);
    expect(approved.json<FundDecisionView>()).toMatchObject({
      status: 'approved',
      proposedBy: 'nanming',
      decidedBy: 'nanming2',
      instructionId: decision.id,
    });
    // Approved is sent to the bank, not yet released: the money stays frozen until the bank confirms.
    expect(await view('desk', request.id)).toMatchObject({ legalState: 'frozen', frozenFen: 3_000_000 });
    await confirmAtBank('icbc', decision.id, { outcome: 'released', amountFen: 3_000_000, ...executedNow() });
    expect(await view('desk', request.id)).toMatchObject({ legalState: 'released', frozenFen: 0 });
  });

  it('reads a frozen request with its decisions and people in one statement, as the decisions list shows them', async () => {
    const { request, frozen } = await frozenAccount(5_000_000, 3_100_000, 3_000_000);
    const proposed = await post('nanming', `/api/freezes/${frozen.freeze!.id}/decisions`, {
      kind: 'release',
      amountFen: 1_000_000,
      decisionNumber: '筑公(南)解冻字〔2026〕002号',
      reason: '经查部分系正常经营款项',
      appealChannel: '贵阳市公安局南明分局法制大队',
    });
    const approved = (
      await post('nanming2', `/api/fund-decisions/${proposed.json<FundDecisionView>().id}/approve`)
    ).json<FundDecisionView>();
    const counting = countingDb(h.db);
    const row = await counting.db
      .selectFrom('stop_payment')
      .selectAll()
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    counting.reset();
    const [read] = await loadStopPaymentViews(counting.db, [row], h.clock.now());
    expect(counting.count(), counting.kinds.join('\n')).toBe(1);
    expect(read).toEqual(await view('nanming', request.id));
    expect(read!.reportNumber).toBe(request.reportNumber);
    expect(read!.result?.stoppedFen).toBe(3_100_000);
    expect(read!.freeze).toMatchObject({ status: 'active', decidedBy: 'nanming', amountFen: 3_000_000 });
    // The decision as its own list shows it: people, report, account and times alike.
    expect(read!.freeze!.decisions).toEqual([approved]);
    // And a decision's own view (approvals, the decisions list): its people and context in one statement.
    const decision = await h.db
      .selectFrom('fund_decision')
      .selectAll()
      .where('id', '=', approved.id)
      .executeTakeFirstOrThrow();
    counting.reset();
    expect(await loadDecisionViews(counting.db, [decision], h.clock.now())).toEqual([approved]);
    expect(counting.count(), counting.kinds.join('\n')).toBe(1);
    expect(approved).toMatchObject({ proposedBy: 'nanming', decidedBy: 'nanming2' });
  });

  it('a return is due within 3 working days of its approval, flagged when the bank has not confirmed it', async () => {
    const { request, reportId, frozen } = await frozenAccount(2_000_000, 2_000_000, 2_000_000, 'desk');
    const noAccount = await post('desk', `/api/freezes/${frozen.freeze!.id}/decisions`, {
      kind: 'return',
      amountFen: 2_000_000,
      decisionNumber: '筑公(南)返还字〔2026〕001号',
      reason: '被害人资金，依法返还',
      appealChannel: '贵阳市公安局南明分局法制大队',
    });
    expect(noAccount.json<ErrorBody>().error.details?.[0]).toMatchObject({
      field: 'body.victimAccount',
      reason: 'required',
    });
    const decision = (
      await post('desk', `/api/freezes/${frozen.freeze!.id}/decisions`, {
        kind: 'return',
        amountFen: 2_000_000,
        victimAccount: cardOf('CCB', 777),
        payeeName: '张三',
        decisionNumber: '筑公(南)返还字〔2026〕001号',
        reason: '被害人资金，依法返还',
        appealChannel: '贵阳市公安局南明分局法制大队',
      })
    ).json<FundDecisionView>();
    const approved = (
      await post('sup', `/api/fund-decisions/${decision.id}/approve`)
    ).json<FundDecisionView>();
    expect(approved.dueAt).toBe(addWorkingDays(new Date(approved.decidedAt!), 3).toISOString());

    await at(new Date(new Date(approved.dueAt!).getTime() - 1));
    await timers.sweepOnce();
    expect((await alerts('sup')).some((a) => a.objectId === decision.id)).toBe(false);
    await at(approved.dueAt!);
    const listed = (await get('sup', '/api/fund-decisions?status=approved')).json<FundDecisionList>()
      .decisions;
    expect(listed.find((d) => d.id === decision.id)?.isOverdue).toBe(true);
    await timers.sweepOnce();
    expect((await alerts('sup')).find((a) => a.objectId === decision.id)).toMatchObject({
      kind: 'return_overdue',
      level: 'escalation',
    });

    // Only the account's bank sees and confirms it; the same confirmation twice changes nothing.
    expect(
      (await post('ccb', `/api/bank/returns/${decision.id}/confirm`, { bankReference: 'ICBC-RT-1' }))
        .statusCode,
    ).toBe(404);
    const returns = (await get('icbc', '/api/bank/returns')).json<FundDecisionList>().decisions;
    expect(returns.map((d) => d.id)).toContain(decision.id);
    const confirmed = await post('icbc', `/api/bank/returns/${decision.id}/confirm`, {
      bankReference: 'ICBC-RT-1',
    });
    expect(confirmed.json<FundDecisionView>()).toMatchObject({
      status: 'confirmed',
      bankReference: 'ICBC-RT-1',
    });
    expect(
      (await post('icbc', `/api/bank/returns/${decision.id}/confirm`, { bankReference: 'ICBC-RT-1' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await post('icbc', `/api/bank/returns/${decision.id}/confirm`, { bankReference: 'OTHER' })).statusCode,
    ).toBe(409);
    expect((await get('sup', `/api/reports/${reportId}`)).json<ReportView>().money).toEqual({
      stoppedFen: 2_000_000,
      frozenFen: 0,
      returnedFen: 2_000_000,
    });
    expect((await view('desk', request.id)).legalState).toBe('returned');
  });

  it('takes an old-form return confirmation without returnedAt, retried later, as the same answer', async () => {
    const { frozen } = await frozenAccount(2_000_000, 2_000_000, 2_000_000, 'desk');
    const decision = (
      await post('desk', `/api/freezes/${frozen.freeze!.id}/decisions`, {
        kind: 'return',
        amountFen: 2_000_000,
        victimAccount: cardOf('CCB', 781),
        payeeName: '张三',
        decisionNumber: '筑公(南)返还字〔2026〕003号',
        reason: '被害人资金，依法返还',
        appealChannel: '贵阳市公安局南明分局法制大队',
      })
    ).json<FundDecisionView>();
    expect((await post('sup', `/api/fund-decisions/${decision.id}/approve`)).statusCode).toBe(200);
    const url = `/api/bank/returns/${decision.id}/confirm`;
    const rows = async () =>
      (
        await sql<{ o: string; a: string; f: string }>`
          select (select count(*) from outbox) as o,
            (select count(*) from audit_entry where result = 'success') as a,
            (select count(*) from fund_decision where status = 'confirmed') as f`.execute(database().db)
      ).rows[0];
    const first = await post('icbc', url, { bankReference: 'ICBC-RT-OLD-1' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<FundDecisionView>()).toMatchObject({
      status: 'confirmed',
      bankReference: 'ICBC-RT-OLD-1',
    });
    const written = await rows();
    // The answer was lost; the bank's system sends the very same request a minute later.
    h.clock.advance(60_000);
    const again = await post('icbc', url, { bankReference: 'ICBC-RT-OLD-1' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<FundDecisionView>()).toMatchObject({
      status: 'confirmed',
      bankReference: 'ICBC-RT-OLD-1',
      confirmedAt: first.json<FundDecisionView>().confirmedAt,
    });
    expect(await rows()).toEqual(written);
    // Another reference is another answer.
    const other = await post('icbc', url, { bankReference: 'ICBC-RT-OLD-2' });
    expect(other.statusCode).toBe(409);
    expect(other.json<ErrorBody>().error.message).toBe(
      'This return was already confirmed with another reference',
    );
  });

  it('takes a proposal sent again as the one it made, writing nothing', async () => {
    const { frozen } = await frozenAccount(3_000_000, 3_000_000, 3_000_000, 'desk');
    const url = `/api/freezes/${frozen.freeze!.id}/decisions`;
    const proposal = {
      kind: 'return',
      amountFen: 1_000_000,
      victimAccount: cardOf('CCB', 779),
      payeeName: '李四',
      decisionNumber: '筑公(南)返还字〔2026〕009号',
      reason: '被害人资金，依法先行返还一部分',
      appealChannel: '贵阳市公安局南明分局法制大队',
    };
    const decisionsOfFreeze = async () =>
      Number(
        (
          await sql<{ n: string }>`select count(*) as n from fund_decision
            where freeze_id = ${frozen.freeze!.id}`.execute(database().db)
        ).rows[0]!.n,
      );
    const outbox = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from outbox`.execute(database().db)).rows[0]!.n);
    const first = await post('desk', url, proposal);
    expect(first.statusCode).toBe(200);
    const events = await outbox();
    // Its answer lost, sent again; and twice at once (a double click).
    const again = await post('desk', url, proposal);
    const both = await Promise.all([post('desk', url, proposal), post('desk', url, proposal)]);
    for (const r of [again, ...both]) {
      expect(r.statusCode).toBe(200);
      expect(r.json<FundDecisionView>().id).toBe(first.json<FundDecisionView>().id);
    }
    expect(await decisionsOfFreeze()).toBe(1);
    expect(await outbox()).toBe(events);
    // Another amount under the same number is another proposal.
    const other = await post('desk', url, { ...proposal, amountFen: 500_000 });
    expect(other.statusCode).toBe(200);
    expect(other.json<FundDecisionView>().id).not.toBe(first.json<FundDecisionView>().id);
    expect(await decisionsOfFreeze()).toBe(2);
  });

  it('a return of part of the frozen money leaves the rest frozen, and the figures stay apart', async () => {
    const { request, reportId, frozen } = await frozenAccount(3_000_000, 3_000_000, 3_000_000, 'desk');
    const decision = (
      await post('desk', `/api/freezes/${frozen.freeze!.id}/decisions`, {
        kind: 'return',
        amountFen: 1_000_000,
        victimAccount: cardOf('CCB', 778),
        payeeName: '李四',
        decisionNumber: '筑公(南)返还字〔2026〕002号',
        reason: '被害人资金，依法先行返还一部分',
        appealChannel: '贵阳市公安局南明分局法制大队',
      })
    ).json<FundDecisionView>();
    await post('sup', `/api/fund-decisions/${decision.id}/approve`);
    expect(
      (await post('icbc', `/api/bank/returns/${decision.id}/confirm`, { bankReference: 'ICBC-RT-2' }))
        .statusCode,
    ).toBe(200);
    expect(await view('desk', request.id)).toMatchObject({
      legalState: 'frozen',
      frozenFen: 2_000_000,
      returnedFen: 1_000_000,
    });
    expect((await get('sup', `/api/reports/${reportId}`)).json<ReportView>().money).toEqual({
      stoppedFen: 3_000_000,
      frozenFen: 2_000_000,
      returnedFen: 1_000_000,
    });
  });
});
