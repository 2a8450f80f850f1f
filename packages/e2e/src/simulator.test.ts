import {
  SignalBatch,
  signalSubjects,
  type AuditEntryView,
  type ApiClient,
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
  let admin: ApiClient;
  let checker: ApiClient;
  let auditor: ApiClient;

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
      const { requests } = await checker.GET('/api/stop-payments', {
        params: {
          query: {
            reportId: r.reportId,
            status: allStatuses,
            limit: 500,
          },
        },
      });
      out.set(r.index, requests);
    }
    return out;
  }

  /** What fanzha recorded of an action, as the audit trail has it: one entry per change. */
  async function audited(action: string): Promise<AuditEntryView[]> {
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // let the sealer number the entries
    const out: AuditEntryView[] = [];
    let beforeSeq: number | undefined;
    for (;;) {
      const { entries } = await auditor.GET('/api/audit', {
        params: { query: { action, limit: 500, beforeSeq } },
      });
      out.push(...entries.filter((e) => e.result === 'success' && e.objectId));
      const last = entries.at(-1)?.seq;
      if (entries.length < 500 || !last) return out;
      beforeSeq = last;
    }
  }

  /** How many times fanzha recorded an action on each object. */
  async function answersRecorded(action = 'stop-payment.answer'): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const e of await audited(action)) counts.set(e.objectId!, (counts.get(e.objectId!) ?? 0) + 1);
    return counts;
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
      // One bank is left to people (as the demo leaves the demo accounts' banks): no robot answers it.
      banksForPeople: ['ICBC'],
      natsUrl: process.env.NATS_URL,
      signalsPerMinute: process.env.NATS_URL ? 60_000 : 0,
      // A robot analyst requests countermeasures (the seed's first refusals come some twenty requests in, and
      // the server is busy: hence the rate), the operators' and banks' systems answer them; citizens and banks
      // look values up.
      countermeasuresPerMinute: 900,
      lookupsPerMinute: 20,
      payeeChecksPerMinute: 30,
      drainTimeoutMs: 120_000,
    });
    const summary = await sim.done;
    expect(summary.errorsByKind).toEqual({});
    expect(summary.unfinished).toBe(0);
    expect(summary.caseWorkOpen).toBe(0);
    expect(summary.reportsFiled).toBeGreaterThan(20);
    expect(summary.deepestLayer).toBeGreaterThanOrEqual(3);
    expect(summary.accountsStopped).toBeGreaterThan(0);

    // What the simulation put in each account of each case, and what its banks answered.
    const answers = new Map<string, Extract<SimEvent, { type: 'answer' }>>();
    for (const e of sim.world.log) if (e.type === 'answer') answers.set(`${e.fraud}/${e.account}`, e);
    const recorded = await answersRecorded();
    let requests = 0;
    let leftToPeople = 0;
    let onwardChecked = 0;
    const freezes = new Map<string, NonNullable<StopPaymentView['freeze']>>();
    for (const [index, list] of await requestsOf(sim)) {
      const byId = new Map(list.map((r) => [r.id, r]));
      for (const r of list) {
        if (r.account.bankCode === 'ICBC') {
          // Waiting for a person at the bank's console: no robot touched it.
          expect(r.status, `${r.id} at a bank left to people`).toBe('sent');
          expect(recorded.get(r.id)).toBeUndefined();
          leftToPeople++;
          continue;
        }
        requests++;
        // Answered, and exactly once.
        expect(['stopped', 'failed'], `${r.id} is ${r.status}`).toContain(r.status);
        expect(recorded.get(r.id), `answers recorded for ${r.id}`).toBe(1);
        // Never more stopped than the simulation moved into the account.
        const planned = answers.get(`${index}/${r.account.number}`);
        expect(planned, `the simulation knows ${r.account.number}`).toBeDefined();
        expect(r.amountFen).toBe(planned!.amountFen);
        expect(r.result!.stoppedFen).toBe(planned!.stoppedFen);
        expect(r.result!.stoppedFen).toBeLessThanOrEqual(r.amountFen);
        // What is frozen now and what went back never exceed what was stopped.
        expect(r.frozenFen + r.returnedFen).toBeLessThanOrEqual(r.result!.stoppedFen);
        if (r.freeze) {
          freezes.set(r.freeze.id, r.freeze);
          // Every freeze the robots decided ends confirmed or failed: none still waits for its bank.
          expect(r.freeze.status, `freeze ${r.freeze.id}`).not.toBe('requested');
          expect(r.freeze.amountFen).toBeLessThanOrEqual(r.freeze.requestedFen);
          expect(r.freeze.requestedFen).toBeLessThanOrEqual(r.result!.stoppedFen);
          for (const renewal of r.freeze.renewals) expect(renewal.status).not.toBe('requested');
        } else expect(r.returnedFen).toBe(0);
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
    expect(leftToPeople).toBe(summary.withPeople);
    expect(leftToPeople).toBeGreaterThan(0);
    expect(onwardChecked).toBeGreaterThan(0);
    expect(summary.duplicateAnswersAbsorbed).toBeGreaterThan(0);

    // Countermeasures: every one the run asked of a simulated party was answered (the drain waited for it),
    // some executed and some refused; only those at the bank left to people still wait.
    expect(summary.countermeasuresRequested).toBeGreaterThan(10);
    const figures = await checker.GET('/api/countermeasures/figures');
    const total = (f: 'executed' | 'refused') => figures.parties.reduce((s, p) => s + p[f], 0);
    expect(total('executed')).toBeGreaterThan(0);
    expect(total('refused')).toBeGreaterThan(0);
    expect(figures.parties.filter((p) => p.open > 0).map((p) => p.partyCode)).toEqual(
      figures.parties.some((p) => p.partyCode === 'ICBC' && p.open > 0) ? ['ICBC'] : [],
    );
    expect(summary.countermeasureAnswers['executed']).toBeGreaterThan(0);
    expect(summary.countermeasureAnswers['refused']).toBeGreaterThan(0);
    // The wall's 关停涉诈号码 counts the numbers shut today.
    const wall = await checker.GET('/api/wall/summary');
    expect(wall.today.blockedNumbers).toBeGreaterThan(0);
    // Citizens' lookups and banks' payee checks were answered (a level each).
    const looked = (prefix: string) =>
      Object.entries(summary.lookups)
        .filter(([k]) => k.startsWith(prefix) && !k.endsWith('rate_limited'))
        .reduce((s, [, n]) => s + n, 0);
    expect(looked('public:')).toBeGreaterThan(0);
    expect(looked('payee:')).toBeGreaterThan(0);

    // After the stop: every task the robots accepted was accepted once, as the audit trail says.
    expect(summary.tasksAnswered).toBeGreaterThan(0);
    const accepts = await answersRecorded('county-task.accept');
    let accepted = 0;
    for (const r of sim.world.filedReports) {
      const { tasks } = await checker.GET('/api/county-tasks', {
        params: {
          query: { reportId: r.reportId, status: 'issued,accepted,contacted,answered,transferred' },
        },
      });
      for (const t of tasks.filter((t) => t.acceptedAt)) {
        accepted++;
        expect(accepts.get(t.id), `accepts recorded for task ${t.id}`).toBe(1);
      }
    }
    expect(accepted).toBe(summary.tasksAccepted);

    // Every measure sent to a bank was confirmed (or failed) by it exactly once, whatever the bank resent.
    const confirmations = await audited('bank-instruction.confirm');
    const confirmedTimes = new Map<string, number>();
    for (const e of confirmations)
      confirmedTimes.set(e.objectId!, (confirmedTimes.get(e.objectId!) ?? 0) + 1);
    for (const [id, n] of confirmedTimes) expect(n, `confirmations of instruction ${id}`).toBe(1);
    const freezesSent = await audited('freeze.create');
    expect(freezesSent.length).toBe(summary.freezesRequested);
    for (const f of freezesSent) expect(confirmedTimes.get(f.objectId!), `freeze ${f.objectId}`).toBe(1);
    const outcomes = (kind: string, outcome: string) =>
      confirmations.filter((e) => e.details['kind'] === kind && e.details['outcome'] === outcome).length;
    expect(outcomes('freeze', 'frozen')).toBe(summary.accountsFrozen);
    expect(outcomes('freeze', 'failed')).toBe(summary.freezesFailed);
    // The seed's run has every kind of confirmation: freezes in part and failed (and sent again), renewals.
    expect(summary.accountsFrozen).toBeGreaterThan(0);
    expect(summary.freezesPartial).toBeGreaterThan(0);
    expect(summary.freezesFailed).toBeGreaterThan(0);
    expect(summary.refreezes + summary.leftToLapse).toBe(summary.freezesFailed);
    expect(summary.renewalsConfirmed).toBeGreaterThan(0);
    expect(outcomes('freeze_renewal', 'renewed')).toBe(summary.renewalsConfirmed);
    // The last freeze of each account: confirmed (then perhaps released or returned), or failed and left to lapse.
    const lastFailed = [...freezes.values()].filter((f) => f.status === 'failed');
    expect(freezes.size - lastFailed.length).toBe(summary.accountsFrozen);
    expect(lastFailed.length).toBe(summary.leftToLapse);
    expect(summary.confirmedForPeople).toBe(0);

    // Each release and return proposed by one robot and approved by another, carried out by the bank.
    const { decisions } = await checker.GET('/api/fund-decisions', {
      params: { query: { status: 'proposed,approved,rejected,confirmed,failed', limit: 500 } },
    });
    const ours = decisions.filter((d) => freezes.has(d.freezeId));
    for (const d of ours) {
      expect(['confirmed', 'failed'], `decision ${d.id} is ${d.status}`).toContain(d.status);
      expect(d.decidedBy, `decision ${d.id}`).not.toBe(d.proposedBy);
      expect(confirmedTimes.get(d.id), `decision ${d.id}`).toBe(1);
      if (d.kind === 'return') {
        // The payee the bank needs for a cross-bank return: the victim's name, account and bank.
        expect(d.payee?.name).toBeTruthy();
        expect(d.payee?.account).toBe(d.victimAccount);
        expect(d.payee?.bankCode).toBeTruthy();
      } else expect(d.payee).toBeNull();
      if (d.status === 'confirmed') expect(d.executedFen!).toBeLessThanOrEqual(d.amountFen);
      else expect(d.failureReason).toBeTruthy();
    }
    const returns = ours.filter((d) => d.kind === 'return');
    const releases = ours.filter((d) => d.kind === 'release');
    expect(returns.length).toBe(summary.returnsApproved);
    expect(releases.length).toBe(summary.releasesApproved);
    const confirmed = returns.filter((d) => d.status === 'confirmed');
    expect(confirmed.length).toBe(summary.returnsConfirmed);
    expect(confirmed.length).toBeGreaterThan(0);
    expect(confirmed.reduce((s, d) => s + d.executedFen!, 0)).toBe(Math.round(summary.returnedYuan * 100));
    expect(returns.filter((d) => d.status === 'failed').length).toBe(summary.returnsFailed);
    expect(returns.filter((d) => d.status === 'failed').length).toBeGreaterThan(0);
    expect(releases.filter((d) => d.status === 'confirmed').length).toBe(summary.releasesConfirmed);
    expect(summary.releasesConfirmed).toBeGreaterThan(0);

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
      // fanzha's view, without its own ids: the same accounts, amounts, outcomes and measures per case
      // (sorted as a whole: the order reports were filed in is the order HTTP answers came back in).
      const outcomes = [...(await requestsOf(sim))]
        .flatMap(([index, list]) =>
          list.map((r) =>
            [
              index,
              r.layer,
              r.account.number,
              r.amountFen,
              r.status,
              r.result?.stoppedFen,
              r.result?.failureReason,
              r.result?.onwardTransfers.map((t) => `${t.account.number}:${t.amountFen}`).join(','),
              r.freeze?.status,
              r.freeze?.requestedFen,
              r.frozenFen,
              r.returnedFen,
              r.freeze?.decisions
                .map((d) => `${d.kind}:${d.status}:${d.amountFen}:${d.executedFen}`)
                .join(','),
            ].join('|'),
          ),
        )
        .sort();
      return { log: normalizedLog(sim.world.log), outcomes, reports: summary.reportsFiled, summary };
    };
    const first = await run();
    const second = await run();
    expect(first.reports).toBeGreaterThan(10);
    expect(second.log).toEqual(first.log);
    expect(second.outcomes).toEqual(first.outcomes);
    // The case robots' work is in the log too, and the banks' confirmations: the same tasks, freezes,
    // renewals, returns and releases, confirmed in full, in part or failed alike.
    expect(first.log.filter((e) => e.type === 'measure').length).toBeGreaterThan(0);
    expect(first.log.filter((e) => e.type === 'confirmation').length).toBeGreaterThan(0);
    expect(first.log.filter((e) => e.type === 'task').length).toBeGreaterThan(0);
    expect(second.summary.accountsFrozen).toBe(first.summary.accountsFrozen);
    expect(second.summary.returnedYuan).toBe(first.summary.returnedYuan);
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
