import type { ReportDraftInput, ReportView } from '@fanzha/contracts';
import type { Desk } from './desk';
import type { Fraud } from './scenario';
import { asRobot, withRetry, type Robot } from './session';
import { countError, type SimStats } from './stats';
import { limiter, type Timers } from './timers';
import type { FraudRun, World } from './world';

/**
 * The robot call-taker (接警员). `typing`: a person's pace through the fixed questions — name and phone,
 * then each payment (when, how much, to which account: the account reaches the desk with that save),
 * then the rest, then submit — each step an autosave. `batch`: whole reports, many per request, as a
 * telephony system forwards them (the fast path for load).
 */
export interface CallTaker {
  take(run: FraudRun): void;
  /** Reports accepted for filing and not yet filed. */
  inFlight(): number;
}

const MAX_BATCH = 500;

/** The draft as typed after `stage` saves (0: name and phone; k: k payments; last: everything). */
export function draftAt(
  fraud: Fraud,
  stage: number,
  realIso: (at: number) => string,
): Omit<ReportDraftInput, 'version'> {
  const v = fraud.victim;
  const isComplete = stage > fraud.transfers.length;
  return {
    callAnsweredAt: realIso(fraud.filedAt),
    victim: {
      name: v.name,
      phone: v.phone,
      ...(isComplete ? { idNumber: v.idNumber, countyCode: v.countyCode, address: v.address } : {}),
    },
    transfers: fraud.transfers.slice(0, stage).map((t) => ({
      key: t.key,
      transferredAt: realIso(t.at),
      amountFen: t.amountFen,
      victimAccount: t.victimAccount,
      toAccount: { number: t.parcel.account.number, name: t.parcel.account.name },
    })),
    contacts: isComplete ? fraud.contacts : [],
    narrative: isComplete ? fraud.narrative : '',
    ...(isComplete ? { fraudType: fraud.profile.code } : {}),
  };
}

export function createCallTaker(deps: {
  robot: Robot;
  world: World;
  desk: Desk;
  timers: Timers;
  stats: SimStats;
  mode: 'typing' | 'batch';
  concurrency: number;
}): CallTaker {
  const { robot, world, desk, timers, stats } = deps;
  const requests = limiter(deps.concurrency);
  let inFlight = 0;
  const isoOf = (run: FraudRun) => (at: number) => new Date(world.realAt(run, at)).toISOString();

  const failed = (run: FraudRun, kind: string, err: unknown) => {
    countError(stats, kind, err);
    run.isFiled = true; // nothing more will come of it: do not wait for it
    inFlight--;
  };

  /** Each save that brings a new valid account shows its request id on that transfer. */
  const handOver = (run: FraudRun, view: ReportView, handed: Set<string>) => {
    world.numbered(run, view.number);
    for (const t of view.transfers) {
      const transfer = run.fraud.transfers.find((x) => x.key === t.key);
      if (!transfer || !t.stopPaymentId || handed.has(t.key)) continue;
      handed.add(t.key);
      desk.pushed(run, transfer, t.stopPaymentId);
    }
  };

  async function type(run: FraudRun): Promise<void> {
    const f = run.fraud;
    const handed = new Set<string>();
    let version = 0;
    for (const [stage, at] of f.savesAt.entries()) {
      await new Promise<void>((resolve) => timers.at(world.realAt(run, at), resolve));
      const draft = { ...draftAt(f, stage, isoOf(run)), version };
      const params = { path: { id: f.reportId } };
      const view = await requests(() =>
        asRobot(robot, (c) => c.PUT('/api/reports/{id}', { params, body: draft })),
      );
      version = view.version;
      handOver(run, view, handed);
    }
    await new Promise<void>((resolve) => timers.at(world.realAt(run, f.submitAt), resolve));
    await requests(() =>
      asRobot(robot, (c) =>
        c.POST('/api/reports/{id}/submit', { params: { path: { id: f.reportId } }, body: { version } }),
      ),
    );
    world.filed(run);
    inFlight--;
  }

  const queue: FraudRun[] = [];
  let isFlushScheduled = false;
  async function flush(): Promise<void> {
    isFlushScheduled = false;
    const runs = queue.splice(0, MAX_BATCH);
    if (queue.length > 0) scheduleFlush();
    if (runs.length === 0) return;
    const reports = runs.map((run) => ({
      id: run.fraud.reportId,
      ...draftAt(run.fraud, run.fraud.transfers.length + 1, isoOf(run)),
    }));
    try {
      // Retrying is safe: a report id registered before comes back unchanged.
      const result = await requests(() =>
        withRetry(() => asRobot(robot, (c) => c.POST('/api/reports/batch', { body: { reports } }))),
      );
      runs.forEach((run, i) => {
        const r = result.reports[i]!;
        world.numbered(run, r.number);
        // The request ids come in the order of the report's accounts, which are all different.
        run.fraud.transfers.forEach((t, k) => {
          const id = r.stopPaymentIds[k];
          if (id) desk.pushed(run, t, id);
        });
        world.filed(run);
        inFlight--;
      });
    } catch (err) {
      for (const run of runs) failed(run, 'intake_batch', err);
    }
  }
  function scheduleFlush() {
    if (isFlushScheduled) return;
    isFlushScheduled = true;
    // Collect what arrives within 50 ms into one request.
    timers.at(Date.now() + 50, () => void flush());
  }

  return {
    take(run) {
      inFlight++;
      if (deps.mode === 'batch') {
        queue.push(run);
        if (queue.length >= MAX_BATCH) void flush();
        else scheduleFlush();
        return;
      }
      type(run).catch((err: unknown) => failed(run, 'intake', err));
    },
    inFlight: () => inFlight,
  };
}
