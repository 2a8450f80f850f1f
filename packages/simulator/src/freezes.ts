import { ApiError, type ApiClient, type FreezeView, type StopPaymentView } from '@fanzha/contracts';
import { EMERGENCY_STOP_MS } from '@fanzha/domain';
import { accountUseOf } from './bank-answer';
import { decisionFen, planAfterFreeze, planFreeze, planRefreeze, type DecisionPlan } from './cases';
import type { ExpectedMeasure, MeasureBook } from './measures';
import { asRobot, type Robot } from './session';
import { countError, type SimStats } from './stats';
import type { Limiter, Timers } from './timers';
import type { InstructionPlan, Stopped, World } from './world';

/** The run ended while a robot waited: its work ends quietly. */
class RunOver extends Error {}

/**
 * After the stop: the robot case officer converts a stopped account into a freeze (冻结) by decision
 * before the 48-hour lapse, and waits for the bank to confirm it — the freeze takes effect only then, for
 * what the bank could freeze. A freeze the bank could not carry out is sent again before the lapse, or the
 * stop is left to lapse. A freeze in force may be renewed (续冻), and its money returned to the victim
 * (资金返还, with the victim's name, account and bank) or released (解冻): proposed by the officer, approved
 * by a second robot (the supervisor, never the proposer), carried out when the bank confirms it.
 * The robots read every outcome through the API; the measure book only wakes them when a bank has answered.
 */
