import type {
  AccountSharesView,
  ErrorBody,
  FreezeProposalView,
  MoneyTraceView,
  StopPaymentView,
} from '@fanzha/contracts';
import type { EventEnvelope } from '@fanzha/domain';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf, queue, reportWith, type TestBank } from '../../../testing/core-loop-fixtures';
import { committedEvents, consumerMarks } from '../../../testing/outbox-events';
import { parsePrometheusText, sampleValue } from '../../../testing/prometheus-text';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { createMemoryBus } from '../../platform/bus/memory-bus';
import { newEvent } from '../../platform/events';
import {
  applyMoneyGraphEvents,
  MONEY_GRAPH_CONSUMER,
  startLiveMoneyGraph,
  startMoneyGraphConsumer,
  type LiveMoneyGraph,
} from './index';
import { moneyGraphRepository } from './money-graph.repository';

const NANMING = '520102';
const YUNYAN = '520103';
const MIN = 60_000;

describeEachStorage('the money graph in the server', (database) => {
  let h: Harness;
  let bus: Bus;
  let live: LiveMoneyGraph;
  const subs: Subscription[] = [];
  const c: Record<string, string> = {};
  let seed = 0;
  const cast = [
    ['taker', 'call_taker', {}],
    ['desk', 'stop_payment_officer', {}],
    ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
    ['ccb', 'bank_liaison', { bankCode: 'CCB' }],
    ['abc', 'bank_liaison', { bankCode: 'ABC' }],
    ['boc', 'bank_liaison', { bankCode: 'BOC' }],
    ['analyst', 'analyst', {}],
    ['nanming', 'county_police', { countyCode: NANMING }],
    ['yunyan', 'county_police', { countyCode: YUNYAN }],
  ] as const;
  const liaisonOf: Record<string, string> = { ICBC: 'icbc', CCB: 'ccb', ABC: 'abc', BOC: 'boc' };

  beforeAll(async () => {
    bus = createMemoryBus();
    h = await createHarness(database(), { bus });
    live = h.app.services.moneyGraphLive;
    subs.push(
      await startMoneyGraphConsumer({
        db: database().db,
        bus,
        clock: h.clock,
        wake: () => bus.signal('outbox'),
      }),
    );
    subs.push(await startLiveMoneyGraph({ live, bus, log: h.app.log }));
    await createCast(h, cast);
    Object.assign(c, await signInCast(h, cast));
  });
  afterAll(async () => {
    for (const s of subs) await s.stop();
    await h.close();
    await bus.close();
  });

  const post = (who: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, ...headers }, payload });
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });

  /** Resolves once the live graph holds `n` transfers more than `from` (each money-graph.changed is heard). */
  async function untilTransfers(n: number): Promise<void> {
    if (live.stats().transfers >= n) return;
    let sub: Subscription | undefined;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`graph has ${live.stats().transfers} of ${n}`)),
        10_000,
      );
      void bus
        .listen(['money-graph.changed'], () => {
          if (live.stats().transfers >= n) {
            clearTimeout(timer);
            resolve();
          }
        })
        .then((s) => {
          sub = s;
          if (live.stats().transfers >= n) {
            clearTimeout(timer);
            resolve();
          }
        });
    });
    await sub?.stop();
  }

  /**
   * Resolves once every committed event is published and every consumer on the bus has applied all it was
   * given: a test that edits the record and applies an event by hand must not race the running consumer.
   */
  async function untilQuiet(): Promise<void> {
    await vi.waitFor(
      async () => {
        const unpublished = await database()
          .db.selectFrom('outbox')
          .select('id')
          .where('published_at', 'is', null)
          .limit(1)
          .execute();
        expect(unpublished).toEqual([]);
        expect((await bus.consumerLag()).filter((l) => l.pending + l.inFlight > 0)).toEqual([]);
      },
      { timeout: 20_000, interval: 20 },
    );
  }

  /** Listens now; resolves when a money-graph.changed records a transfer of the report to the account. */
  async function recorded(reportId: string, to: string): Promise<{ heard: Promise<void> }> {
    let done!: () => void;
    const heard = new Promise<void>((resolve) => (done = resolve));
    const sub = await bus.listen(['money-graph.changed'], (e) => {
      const data = (e as EventEnvelope<'money-graph.changed'>).data;
      if (data.transfers.some((t) => t.reportId === reportId && t.to === to)) done();
    });
    // Wrapped: an async function returning the promise itself would wait for it.
    return { heard: heard.finally(() => sub.stop()) };
  }

  /** A submitted report paying the given accounts; returns it and its first-layer requests, sent. */
  async function report(payments: Array<{ number: string; amountFen: number }>, countyCode = NANMING) {
    const before = live.stats().transfers;
    const { id, report: r } = await reportWith(h, c.taker!, payments, { complete: true, countyCode });
    const submitted = await post('taker', `/api/reports/${id}/submit`, { version: r.version });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const requests = await queue(h, c.desk!, `?reportId=${id}`);
    for (const p of requests) {
      const sent = await post('desk', `/api/stop-payments/${p.id}/send`, { legalDocNumber: 'GZ-ZF-0001' });
      expect(sent.statusCode, sent.body).toBe(200);
    }
    await untilTransfers(before + new Set(payments.map((p) => p.number)).size);
    return { id, requests };
  }

  /** The bank answers a request: stopped, with onward transfers. */
  async function answer(
    request: StopPaymentView,
    stoppedFen: number,
    onward: Array<{ number: string; amountFen: number; at: Date }>,
    extra: object = {},
  ): Promise<StopPaymentView> {
    const res = await post(
      liaisonOf[request.account.bankCode]!,
      `/api/bank/instructions/${request.id}/result`,
      {
        outcome: 'stopped',
        stoppedFen,
        balanceFen: stoppedFen,
        onwardTransfers: onward.map((o) => ({
          account: { number: o.number },
          amountFen: o.amountFen,
          transferredAt: o.at.toISOString(),
        })),
        ...extra,
      },
      { 'idempotency-key': `k-${request.id}` },
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json<StopPaymentView>();
  }
  const card = (bank: TestBank) => cardOf(bank, 70_000 + ++seed);
  const key = (bank: TestBank, number: string) => `${bank}:${number}`;

  it('records both victims’ transfers when two reports pay the same mule account, and splits its shares', async () => {
    const mule = card('ICBC');
    const onwardTo = card('CCB');
    const first = await report([{ number: mule, amountFen: 300_000 }]);
    const second = await report([{ number: mule, amountFen: 100_000 }]);
    const rows1 = await moneyGraphRepository.transfersOfReport(database().db, first.id);
    const rows2 = await moneyGraphRepository.transfersOfReport(database().db, second.id);
    expect(rows1.map((r) => [r.from_key, r.to_key, r.amount_fen])).toEqual([
      [`victim:${first.id}`, key('ICBC', mule), 300_000],
    ]);
    expect(rows2.map((r) => [r.from_key, r.to_key, r.amount_fen])).toEqual([
      [`victim:${second.id}`, key('ICBC', mule), 100_000],
    ]);

    const shares = (
      await get('analyst', `/api/money-graph/accounts/ICBC/${mule}/shares?rule=proportional`)
    ).json<AccountSharesView>();
    expect(shares.totalHeldFen).toBe(400_000);
    expect(Object.fromEntries(shares.shares.map((s) => [s.reportId, [s.heldFen, s.share]]))).toEqual({
      [first.id]: [300_000, 0.75],
      [second.id]: [100_000, 0.25],
    });

    // Both banks' answers name the same onward transfer: recorded for each report, once in the live graph.
    const at = new Date(h.clock.now().getTime() - 5 * MIN);
    const both = [
      await recorded(first.id, key('CCB', onwardTo)),
      await recorded(second.id, key('CCB', onwardTo)),
    ];
    await answer(first.requests[0]!, 0, [{ number: onwardTo, amountFen: 200_000, at }]);
    await answer(second.requests[0]!, 0, [{ number: onwardTo, amountFen: 200_000, at }]);
    await Promise.all(both.map((b) => b.heard));
    const onward1 = await moneyGraphRepository.transfersOfReport(database().db, first.id);
    const onward2 = await moneyGraphRepository.transfersOfReport(database().db, second.id);
    expect(onward1.filter((r) => r.to_key === key('CCB', onwardTo))).toHaveLength(1);
    expect(onward2.filter((r) => r.to_key === key('CCB', onwardTo))).toHaveLength(1);

    const there = (
      await get('analyst', `/api/money-graph/accounts/CCB/${onwardTo}/shares?rule=proportional`)
    ).json<AccountSharesView>();
    expect(there.totalHeldFen).toBe(200_000);
    expect(there.shares.map((s) => s.reportId).sort()).toEqual([first.id, second.id].sort());
    expect(there.shares.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1);

    const cluster = await post('analyst', '/api/money-graph/cluster-trace', {
      reportIds: [first.id, second.id],
      rule: 'proportional',
      maxDepth: 5,
    });
    expect(cluster.statusCode, cluster.body).toBe(200);
    const view = cluster.json<MoneyTraceView>();
    expect(view.sources.sort()).toEqual([`victim:${first.id}`, `victim:${second.id}`].sort());
    expect(view.accounts.find((a) => a.key === key('ICBC', mule))).toMatchObject({
      bankCode: 'ICBC',
      number: mule,
      receivedFen: 400_000,
      passedOnFen: 200_000,
      heldFen: 200_000,
    });
  });

  it('follows the money four layers deep from the banks’ answers, and stops at maxDepth', async () => {
    const a = card('ICBC');
    const b = card('CCB');
    const c3 = card('ABC');
    const d = card('BOC');
    const t0 = h.clock.now().getTime();
    const r = await report([{ number: a, amountFen: 1_000_000 }]);
    const before = live.stats().transfers;
    const l2 = await answer(r.requests[0]!, 100_000, [
      { number: b, amountFen: 900_000, at: new Date(t0 - 8 * MIN) },
    ]);
    await untilTransfers(before + 1);
    const [child2] = await queue(h, c.desk!, `?reportId=${r.id}&status=sent`);
    expect(l2.result!.onwardTransfers[0]!.childId).toBe(child2!.id);
    await answer(child2!, 0, [{ number: c3, amountFen: 800_000, at: new Date(t0 - 7 * MIN) }]);
    await untilTransfers(before + 2);
    const layer3 = (await queue(h, c.desk!, `?reportId=${r.id}&status=sent`)).find((q) => q.layer === 3)!;
    await answer(layer3, 0, [{ number: d, amountFen: 500_000, at: new Date(t0 - 6 * MIN) }]);
    await untilTransfers(before + 3);

    const res = await get('nanming', `/api/reports/${r.id}/money-trace?rule=fifo&maxDepth=5`);
    expect(res.statusCode, res.body).toBe(200);
    const trace = res.json<MoneyTraceView>();
    expect(trace.flows.map((f) => [f.depth, f.to, f.tracedFen])).toEqual([
      [1, key('ICBC', a), 1_000_000],
      [2, key('CCB', b), 900_000],
      [3, key('ABC', c3), 800_000],
      [4, key('BOC', d), 500_000],
    ]);
    expect(trace.accounts.find((x) => x.key === key('BOC', d))).toMatchObject({ depth: 4, heldFen: 500_000 });
    expect(trace.truncated).toBe(false);

    const shallow = (
      await get('analyst', `/api/reports/${r.id}/money-trace?maxDepth=2`)
    ).json<MoneyTraceView>();
    expect(shallow.flows.map((f) => f.depth)).toEqual([1, 2]);
    expect(shallow.truncated).toBe(true);

    // Another county's police do not see this case's trail.
    expect((await get('yunyan', `/api/reports/${r.id}/money-trace`)).statusCode).toBe(404);
  });

  it('applies the same event once, and the same transfers again add nothing', async () => {
    const r = await report([{ number: card('ICBC'), amountFen: 250_000 }]);
    const event = newEvent(
      'report.changed',
      {
        id: r.id,
        number: 'x',
        status: 'registered',
        version: 2,
        createdBy: 'x',
      },
      h.clock,
    ) as EventEnvelope;
    const deps = { db: database().db, clock: h.clock, wake: () => bus.signal('outbox') };
    const counts = await moneyGraphRepository.counts(database().db);
    expect(await applyMoneyGraphEvents(deps, [event])).toBe(0);
    expect(await applyMoneyGraphEvents(deps, [event])).toBe(0);
    expect(await applyMoneyGraphEvents(deps, [{ ...event, id: crypto.randomUUID() }])).toBe(0);
    expect(await moneyGraphRepository.counts(database().db)).toEqual(counts);
    expect(await moneyGraphRepository.transfersOfReport(database().db, r.id)).toHaveLength(1);
  });

  it('a draft’s save and a stop not yet answered cost the consumer nothing, not even a mark; an answer is marked once', async () => {
    const r = await report([{ number: card('ICBC'), amountFen: 120_000 }]);
    const ofReport = async () =>
      (await committedEvents(database().db, { subjects: ['stop-payment.changed'] }))
        .map((row) => row.event as EventEnvelope<'stop-payment.changed'>)
        .filter((e) => e.data.request.reportId === r.id);
    const draftSaved = newEvent(
      'report.changed',
      { id: r.id, number: 'x', status: 'draft', version: 1, createdBy: 'x' },
      h.clock,
    ) as EventEnvelope;
    const unanswered = [draftSaved, ...(await ofReport())];
    expect(unanswered.length).toBeGreaterThan(1);
    const deps = { db: database().db, clock: h.clock, wake: () => bus.signal('outbox') };
    expect(await applyMoneyGraphEvents(deps, unanswered)).toBe(0);
    expect(await consumerMarks(database().db, MONEY_GRAPH_CONSUMER, unanswered)).toBe(0);

    await answer(r.requests[0]!, 100_000, [{ number: card('CCB'), amountFen: 50_000, at: h.clock.now() }]);
    const answered = (await ofReport()).filter((e) => e.data.request.result);
    expect(answered).toHaveLength(1);
    await applyMoneyGraphEvents(deps, answered);
    await applyMoneyGraphEvents(deps, answered);
    expect(await consumerMarks(database().db, MONEY_GRAPH_CONSUMER, answered)).toBe(1);
    expect(await consumerMarks(database().db, MONEY_GRAPH_CONSUMER, unanswered)).toBe(0);
  });

  it('replaces a report’s first-layer transfers when its payment is edited, in the record and the live graph', async () => {
    const was = card('ICBC');
    const now = card('CCB');
    const r = await report([{ number: was, amountFen: 300_000 }]);
    // The consumer has applied every event of the report before the edit: the edit is applied by hand below.
    await untilQuiet();
    // The report's payment is corrected: another account and another amount.
    await database()
      .db.updateTable('report_transfer')
      .set({ to_number: now, to_bank_code: 'CCB', amount_fen: 200_000 })
      .where('report_id', '=', r.id)
      .execute();
    const heard = await recorded(r.id, key('CCB', now));
    const event = newEvent(
      'report.changed',
      { id: r.id, number: 'x', status: 'registered', version: 3, createdBy: 'x' },
      h.clock,
    ) as EventEnvelope;
    const deps = { db: database().db, clock: h.clock, wake: () => bus.signal('outbox') };
    expect(await applyMoneyGraphEvents(deps, [event])).toBe(2); // one removed, one recorded
    await heard.heard;
    const rows = await moneyGraphRepository.transfersOfReport(database().db, r.id);
    expect(rows.map((t) => [t.from_key, t.to_key, Number(t.amount_fen)])).toEqual([
      [`victim:${r.id}`, key('CCB', now), 200_000],
    ]);
    const trace = (
      await get('analyst', `/api/reports/${r.id}/money-trace?rule=fifo&maxDepth=1`)
    ).json<MoneyTraceView>();
    expect(trace.flows.map((f) => [f.to, f.transferFen, f.tracedFen])).toEqual([
      [key('CCB', now), 200_000, 200_000],
    ]);
    // A graph built again from the record agrees.
    await live.load();
    const rebuilt = (
      await get('analyst', `/api/reports/${r.id}/money-trace?rule=fifo&maxDepth=1`)
    ).json<MoneyTraceView>();
    expect(rebuilt.flows.map((f) => f.to)).toEqual([key('CCB', now)]);
  });

  it('builds the same graph again from the record (after a gap), and shows its size as a gauge', async () => {
    const before = live.stats();
    const loaded = await live.load();
    expect(loaded).toBe((await moneyGraphRepository.counts(database().db)).transfers);
    expect(live.stats().transfers).toBe(before.transfers);
    expect(live.stats().accounts).toBe(before.accounts);
    const samples = parsePrometheusText(await h.app.metrics.scrape());
    // One row per report, one edge per transfer: the onward transfer both pooled reports named is one edge.
    expect(sampleValue(samples, 'fanzha_money_graph', { measure: 'transfers' })).toBe(loaded - 1);
    expect(sampleValue(samples, 'fanzha_money_graph', { measure: 'accounts' })).toBe(before.accounts);
    expect(sampleValue(samples, 'fanzha_money_graph', { measure: 'bytes' })).toBeGreaterThan(0);
  });

  it('refuses bad input with the one error shape', async () => {
    const r = await report([{ number: card('ICBC'), amountFen: 90_000 }]);
    const cases: Array<[string, Awaited<ReturnType<typeof get>>, string]> = [
      ['rule', await get('analyst', `/api/reports/${r.id}/money-trace?rule=random`), 'query.rule'],
      ['depth', await get('analyst', `/api/reports/${r.id}/money-trace?maxDepth=0`), 'query.maxDepth'],
      ['extra', await get('analyst', `/api/reports/${r.id}/money-trace?colour=red`), 'query'],
      ['empty', await post('analyst', '/api/money-graph/cluster-trace', { reportIds: [] }), 'body.reportIds'],
      [
        'too many',
        await post('analyst', '/api/money-graph/cluster-trace', {
          reportIds: Array.from({ length: 2_001 }, () => r.id),
        }),
        'body.reportIds',
      ],
      // A big gang's cluster (the console traces all its reports) is no size problem: only the unknown one is.
      [
        'big gang',
        await post('analyst', '/api/money-graph/cluster-trace', {
          reportIds: [...Array.from({ length: 300 }, () => r.id), crypto.randomUUID()],
        }),
        'body.reportIds.300',
      ],
      [
        'unknown',
        await post('analyst', '/api/money-graph/cluster-trace', { reportIds: [r.id, crypto.randomUUID()] }),
        'body.reportIds.1',
      ],
      ['number', await get('analyst', '/api/money-graph/accounts/ICBC/12ab/shares'), 'params.number'],
      // `victim:` keys are victims' own money, not a bank's account: no bank is called `victim`.
      ['victim', await get('analyst', '/api/money-graph/accounts/victim/12345678/shares'), 'params.bankCode'],
    ];
    for (const [name, res, field] of cases) {
      expect(res.statusCode, `${name}: ${res.body}`).toBe(400);
      const body = res.json<ErrorBody>();
      expect(body.error.code, name).toBe('validation_failed');
      expect(
        body.error.details?.map((d) => d.field).some((f) => f.startsWith(field)),
        name,
      ).toBe(true);
    }
    expect((await get('analyst', `/api/reports/${crypto.randomUUID()}/money-trace`)).statusCode).toBe(404);
    expect((await get('taker', `/api/reports/${r.id}/money-trace`)).statusCode).toBe(403);
  });

  describe('amount-bounded measures', () => {
    it('proposes the traced amount held, and a merchant account is frozen only with a review note', async () => {
      const m = card('ICBC');
      const t0 = h.clock.now().getTime();
      const r = await report([{ number: m, amountFen: 5_000_000 }]);
      const onward = card('CCB');
      const heard = await recorded(r.id, key('CCB', onward));
      const answered = await answer(
        r.requests[0]!,
        4_000_000,
        [{ number: onward, amountFen: 2_000_000, at: new Date(t0 - 5 * MIN) }],
        { accountUse: 'merchant' },
      );
      expect(answered.result!.accountUse).toBe('merchant');
      await heard.heard;

      const res = await get('nanming', `/api/stop-payments/${r.requests[0]!.id}/freeze-proposal`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<FreezeProposalView>()).toMatchObject({
        proposedFen: 3_000_000,
        tracedHeldFen: 3_000_000,
        amountInvolvedFen: 5_000_000,
        balanceFen: 4_000_000,
        reviewRequired: true,
        account: { key: key('ICBC', m), accountUse: 'merchant' },
      });

      const body = {
        decisionNumber: '筑公(南)冻字〔2026〕009号',
        amountFen: 3_000_000,
        reason: '涉嫌电信网络诈骗，依法冻结涉案资金',
        appealChannel: '贵阳市公安局南明分局法制大队',
      };
      const refused = await post('nanming', `/api/stop-payments/${r.requests[0]!.id}/freeze`, body);
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json<ErrorBody>().error.details).toEqual([
        expect.objectContaining({ field: 'body.reviewNote', reason: 'review_required' }),
      ]);
      const frozen = await post('nanming', `/api/stop-payments/${r.requests[0]!.id}/freeze`, {
        ...body,
        reviewNote: '商户账户，已核实仅冻结追踪到的涉案金额',
      });
      expect(frozen.statusCode, frozen.body).toBe(200);
    });

    it('a personal account needs no review', async () => {
      const r = await report([{ number: card('ICBC'), amountFen: 800_000 }]);
      await answer(r.requests[0]!, 800_000, [], { accountUse: 'personal' });
      const proposal = (
        await get('analyst', `/api/stop-payments/${r.requests[0]!.id}/freeze-proposal`)
      ).json<FreezeProposalView>();
      expect(proposal).toMatchObject({ proposedFen: 800_000, reviewRequired: false });
      const frozen = await post('nanming', `/api/stop-payments/${r.requests[0]!.id}/freeze`, {
        decisionNumber: '筑公(南)冻字〔2026〕010号',
        amountFen: 800_000,
        reason: '涉嫌电信网络诈骗，依法冻结涉案资金',
        appealChannel: '贵阳市公安局南明分局法制大队',
      });
      expect(frozen.statusCode, frozen.body).toBe(200);
    });
  });
});
