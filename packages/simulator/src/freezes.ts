import { ApiError, type FundDecisionView, type StopPaymentView } from '@fanzha/contracts';
import { planFreeze, type FreezePlan } from './cases';
import type { ReturnBook } from './returns';
import { asRobot, type Robot } from './session';
import { countError, type SimStats } from './stats';
import type { Limiter, Timers } from './timers';
import type { InstructionPlan, World } from './world';

/**
 * After the stop: the robot case officer converts a stopped account into a freeze (冻结) by decision
 * before the 48-hour lapse, and for some frozen accounts proposes a return to the victim (资金返还); a
 * second robot (the supervisor) approves it — never the proposer. The bank of the account then confirms
 * the return (see bank-returns.ts).
 */
export function createFreezeRobot(deps: {
  officer: Robot;
  approver: Robot;
  world: World;
  timers: Timers;
  stats: SimStats;
  returns: ReturnBook;
  seed: string | number;
  runTag: string;
  pace: number;
  requests: Limiter;
  track: <T>(work: Promise<T>) => void;
}) {
  const { world, timers, stats, requests } = deps;
  const year = new Date().getFullYear();
  const until = (stop: InstructionPlan, at: number) =>
    new Promise<void>((resolve) => timers.at(world.realAt(stop.run, at), resolve));
  const post = <T>(robot: Robot, path: string, body: object) =>
    requests(() => asRobot(robot, (c) => c.request<T>('POST', path, body)));

  async function work(stop: InstructionPlan, plan: FreezePlan): Promise<void> {
    const f = stop.run.fraud;
    const appealChannel = `${f.victim.countyLabel}公安局法制大队（收到决定书之日起五日内可申请复议）`;
    await until(stop, plan.freezeAt);
    const view = await post<StopPaymentView>(
      deps.officer,
      `/api/stop-payments/${stop.instructionId}/freeze`,
      {
        decisionNumber: `黔公反诈冻〔${year}〕${deps.runTag}-${stop.parcel.id}号`,
        amountFen: plan.amountFen,
        reason: '涉嫌电信网络诈骗犯罪，涉案资金依法冻结',
        appealChannel,
      },
    );
    stats.accountsFrozen++;
    stats.frozenFen += plan.amountFen;
    world.record({
      type: 'freeze',
      at: plan.freezeAt,
      fraud: f.index,
      parcel: stop.parcel.id,
      amountFen: plan.amountFen,
    });
    const r = plan.returned;
    if (!r || !view.freeze) return;

    await until(stop, r.proposeAt);
    const id = stop.parcel.id;
    const transfer = f.transfers.find((t) => id === t.parcel.id || id.startsWith(`${t.parcel.id}.`));
    const proposed = await post<FundDecisionView>(deps.officer, `/api/freezes/${view.freeze.id}/decisions`, {
      kind: 'return',
      amountFen: r.amountFen,
      victimAccount: transfer?.victimAccount,
      decisionNumber: `黔公反诈返〔${year}〕${deps.runTag}-${stop.parcel.id}号`,
      reason: '经查明系被害人被骗资金，权属清楚，依法返还被害人',
      appealChannel,
    });
    await until(stop, r.approveAt);
    await post<FundDecisionView>(deps.approver, `/api/fund-decisions/${proposed.id}/approve`, {});
    stats.returnsApproved++;
    deps.returns.expect({
      decisionId: proposed.id,
      bankCode: stop.parcel.account.bankCode,
      stop,
      plan: r,
      isAwaited: !r.isLate || deps.pace === 0,
    });
  }

  return {
    stopped(stop: InstructionPlan): void {
      const plan = planFreeze(
        deps.seed,
        stop.parcel.id,
        stop.answerAt,
        stop.answer.stoppedFen,
        stop.parcel.amountFen,
      );
      if (!plan) return;
      deps.track(
        work(stop, plan).catch((err: unknown) => {
          // A person froze it (or decided on it) first: theirs stands.
          if (err instanceof ApiError && err.status === 409) return;
          countError(stats, 'case_freeze', err);
        }),
      );
    },
  };
}
