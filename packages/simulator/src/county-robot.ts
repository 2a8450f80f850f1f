import { ApiError, type ApiClient, type CountyTaskView } from '@fanzha/contracts';
import { planCountyTask, type TaskPlan } from './cases';
import { asRobot, type Robot } from './session';
import { countError, type SimStats } from './stats';
import type { Limiter, Timers } from './timers';
import type { FraudRun, World } from './world';

/**
 * The robot county police (属地): works each report's county task as the plan says — accept (签收),
 * record the contact, answer (反馈) with what was done and sometimes a 立案编号, or transfer (移交) it
 * to another county with a reason, or leave it to go overdue. One supervisor account does it for every
 * county (county police may only work their own county's tasks; 88 robot accounts would be too many).
 */
export function createCountyRobot(deps: {
  robot: Robot;
  world: World;
  timers: Timers;
  stats: SimStats;
  seed: string | number;
  requests: Limiter;
  /** Work started and not finished, for the run to wait on. */
  track: <T>(work: Promise<T>) => void;
}) {
  const { robot, world, timers, stats, requests } = deps;
  const year = new Date().getFullYear();
  const until = (run: FraudRun, at: number) =>
    new Promise<void>((resolve) => timers.at(world.realAt(run, at), resolve));
  const as = <T>(call: (client: ApiClient) => Promise<T>) => requests(() => asRobot(robot, call));

  /** The task just issued to `countyCode` for this report (the task's id is fanzha's). */
  async function findTask(run: FraudRun, countyCode: string): Promise<CountyTaskView | undefined> {
    const query = { reportId: run.fraud.reportId, status: 'issued', county: countyCode };
    const { tasks } = await as((c) => c.GET('/api/county-tasks', { params: { query } }));
    return tasks[0];
  }

  const record = (run: FraudRun, plan: TaskPlan, at: number, outcome: 'answered' | 'transferred' | 'left') =>
    world.record({
      type: 'task',
      at,
      fraud: run.fraud.index,
      hop: plan.hop,
      countyCode: plan.countyCode,
      outcome,
      isCaseOpened: outcome === 'answered' && plan.caseSerial !== undefined,
      to: plan.transfer?.countyCode ?? null,
    });

  async function work(run: FraudRun, plan: TaskPlan): Promise<void> {
    if (plan.fate === 'left') {
      stats.tasksLeft++;
      record(run, plan, plan.acceptAt, 'left');
      return;
    }
    await until(run, plan.acceptAt);
    const task = await findTask(run, plan.countyCode);
    if (!task) return; // someone at the console took it first
    const params = { path: { id: task.id } };
    if (plan.transfer) {
      const { countyCode, reason } = plan.transfer;
      await as((c) => c.POST('/api/county-tasks/{id}/transfer', { params, body: { countyCode, reason } }));
      stats.tasksTransferred++;
      record(run, plan, plan.acceptAt, 'transferred');
      return work(run, planCountyTask(deps.seed, run.fraud.index, plan.hop + 1, countyCode, plan.acceptAt));
    }
    await as((c) => c.POST('/api/county-tasks/{id}/accept', { params, body: {} }));
    stats.tasksAccepted++;
    await until(run, plan.contactAt);
    await as((c) => c.POST('/api/county-tasks/{id}/contact', { params, body: { note: '已电话联系被害人' } }));
    await until(run, plan.answerAt);
    const caseNumber = plan.caseSerial ? `A${plan.countyCode}${year}${plan.caseSerial}` : undefined;
    const answer = {
      answer: caseNumber ? `已立案侦查（${caseNumber}）。${plan.answer}` : plan.answer,
      ...(caseNumber ? { caseNumber } : {}),
    };
    await as((c) => c.POST('/api/county-tasks/{id}/answer', { params, body: answer }));
    stats.tasksAnswered++;
    record(run, plan, plan.answerAt, 'answered');
  }

  return {
    filed(run: FraudRun): void {
      const f = run.fraud;
      const plan = planCountyTask(deps.seed, f.index, 0, f.victim.countyCode, f.submitAt);
      deps.track(
        work(run, plan).catch((err: unknown) => {
          // A person at the console moved the task on first: theirs stands.
          if (err instanceof ApiError && (err.status === 409 || err.status === 404)) return;
          countError(stats, 'county_task', err);
        }),
      );
    },
  };
}
