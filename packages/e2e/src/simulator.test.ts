import {
  SignalBatch,
  signalSubjects,
  type Client,
  type CountyTaskList,
  type FundDecisionList,
  type StopPaymentView,
} from '@fanzha/contracts';
import { normalizedLog, startSimulation, type SimEvent, type Simulation } from '@fanzha/simulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi } from './support/session';

/**
 * The simulated province against a real server process, over HTTP only: on PGlite here, and in CI a
 * second time on PostgreSQL and NATS (DATABASE_URL, NATS_URL). Checks the invariants of the money trail
 * and that a seed decides everything.
 */
vi.setConfig({ testTimeout: 300_000 });

const allStatuses = 'pending,sent,acknowledged,stopped,failed,withdrawn';

describe('the simulated province against a real server', () => {
  let server: RunningServer | undefined;
  let admin: Client;
  let checker: Client;
  let auditor: Client;

  beforeAll(async () => {
    const first = bootstrapAdmin();
    server = await startServer({ env: first.env });
    admin = await signInApi(server.url, first.account);
    checker = await signInApi(
      server.url,
      await createAccount(admin, { username: 'checker', displayName: '核对', role: 'supervisor' }),
    );
    auditor = await signInApi(
      server.url,
      await createAccount(admin, { username: 'auditor1', displayName: '审计', role: 'auditor' }),
    );
  });
  afterAll(() => server?.stop());

  /** Every request of every report the run filed, by the simulation's fraud index. */
  async function requestsOf(sim: Simulation): Promise<Map<number, StopPaymentView[]>> {
    const out = new Map<number, StopPaymentView[]>();
    for (const r of sim.world.filedReports) {
      const { requests } = await checker.stopPaymentQueue({
        reportId: r.reportId,
        status: allStatuses,
        limit: 500,
      });
      out.set(r.index, requests);
    }
    return out;
  }

  /** How many times fanzha recorded an action on each object (the audit trail has one entry per change). */
  async function answersRecorded(action = 'stop-payment.answer'): Promise<Map<string, number>> {
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // let the sealer number the entries
    const counts = new Map<string, number>();
    let beforeSeq: number | undefined;
    for (;;) {
      const { entries } = await auditor.listAudit({ action, limit: 500, beforeSeq });
      for (const e of entries.filter((e) => e.result === 'success' && e.objectId))
        counts.set(e.objectId!, (counts.get(e.objectId!) ?? 0) + 1);
      const last = entries.at(-1)?.seq;
      if (entries.length < 500 || !last) return counts;
      beforeSeq = last;
    }
  }

  it('files reports, stops accounts and follows the money: every instruction answered exactly once', async () => {
    const nats = process.env.NATS_URL ? await listenForSignals(process.env.NATS_URL) : undefined;
    const sim = await startSimulation({
      target: server!.url,
      auth: { kind: 'client', admin },
      seed: 2026,
      ratePerMinute: 240,
      durationMs: 10_000,
      pace: 0,
      intake: 'typing',
      // One bank answers everything twice (same key, then a new key): fanzha must apply it once.
      faults: { CCB: { isAnsweringTwice: true } },
      natsUrl: process.env.NATS_URL,
      signalsPerMinute: process.env.NATS_URL ? 60_000 : 0,
      drainTimeoutMs: 120_000,
    });
    const summary = await sim.done;
    expect(summary.errorsByKind).toEqual({});
    expect(summary.unfinished).toBe(0);
    expect(summary.reportsFiled).toBeGreaterThan(20);
    expect(summary.deepestLayer).toBeGreaterThanOrEqual(3);
    expect(summary.accountsStopped).toBeGreaterThan(0);

    // What the simulation put in each account of each case, and what its banks answered.
    const answers = new Map<string, Extract<SimEvent, { type: 'answer' }>>();
    for (const e of sim.world.log) if (e.type === 'answer') answers.set(`${e.fraud}/${e.account}`, e);
    const recorded = await answersRecorded();
    let requests = 0;
    let onwardChecked = 0;
    let frozen = 0;
    const frozenFenOf = new Map<string, number>();
    for (const [index, list] of await requestsOf(sim)) {
      const byId = new Map(list.map((r) => [r.id, r]));
      for (const r of list) {
        requests++;
        // A freeze holds at most the amount involved; what came back, at most what was frozen.
        expect(r.frozenFen).toBeLessThanOrEqual(r.amountFen);
        if (r.freeze) {
          frozen++;
          frozenFenOf.set(r.freeze.id, r.freeze.amountFen);
          expect(r.freeze.amountFen).toBeLessThanOrEqual(r.amountFen);
          expect(r.freeze.amountFen).toBeLessThanOrEqual(r.result!.stoppedFen);
          expect(r.returnedFen).toBeLessThanOrEqual(r.freeze.amountFen);
        } else expect(r.returnedFen).toBe(0);
        // Answered, and exactly once.
        expect(['stopped', 'failed'], `${r.id} is ${r.status}`).toContain(r.status);
        expect(recorded.get(r.id), `answers recorded for ${r.id}`).toBe(1);
        // Never more stopped than the simulation moved into the account.
        const planned = answers.get(`${index}/${r.account.number}`);
        expect(planned, `the simulation knows ${r.account.number}`).toBeDefined();
        expect(r.amountFen).toBe(planned!.amountFen);
        expect(r.result!.stoppedFen).toBe(planned!.stoppedFen);
        expect(r.result!.stoppedFen).toBeLessThanOrEqual(r.amountFen);
        // Every onward transfer became a request one layer deeper, at its own account.
        for (const t of r.result!.onwardTransfers) {
          const child = byId.get(t.childId!);
          expect(child, `request for onward transfer to ${t.account.number}`).toBeDefined();
          expect(child!.parentId).toBe(r.id);
          expect(child!.layer).toBe(r.layer + 1);
          expect(child!.account.number).toBe(t.account.number);
          expect(child!.amountFen).toBe(t.amountFen);
          onwardChecked++;
        }
      }
    }
    expect(requests).toBe(summary.instructionsAnswered);
    expect(onwardChecked).toBeGreaterThan(0);
    expect(summary.duplicateAnswersAbsorbed).toBeGreaterThan(0);

    // After the stop: every task the robots accepted was accepted once, as the audit trail says.
    expect(summary.tasksAnswered).toBeGreaterThan(0);
    const accepts = await answersRecorded('county-task.accept');
    let accepted = 0;
    for (const r of sim.world.filedReports) {
      const { tasks } = await checker.request<CountyTaskList>(
        'GET',
        `/api/county-tasks?reportId=${r.reportId}&status=issued,accepted,contacted,answered,transferred`,
      );
      for (const t of tasks.filter((t) => t.acceptedAt)) {
        accepted++;
        expect(accepts.get(t.id), `accepts recorded for task ${t.id}`).toBe(1);
      }
    }
    expect(accepted).toBe(summary.tasksAccepted);
    expect(frozen).toBe(summary.accountsFrozen);
    expect(frozen).toBeGreaterThan(0);

    // Each return proposed by one robot and approved by another; confirmed ones within the freeze.
    const { decisions } = await checker.request<FundDecisionList>(
      'GET',
      '/api/fund-decisions?status=proposed,approved,rejected,confirmed&limit=500',
    );
    const ours = decisions.filter((d) => frozenFenOf.has(d.freezeId));
    const decided = ours.filter((d) => d.status === 'approved' || d.status === 'confirmed');
    expect(decided.length).toBe(summary.returnsApproved);
    for (const d of decided) {
      expect(d.kind).toBe('return');
      expect(d.decidedBy).toBeTruthy();
      expect(d.decidedBy, `decision ${d.id}`).not.toBe(d.proposedBy);
      expect(d.amountFen).toBeLessThanOrEqual(frozenFenOf.get(d.freezeId)!);
    }
    const confirmed = ours.filter((d) => d.status === 'confirmed');
    expect(confirmed.length).toBe(summary.returnsConfirmed);
    expect(confirmed.length).toBeGreaterThan(0);
    expect(confirmed.reduce((s, d) => s + d.amountFen, 0)).toBe(Math.round(summary.returnedYuan * 100));

    if (nats) {
      const batches = await nats.stop();
      expect(batches.length).toBeGreaterThan(0);
      for (const b of batches) expect(() => SignalBatch.parse(b)).not.toThrow();
    }
  });

  it('gives the same events and outcomes for the same seed and settings', async () => {
    const run = async () => {
      const sim = await startSimulation({
        target: server!.url,
        auth: { kind: 'client', admin },
        seed: 'determinism',
        ratePerMinute: 300,
        durationMs: 6_000,
        pace: 0,
        intake: 'batch',
        drainTimeoutMs: 120_000,
      });
      const summary = await sim.done;
      expect(summary.errors).toBe(0);
      expect(summary.unfinished).toBe(0);
      // fanzha's view, without its own ids: the same accounts, amounts and outcomes per case.
      const outcomes = [...(await requestsOf(sim))].flatMap(([index, list]) =>
        list
          .map((r) =>
            [
              index,
              r.layer,
              r.account.number,
              r.amountFen,
              r.status,
              r.result?.stoppedFen,
              r.result?.failureReason,
              r.result?.onwardTransfers.map((t) => `${t.account.number}:${t.amountFen}`).join(','),
            ].join('|'),
          )
          .sort(),
      );
      return { log: normalizedLog(sim.world.log), outcomes, reports: summary.reportsFiled, summary };
    };
    const first = await run();
    const second = await run();
    expect(first.reports).toBeGreaterThan(10);
    expect(second.log).toEqual(first.log);
    expect(second.outcomes).toEqual(first.outcomes);
    // The case robots' work is in the log too: the same tasks, freezes and returns.
    expect(first.log.filter((e) => e.type === 'freeze').length).toBeGreaterThan(0);
    expect(first.log.filter((e) => e.type === 'task').length).toBeGreaterThan(0);
    expect(second.summary.accountsFrozen).toBe(first.summary.accountsFrozen);
  });
});

/** Collects what the simulated operators publish (CI's NATS pass). */
async function listenForSignals(url: string) {
  const { connect } = await import('@nats-io/transport-node');
  const nc = await connect({ servers: url });
  const batches: unknown[] = [];
  const sub = nc.subscribe(`${signalSubjects.call.split('.')[0]}.>`, {
    callback: (_err, msg) => {
      batches.push(msg.json());
    },
  });
  return {
    stop: async () => {
      sub.unsubscribe();
      await nc.close();
      return batches;
    },
  };
}
