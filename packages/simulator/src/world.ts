import type { InstructionOf } from '@fanzha/contracts';
import { answerDelayMs, planAnswer, type PlannedAnswer } from './bank-answer';
import type { Parcel } from './mules';
import type { Seed } from './rng';
import type { Fraud } from './scenario';
import type { SimStats } from './stats';

/**
 * The simulated province's memory during a run: which fraud each report and instruction belongs to, and
 * what has been decided. Decisions live in simulation time (ms since the start, human speed) and depend
 * only on the seed and the trail — never on when an HTTP answer happened to arrive — so the same seed
 * and settings give the same events. `pace` only maps simulation time onto the wall clock.
 */
export interface FraudRun {
  fraud: Fraud;
  /** Wall clock (epoch ms) when the victim's call was answered. */
  realFiledAt: number;
  reportNumber: string | undefined;
  /** Parcels with an instruction expected or in flight. */
  open: Set<string>;
  /** Parcels answered: a late echo of the parent's answer must not reopen them. */
  done: Set<string>;
  /** Open parcels whose bank is left to people. */
  withPeople: Set<string>;
  isFiled: boolean;
}

export interface InstructionPlan {
  instructionId: string;
  run: FraudRun;
  parcel: Parcel;
  /** Simulation times the instruction is sent and answered. */
  sendAt: number;
  answerAt: number;
  answer: PlannedAnswer;
}

export type SimEvent =
  | {
      type: 'report';
      at: number;
      fraud: number;
      fraudType: string;
      countyCode: string;
      lossFen: number;
      transfers: number;
      gang: number;
    }
  | {
      type: 'answer';
      at: number;
      fraud: number;
      parcel: string;
      layer: number;
      bankCode: string;
      account: string;
      amountFen: number;
      outcome: 'stopped' | 'failed';
      stoppedFen: number;
      failureReason: string | null;
      onward: string[];
    }
  | {
      /** A county task's end as the robots worked it (hop 1: the county it was transferred to). */
      type: 'task';
      at: number;
      fraud: number;
      hop: number;
      countyCode: string;
      outcome: 'answered' | 'transferred' | 'left';
      isCaseOpened: boolean;
      to: string | null;
    }
  | {
      /** A robot officer's request of a measure: a freeze (attempt 1, 2, …), a renewal, a release, a return. */
      type: 'measure';
      at: number;
      fraud: number;
      parcel: string;
      /** `freeze.1`, `return.1`, …: the kind and the attempt. */
      key: string;
      amountFen: number | null;
    }
  | {
      /** A simulated bank's confirmation of a measure, as fanzha accepted it. */
      type: 'confirmation';
      at: number;
      fraud: number;
      parcel: string;
      key: string;
      outcome: string;
      amountFen: number | null;
      failureReason: string | null;
    }
  | {
      /** A robot officer lets a stop lapse after its freeze failed. */
      type: 'left_to_lapse';
      at: number;
      fraud: number;
      parcel: string;
    };

/** An account stopped: when (simulation time) and how much, as the bank answered. */
export interface Stopped {
  at: number;
  stoppedFen: number;
}

/** Who hears of a report filed and of an account stopped (the case robots). */
export interface CaseObserver {
  filed(run: FraudRun): void;
  stopped(plan: InstructionPlan, stopped: Stopped): void;
}

export interface WorldOptions {
  seed: Seed;
  pace: number;
  /** The robot desk sends layer-1 requests at planned times; with people at the desk, when they do. */
  isDeskRobot: boolean;
  slowOf: (bankCode: string) => number;
  /** Banks whose instructions people answer (the demo accounts' banks): the run does not wait for them. */
  isForPeople?: (bankCode: string) => boolean;
  stats: SimStats;
  isKeepingLog: boolean;
  onEvent?: ((e: SimEvent) => void) | undefined;
}