export function createFreezeRobot(deps: {
  officer: Robot;
  approver: Robot;
  world: World;
  timers: Timers;
  stats: SimStats;
  measures: MeasureBook;
  seed: string | number;
  runTag: string;
  pace: number;
  requests: Limiter;
  track: <T>(work: Promise<T>) => void;
  isLeftToPeople: (bankCode: string) => boolean;
}) {
  const { world, timers, stats, requests, measures } = deps;
  const year = new Date().getFullYear();
  // Measures waited for that the run does not wait for: with people, or confirmed days later.
  const waiting = new Set<ExpectedMeasure>();
  const until = async (stop: InstructionPlan, at: number) => {
    const wait = world.realAt(stop.run, at) - Date.now();
    if (wait > 0) await timers.sleep(wait);
    if (timers.isStopped) throw new RunOver();
  };
  const as = <T>(robot: Robot, call: (client: ApiClient) => Promise<T>) =>
    requests(() => asRobot(robot, call));
  const read = (stop: InstructionPlan) =>
    as(deps.officer, (c) =>
      c.GET('/api/stop-payments/{id}', { params: { path: { id: stop.instructionId } } }),
    );
  const number = (kind: string, stop: InstructionPlan, key: string) =>
    `黔公反诈${kind}〔${year}〕${deps.runTag}-${stop.parcel.id}-${key.split('.')[1]}号`;

  /** Notes the measure for the bank to recognise, and logs the request. */
  function expect(
    stop: InstructionPlan,
    kind: ExpectedMeasure['kind'],
    key: string,
    decisionNumber: string,
    at: number,
    fen: number | null,
  ) {
    const m = measures.expect({
      decisionNumber,
      kind,
      key,
      stop,
      requestedAt: at,
      instructedFen: fen,
    });
    world.record({
      type: 'measure',
      at,
      fraud: stop.run.fraud.index,
      parcel: stop.parcel.id,
      key,
      amountFen: fen,
    });
    return m;
  }

  /**
   * Waits until the bank has answered the measure (`isSettled` on fanzha's view), then gives the view and
   * the simulation time of the answer; undefined when the bank answered and fanzha still shows it pending
   * (the bank's confirmation went wrong: counted there).
   */
  async function awaitBank(
    stop: InstructionPlan,
    m: ExpectedMeasure,
    isSettled: (v: StopPaymentView) => boolean,
  ): Promise<{ view: StopPaymentView; at: number } | undefined> {
    // The bank wakes the robot when it has answered; people and slow banks are looked at now and then.
    const lookEveryMs = deps.pace > 0 ? 60_000 : 10_000;
    waiting.add(m);
    try {
      for (;;) {
        await measures.wait(m.decisionNumber, lookEveryMs, (ms) => timers.sleep(ms));
        if (timers.isStopped) throw new RunOver();
        const view = await read(stop);
        if (isSettled(view)) return { view, at: m.settledAt ?? world.modelAt(stop.run, Date.now()) };
        if (m.settledAt !== undefined) return undefined;
      }
    } finally {
      waiting.delete(m);
      measures.forget(m.decisionNumber);
    }
  }

  /** Freezes until the bank confirms one, or the stop is left to lapse; the freeze in force and since when. */
  async function freeze(
    stop: InstructionPlan,
    stopped: Stopped,
  ): Promise<{ f: FreezeView; at: number } | undefined> {
    const plan = planFreeze(deps.seed, stop.parcel.id, stopped.at, stopped.stoppedFen, stop.parcel.amountFen);
    if (!plan) return undefined;
    const f = stop.run.fraud;
    const lapsesAt = stopped.at + EMERGENCY_STOP_MS;
    let at = plan.freezeAt;
    for (let attempt = 1; ; attempt++) {
      await until(stop, at);
      const key = `freeze.${attempt}`;
      const m = expect(stop, 'freeze', key, number('冻', stop, key), at, plan.amountFen);
      const body = {
        decisionNumber: m.decisionNumber,
        amountFen: plan.amountFen,
        reason: '涉嫌电信网络诈骗犯罪，涉案资金依法冻结',
        appealChannel: appealChannelOf(f.victim.countyLabel),
        // A merchant's account (the bank's word) is frozen only after a review, noted with the decision.
        ...(accountUseOf(deps.seed, stop.parcel.account) === 'merchant'
          ? { reviewNote: '商户收款账户：已核实，仅冻结追踪到的涉案资金' }
          : {}),
      };
      const sent = await as(deps.officer, (c) =>
        c.POST('/api/stop-payments/{id}/freeze', { params: { path: { id: stop.instructionId } }, body }),
      );
      stats.freezesRequested++;
      const id = sent.freeze!.id;
      const done = await awaitBank(stop, m, (v) => v.freeze?.id === id && v.freeze.status !== 'requested');
      const fz = done?.view.freeze;
      if (!done || !fz) return undefined;
      if (fz.status === 'active') {
        stats.accountsFrozen++;
        stats.frozenFen += fz.amountFen;
        if (fz.amountFen < fz.requestedFen) stats.freezesPartial++;
        return { f: fz, at: done.at };
      }
      if (fz.status !== 'failed') return undefined; // people moved it on meanwhile
      stats.freezesFailed++;
      const again = planRefreeze(deps.seed, stop.parcel.id, attempt, done.at, lapsesAt);
      if (again === undefined) {
        stats.leftToLapse++;
        world.record({ type: 'left_to_lapse', at: done.at, fraud: f.index, parcel: stop.parcel.id });
        return undefined;
      }
      stats.refreezes++;
      at = again;
    }
  }

  async function renew(stop: InstructionPlan, fz: FreezeView, at: number): Promise<number> {
    await until(stop, at);
    const key = 'renewal.1';
    const m = expect(stop, 'freeze_renewal', key, number('续冻', stop, key), at, null);
    await as(deps.officer, (c) =>
      c.POST('/api/freezes/{id}/renew', {
        params: { path: { id: fz.id } },
        body: { decisionNumber: m.decisionNumber },
      }),
    );
    const renewal = (v: StopPaymentView) =>
      v.freeze?.renewals.find((r) => r.decisionNumber === m.decisionNumber);
    const done = await awaitBank(stop, m, (v) => renewal(v)?.status !== 'requested');
    if (!done) return at;
    if (renewal(done.view)?.status === 'confirmed') stats.renewalsConfirmed++;
    else stats.renewalsFailed++;
    return done.at;
  }

  /** One release or return, proposed, approved and carried out; false when the chain should end. */
  async function decide(
    stop: InstructionPlan,
    fz: FreezeView,
    d: DecisionPlan,
    n: number,
    from: number,
  ): Promise<{ at: number; isGoingOn: boolean }> {
    const f = stop.run.fraud;
    const proposeAt = from + d.proposeAfterMs;
    await until(stop, proposeAt);
    const current = (await read(stop)).freeze;
    if (!current || current.id !== fz.id || current.status !== 'active')
      return { at: proposeAt, isGoingOn: false };
    const amountFen = decisionFen(d.share, current.amountFen);
    const key = `${d.kind}.${n}`;
    const isReturn = d.kind === 'return';
    const id = stop.parcel.id;
    const transfer = f.transfers.find((t) => id === t.parcel.id || id.startsWith(`${t.parcel.id}.`));
    const body = {
      kind: d.kind,
      amountFen,
      ...(isReturn ? { victimAccount: transfer?.victimAccount, payeeName: f.victim.name } : {}),
      decisionNumber: number(isReturn ? '返' : '解', stop, key),
      reason: isReturn
        ? '经查明系被害人被骗资金，权属清楚，依法返还被害人'
        : '经查明该部分资金与本案无关，依法解除冻结',
      appealChannel: appealChannelOf(f.victim.countyLabel),
    };
    const proposed = await as(deps.officer, (c) =>
      c.POST('/api/freezes/{id}/decisions', { params: { path: { id: fz.id } }, body }),
    );
    const approveAt = proposeAt + d.approveAfterMs;
    await until(stop, approveAt);
    // The instruction goes to the bank on approval: the bank must know it from then on.
    const m = expect(stop, d.kind, key, proposed.decisionNumber, approveAt, amountFen);
    await as(deps.approver, (c) =>
      c.POST('/api/fund-decisions/{id}/approve', { params: { path: { id: proposed.id } }, body: {} }),
    );
    if (isReturn) stats.returnsApproved++;
    else stats.releasesApproved++;
    const decision = (v: StopPaymentView) => v.freeze?.decisions.find((x) => x.id === proposed.id);
    const done = await awaitBank(stop, m, (v) => {
      const s = decision(v)?.status;
      return s === 'confirmed' || s === 'failed';
    });
    const settled = done && decision(done.view);
    if (!done || !settled) return { at: approveAt, isGoingOn: false };
    const executed = settled.executedFen ?? 0;
    if (settled.status === 'failed') {
      if (isReturn) stats.returnsFailed++;
      else stats.releasesFailed++;
      return { at: done.at, isGoingOn: false };
    }
    if (isReturn) {
      stats.returnsConfirmed++;
      stats.returnedFen += executed;
      if (executed < settled.amountFen) stats.returnsPartial++;
    } else {
      stats.releasesConfirmed++;
      stats.releasedFen += executed;
    }
    return { at: done.at, isGoingOn: true };
  }

  async function work(stop: InstructionPlan, stopped: Stopped): Promise<void> {
    const frozen = await freeze(stop, stopped);
    if (!frozen) return;
    const after = planAfterFreeze(deps.seed, stop.parcel.id);
    let at = frozen.at;
    if (after.renewAfterMs !== undefined) at = await renew(stop, frozen.f, at + after.renewAfterMs);
    for (const [i, d] of after.decisions.entries()) {
      const next = await decide(stop, frozen.f, d, i + 1, at);
      if (!next.isGoingOn) return;
      at = next.at;
    }
  }

  return {
    /** Measures waited for that the run need not wait for (with people, or at people's pace). */
    waitingLong(): number {
      let n = 0;
      for (const m of waiting) if (m.isLate || deps.isLeftToPeople(m.stop.parcel.account.bankCode)) n++;
      return n;
    },
    stopped(stop: InstructionPlan, stopped: Stopped): void {
      deps.track(
        work(stop, stopped).catch((err: unknown) => {
          if (err instanceof RunOver) return;
          // A person froze it (or decided on it) first: theirs stands.
          if (err instanceof ApiError && err.status === 409) return;
          countError(stats, 'case_freeze', err);
        }),
      );
    },
  };
}

const appealChannelOf = (countyLabel: string) =>
  `${countyLabel}公安局法制大队（收到决定书之日起五日内可申请复议）`;
