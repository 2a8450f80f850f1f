import {
  findBankByCode,
  freezeEndReminders,
  maskAccountNumber,
  stopLapseReminders,
  type Clock,
} from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { runEvery, type Periodic } from '../../platform/every';
import type { Logger } from '../../platform/logger';
import { LATENCY_BUCKETS, type Metrics } from '../../platform/metrics/metrics';
import type { BankInstructionService } from '../bank-protocol/index';
import { countyTaskDeadlines } from '../county-tasks/index';
import { freezeDeadlines } from '../freezes/index';
import { raiseAlerts, type AlertSpec } from './alerts.raise';
import { legalTimerRepository as repo, type SweepWindows } from './legal-timers.repository';

type Trx = Transaction<DB>;

/**
 * What the sweep asks of the stop-payment module, which owns `stop_payment`: mark stops lapsed exactly at
 * their deadline, and tell everyone how each account stands now.
 */
export interface StopPaymentDeadlines {
  lapse(trx: Trx, stopPaymentIds: string[], now: Date): Promise<void>;
  emitChanged(trx: Trx, stopPaymentIds: string[]): Promise<unknown>;
}

const BATCH = 500;
const hours = (ms: number) => Math.round(ms / 3_600_000);

/**
 * The reminder windows a sweep at `now` looks into. A stop's thresholds nearest first, each window starting
 * where the nearer one ends, so a stop first seen inside 1 h gets only the 1 h reminder; each freeze reminder
 * from now to its threshold.
 */
function windowsAt(now: Date): SweepWindows {
  const at = (ms: number) => new Date(now.getTime() + ms);
  const nearestFirst = [...stopLapseReminders].sort((a, b) => a.beforeMs - b.beforeMs);
  return {
    lapsing: nearestFirst.map((r, i) => ({
      after: i === 0 ? now : at(nearestFirst[i - 1]!.beforeMs),
      until: at(r.beforeMs),
      threshold: r.key,
    })),
    ending: freezeEndReminders.map((r) => ({ after: now, until: at(r.beforeMs), threshold: r.key })),
  };
}

/** "建设银行 6217****1234" — enough for staff to find the account, without the full number. */
const accountLabel = (bankCode: string, number: string) =>
  `${findBankByCode(bankCode)?.nameZh ?? bankCode} ${maskAccountNumber(number)}`;

/**
 * The legal timers: marks emergency stops lapsed at their deadline, ends freezes at theirs, flags
 * overdue returns and county tasks, and raises reminders before each deadline. Every step is
 * idempotent (a flag column or a unique alert), so any number of workers may sweep at once.
 */