export function createWorld(opts: WorldOptions) {
  const runs = new Map<string, FraudRun>();
  const byNumber = new Map<string, FraudRun>();
  const plans = new Map<string, InstructionPlan>();
  const log: SimEvent[] = [];
  const filedReports: Array<{ index: number; reportId: string }> = [];
  let observer: CaseObserver | undefined;

  const emit = (e: SimEvent) => {
    if (opts.isKeepingLog) log.push(e);
    opts.onEvent?.(e);
  };

  /** Simulation time → wall clock for one fraud: the past as it was, the future at `pace`. */
  function realAt(run: FraudRun, at: number): number {
    const d = at - run.fraud.filedAt;
    return run.realFiledAt + (d <= 0 ? d : d * opts.pace);
  }

  /** Wall clock → simulation time for one fraud (what people did, placed on the simulation's clock). */
  function modelAt(run: FraudRun, real: number): number {
    return opts.pace > 0 ? run.fraud.filedAt + (real - run.realFiledAt) / opts.pace : run.fraud.filedAt;
  }

  function plan(instructionId: string, run: FraudRun, parcel: Parcel, sendAt: number): InstructionPlan {
    const answerAt =
      sendAt +
      answerDelayMs(opts.seed, parcel, parcel.account.bankCode, opts.slowOf(parcel.account.bankCode));
    const p = {
      instructionId,
      run,
      parcel,
      sendAt,
      answerAt,
      answer: planAnswer(opts.seed, parcel, answerAt),
    };
    plans.set(instructionId, p);
    if (!run.done.has(parcel.id)) run.open.add(parcel.id);
    if (isForPeople(parcel)) run.withPeople.add(parcel.id);
    return p;
  }

  const isForPeople = (p: Parcel) => opts.isForPeople?.(p.account.bankCode) ?? false;

  return {
    realAt,
    modelAt,
    plans,
    log,
    /** Adds an event of the case robots to the log. */
    record: emit,
    observe(o: CaseObserver): void {
      observer = o;
    },
    /** Every report filed in the run, by index: kept when the rest is pruned. */
    filedReports,

    begin(fraud: Fraud, realFiledAt: number): FraudRun {
      const run: FraudRun = {
        fraud,
        realFiledAt,
        reportNumber: undefined,
        open: new Set(),
        done: new Set(),
        withPeople: new Set(),
        isFiled: false,
      };
      runs.set(fraud.reportId, run);
      return run;
    },

    /** The report is registered: its number is how banks' instructions name it. */
    numbered(run: FraudRun, number: string): void {
      if (run.reportNumber) return;
      run.reportNumber = number;
      byNumber.set(number, run);
    },

    filed(run: FraudRun): void {
      run.isFiled = true;
      filedReports.push({ index: run.fraud.index, reportId: run.fraud.reportId });
      opts.stats.reportsFiled++;
      opts.stats.lastFiledAt = Date.now();
      opts.stats.lossFen += run.fraud.lossFen;
      const f = run.fraud;
      emit({
        type: 'report',
        at: f.filedAt,
        fraud: f.index,
        fraudType: f.profile.code,
        countyCode: f.victim.countyCode,
        lossFen: f.lossFen,
        transfers: f.transfers.length,
        gang: f.gang,
      });
      observer?.filed(run);
    },

    /** The robot desk will send this transfer's request: the run is not over until it is answered. */
    expect(run: FraudRun, parcel: Parcel): void {
      run.open.add(parcel.id);
      if (isForPeople(parcel)) run.withPeople.add(parcel.id);
    },

    /** A request that will never come (its sending failed): stop waiting for it. */
    abandon(run: FraudRun, parcel: Parcel): void {
      run.open.delete(parcel.id);
      run.withPeople.delete(parcel.id);
    },

    /**
     * Which parcel of which fraud an instruction is about, and the answer it will get; undefined for an
     * instruction no simulated fraud explains (or not yet: its report number is still on its way).
     */
    resolve(item: InstructionOf<'emergency_stop_payment'>): InstructionPlan | undefined {
      const known = plans.get(item.instructionId);
      if (known) return known;
      if (item.parentInstructionId === null) {
        const run = byNumber.get(item.reportNumber);
        const transfer = run?.fraud.transfers.find((t) => t.parcel.account.number === item.account.number);
        if (!run || !transfer) return undefined;
        const sendAt = opts.isDeskRobot
          ? transfer.sendAt
          : Math.max(transfer.sendAt, modelAt(run, Date.parse(item.issuedAt)));
        return plan(item.instructionId, run, transfer.parcel, sendAt);
      }
      const parent = plans.get(item.parentInstructionId);
      const child = parent?.answer.onward.find(
        (p) => p.account.number === item.account.number && p.amountFen === item.amountFen,
      );
      // The cascade sends the next layer the moment the parent's answer is recorded.
      return parent && child ? plan(item.instructionId, parent.run, child, parent.answerAt) : undefined;
    },

    isAnswered: (p: InstructionPlan) => p.run.done.has(p.parcel.id),

    /**
     * The bank's answer was accepted (or someone else's was): the money trail moves on. A person's answer
     * (`people`, at a bank left to people) is not the plan's, but what they stopped is frozen all the same.
     */
    answered(p: InstructionPlan, how: 'ours' | 'elsewhere' | 'error' | 'people', byPeople?: Stopped): void {
      if (p.run.done.has(p.parcel.id)) return;
      p.run.open.delete(p.parcel.id);
      p.run.withPeople.delete(p.parcel.id);
      p.run.done.add(p.parcel.id);
      if (how === 'people' && byPeople && byPeople.stoppedFen > 0) observer?.stopped(p, byPeople);
      if (how !== 'ours') return;
      const a = p.answer;
      const s = opts.stats;
      if (a.outcome === 'stopped') s.stopped++;
      else s.failed++;
      if (a.stoppedFen > 0) s.accountsStopped++;
      s.stoppedFen += a.stoppedFen;
      s.answersByLayer[p.parcel.layer - 1] = (s.answersByLayer[p.parcel.layer - 1] ?? 0) + 1;
      for (const child of a.onward)
        if (!p.run.done.has(child.id)) {
          p.run.open.add(child.id);
          if (isForPeople(child)) p.run.withPeople.add(child.id);
        }
      emit({
        type: 'answer',
        at: p.answerAt,
        fraud: p.run.fraud.index,
        parcel: p.parcel.id,
        layer: p.parcel.layer,
        bankCode: p.parcel.account.bankCode,
        account: p.parcel.account.number,
        amountFen: p.parcel.amountFen,
        outcome: a.outcome,
        stoppedFen: a.stoppedFen,
        failureReason: a.failureReason ?? null,
        onward: a.onward.map((c) => c.id),
      });
      if (a.stoppedFen > 0) observer?.stopped(p, { at: p.answerAt, stoppedFen: a.stoppedFen });
    },

    /** What is still open, for diagnosis: `f12.t0.1` and whether its instruction was seen. */
    openParcels(): Array<{ parcel: string; isSeen: boolean }> {
      const seen = new Set([...plans.values()].map((p) => p.parcel.id));
      return [...runs.values()].flatMap((r) =>
        [...r.open].map((parcel) => ({ parcel, isSeen: seen.has(parcel) })),
      );
    },

    /** Work still expected of the robots: requests to send or answer, reports still being typed. */
    openCount(): number {
      let n = 0;
      for (const run of runs.values()) {
        n += run.isFiled ? 0 : 1;
        for (const id of run.open) if (!run.withPeople.has(id)) n++;
      }
      return n;
    },

    /** Instructions waiting for people at the banks left to them. */
    withPeopleCount(): number {
      let n = 0;
      for (const run of runs.values()) for (const id of run.open) if (run.withPeople.has(id)) n++;
      return n;
    },

    /**
     * Forgets finished frauds so a demo can run for days: a fraud whose every request is answered keeps
     * only its line in `filed`. With people at the desk a request may still be sent hours later.
     */
    prune(nowReal: number): void {
      for (const [id, run] of runs) {
        if (!run.isFiled) continue;
        // People may answer hours later; after six hours what they left is theirs alone.
        const isOld = nowReal - run.realFiledAt >= 6 * 3_600_000;
        const isWithPeopleOnly = [...run.open].every((id) => run.withPeople.has(id));
        if (run.open.size > 0 && !(isOld && isWithPeopleOnly)) continue;
        if (!opts.isDeskRobot && !isOld) continue;
        runs.delete(id);
        if (run.reportNumber) byNumber.delete(run.reportNumber);
      }
      for (const [id, p] of plans) if (!runs.has(p.run.fraud.reportId)) plans.delete(id);
    },
  };
}
export type World = ReturnType<typeof createWorld>;

/** The log in a stable order: what the determinism test compares between two runs. */
export function normalizedLog(log: readonly SimEvent[]): SimEvent[] {
  const key = (e: SimEvent) =>
    e.type === 'report'
      ? `${e.fraud}`
      : e.type === 'task'
        ? `f${e.fraud}.h${e.hop}`
        : e.type === 'measure' || e.type === 'confirmation'
          ? `${e.parcel}.${e.key}`
          : e.parcel;
  return [...log].sort((a, b) => a.at - b.at || a.type.localeCompare(b.type) || key(a).localeCompare(key(b)));
}