export function createLegalTimers(deps: {
  db: Kysely<DB>;
  clock: Clock;
  stopPayments: StopPaymentDeadlines;
  bankInstructions: BankInstructionService;
  wake: () => void;
  metrics: Metrics;
}) {
  const { db, clock } = deps;
  const sweepDuration = deps.metrics.histogram({
    name: 'fanzha_legal_timer_sweep_duration_seconds',
    help: "Time one sweep of the legal timers took (every step's transaction), by outcome (ok, failed)",
    labelNames: ['outcome'],
    buckets: LATENCY_BUCKETS,
  });
  const changes = deps.metrics.counter({
    name: 'fanzha_legal_timer_changes_total',
    help: 'Lapses, ends, overdue flags, reminders and escalations the sweeps made',
  });

  async function lapses(trx: Trx, now: Date): Promise<number> {
    const due = await repo.dueLapses(trx, now, BATCH);
    if (due.length === 0) return 0;
    // Lapsed exactly at the deadline, whenever the sweep notices.
    await deps.stopPayments.lapse(
      trx,
      due.map((d) => d.id),
      now,
    );
    // The bank is told in a signed notice: the stop ended by law, so it lifts it.
    await deps.bankInstructions.issue(
      trx,
      due.map((d) => ({
        kind: 'stop_lapsed' as const,
        bankCode: d.bank_code,
        account: { number: d.account_number, name: d.account_name },
        reportId: d.report_id,
        reportNumber: d.report_number,
        stopPaymentId: d.id,
        fields: {
          stopInstructionId: d.id,
          stoppedAt: d.stopped_at!.toISOString(),
          lapsedAt: d.expires_at!.toISOString(),
        },
      })),
      now,
    );
    await deps.bankInstructions.refreshDeadlines(trx, { stopPaymentIds: due.map((d) => d.id) }, now);
    await raiseAlerts(
      trx,
      clock,
      due.map((d): AlertSpec => ({
        kind: 'stop_lapsed',
        threshold: 'lapsed',
        level: 'escalation',
        object_type: 'stop_payment',
        object_id: d.id,
        report_id: d.report_id,
        county_code: d.owning_county_code,
        message: `紧急止付已到期失效：${accountLabel(d.bank_code, d.account_number)}，未转冻结`,
        due_at: d.expires_at,
      })),
      now,
    );
    await deps.stopPayments.emitChanged(
      trx,
      due.map((d) => d.id),
    );
    return due.length;
  }

  async function lapseReminders(trx: Trx, now: Date): Promise<number> {
    let raised = 0;
    for (const w of windowsAt(now).lapsing) {
      const rows = await repo.lapsingStops(trx, w, BATCH);
      raised += await raiseAlerts(
        trx,
        clock,
        rows.map((d) => ({
          kind: 'stop_lapsing',
          threshold: w.threshold,
          level: 'reminder',
          object_type: 'stop_payment',
          object_id: d.id,
          report_id: d.report_id,
          county_code: d.owning_county_code,
          message: `紧急止付将在${hours(w.until.getTime() - now.getTime())}小时内到期：${accountLabel(d.bank_code, d.account_number)}，请及时转冻结或续止付`,
          due_at: d.expires_at,
        })),
        now,
      );
    }
    return raised;
  }

  async function freezes(trx: Trx, now: Date): Promise<number> {
    const ended = await repo.endedFreezes(trx, now, BATCH);
    if (ended.length > 0) {
      await freezeDeadlines.expire(
        trx,
        ended.map((f) => f.id),
        now,
      );
      await deps.bankInstructions.refreshDeadlines(
        trx,
        { stopPaymentIds: ended.map((f) => f.stop_payment_id) },
        now,
      );
      await raiseAlerts(
        trx,
        clock,
        ended.map((f) => ({
          kind: 'freeze_expired',
          threshold: 'expired',
          level: 'escalation',
          object_type: 'freeze',
          object_id: f.id,
          report_id: f.report_id,
          county_code: f.owning_county_code,
          message: `冻结期限已届满：${accountLabel(f.bank_code, f.account_number)}`,
          due_at: f.ends_at,
        })),
        now,
      );
      await deps.stopPayments.emitChanged(
        trx,
        ended.map((f) => f.stop_payment_id),
      );
    }
    let raised = ended.length;
    for (const w of windowsAt(now).ending) {
      const rows = await repo.endingFreezes(trx, w, BATCH);
      raised += await raiseAlerts(
        trx,
        clock,
        rows.map((f) => ({
          kind: 'freeze_ending',
          threshold: w.threshold,
          level: 'reminder',
          object_type: 'freeze',
          object_id: f.id,
          report_id: f.report_id,
          county_code: f.owning_county_code,
          message: `冻结将于${Math.round((w.until.getTime() - now.getTime()) / 86_400_000)}天内到期：${accountLabel(f.bank_code, f.account_number)}，如需继续请续冻`,
          due_at: f.ends_at,
        })),
        now,
      );
    }
    return raised;
  }

  async function overdueReturns(trx: Trx, now: Date): Promise<number> {
    const rows = await repo.overdueReturns(trx, now, BATCH);
    if (rows.length === 0) return 0;
    await freezeDeadlines.markReturnsOverdue(
      trx,
      rows.map((r) => r.id),
      now,
    );
    return raiseAlerts(
      trx,
      clock,
      rows.map((d) => ({
        kind: 'return_overdue',
        threshold: 'due',
        level: 'escalation',
        object_type: 'fund_decision',
        object_id: d.id,
        report_id: d.report_id,
        county_code: d.owning_county_code,
        message: `资金返还超过3个工作日未获银行确认：¥${(d.amount_fen / 100).toLocaleString('zh-CN')}`,
        due_at: d.due_at,
      })),
      now,
    );
  }

  async function overdueTasks(trx: Trx, now: Date): Promise<number> {
    const rows = await repo.overdueTasks(trx, now, BATCH);
    if (rows.length === 0) return 0;
    await countyTaskDeadlines.markOverdue(
      trx,
      rows.map((r) => r.id),
      now,
    );
    const raised = await raiseAlerts(
      trx,
      clock,
      rows.map((t) => {
        const isAnswerLate = t.due_at <= now;
        return {
          kind: 'task_overdue',
          threshold: isAnswerLate ? 'answer' : 'accept',
          level: 'escalation',
          object_type: 'county_task',
          object_id: t.id,
          report_id: t.report_id,
          county_code: t.county_code,
          message: isAnswerLate ? '属地任务超过24小时未反馈' : '属地任务超过30分钟未签收',
          due_at: isAnswerLate ? t.due_at : t.accept_due_at,
        };
      }),
      now,
    );
    await countyTaskDeadlines.emit(
      trx,
      clock,
      rows.map((r) => r.id),
      now,
    );
    return raised;
  }

  const steps = { lapses, lapseReminders, freezes, overdueReturns, overdueTasks };

  /**
   * One sweep at `now`; returns how many things changed or were raised. One statement asks which steps have
   * anything due; only those run, each in its own transaction (its reads repeated there, under its writes).
   */
  async function sweepOnce(now: Date = clock.now()): Promise<number> {
    // Real time, not the clock: the clock says which deadlines have passed, not how long the work took.
    const timing = sweepDuration.startTimer();
    let changed = 0;
    try {
      const due = await repo.whatIsDue(db, now, windowsAt(now));
      for (const [name, step] of Object.entries(steps))
        if (due[name as keyof typeof steps])
          changed += await db.transaction().execute((trx) => step(trx, now));
    } catch (err) {
      timing({ outcome: 'failed' });
      throw err;
    } finally {
      // Steps that committed before a failure changed things too.
      changes.inc(changed);
    }
    timing({ outcome: 'ok' });
    if (changed > 0) {
      // A lapse notice is an instruction: numbered in its bank's feed before the sweep is done.
      await deps.bankInstructions.afterCommit();
      deps.wake();
    }
    return changed;
  }

  return { sweepOnce };
}
export type LegalTimers = ReturnType<typeof createLegalTimers>;

/** Runs the sweep every `everyMs` in the worker (and in the embedded all-in-one process). */
export function startLegalTimers(timers: LegalTimers, opts: { log: Logger; everyMs: number }): Periodic {
  return runEvery(() => timers.sweepOnce(), { ...opts, what: 'legal timers sweep' });
}
