import {
  appealEffectRetryDelayMs,
  indicatorKindOfLookup,
  roles,
  type AppealEffectKind,
  type Clock,
  type Role,
} from '@fanzha/domain';
import type { Insertable, Kysely } from 'kysely';
import type { AppealEffectTable, DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { AppError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import { usernames } from '../case/index';
import type { CountermeasuresService } from '../countermeasures/index';
import type { FreezesService } from '../freezes/index';
import type { IndicatorDecisions, IndicatorsService } from '../indicators/index';
import { raiseAlerts } from '../legal-timers/index';
import type { TwoCardsService } from '../two-cards/index';
import type { WarningsConsole } from '../warnings/index';
import { appealRepository as repo, type AppealEffectRow, type AppealRow } from './appeals.repository';

export const APPEAL_GRANTED_REASON = 'appeal granted';
type Ctx = AuditContext & { actor: Actor };

export interface EffectDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** Where the holder of a released freeze may appeal further: printed in the release decision. */
  centreName: string;
  indicators: Pick<IndicatorsService, 'lookup'>;
  indicatorDecisions: Pick<IndicatorDecisions, 'clearValue'>;
  countermeasures: Pick<CountermeasuresService, 'onValue' | 'requestLift'>;
  twoCards: Pick<TwoCardsService, 'measuresOfIdNumber' | 'liftMeasure'>;
  freezes: Pick<FreezesService, 'onAccount' | 'propose' | 'approve'>;
  holds: Pick<WarningsConsole, 'holdsOnAccount' | 'releaseHold'>;
  /**
   * Failed attempts of one effect after which the supervisors are told, once
   * (FANZHA_APPEAL_EFFECT_FAILURES_ALERT); the retries go on.
   */
  effectFailuresAlert: number;
  /** Wakes the outbox relay (an alert raised). */
  wake: () => void;
}

/**
 * A freeze's release proposed by the decider alone (no reviewer recommended the grant): the appeal's part is
 * done, the release awaits a second approver in the freezes' own queue (`GET /api/fund-decisions`).
 */
export const RELEASE_PROPOSED = 'release_proposed';

/** The decision number of an appeal's freeze release: how the release is known in the freezes' queue. */
export const releaseDecisionNumber = (reference: string) => `申诉 ${reference}`;

/** The appeal's reference in a release's decision number, if the release is an appeal's. */
export function appealOfDecisionNumber(decisionNumber: string): string | undefined {
  const prefix = releaseDecisionNumber('');
  return decisionNumber.startsWith(prefix) ? decisionNumber.slice(prefix.length) : undefined;
}

/** Whether a second person endorsed the release: the reviewer recommended the grant and is not the decider. */
const releaseEndorsedByReviewer = (r: AppealRow) =>
  r.recommendation === 'grant' && r.reviewed_by !== null && r.reviewed_by !== r.decided_by;

/** A conflict the effect's own module answers: the target is no longer in a state the effect changes. */
const isSettled = (err: unknown) => err instanceof AppError && err.code === 'conflict';

/** A person as an actor for an effect applied on their behalf (a retry runs without their request). */
function actorFor(userId: string, username: string, role: Role, at: Date): Actor {
  return {
    userId,
    username,
    displayName: username,
    role,
    bankCode: null,
    operatorCode: null,
    countyCode: null,
    isDemo: false,
    sessionIdHash: '',
    idleExpiresAt: at,
    expiresAt: at,
  };
}

/**
 * A grant's effects (the things it changes): each recorded with its state, applied idempotently in its own
 * module (through the module's service, audited there), and retried until done.
 */
export function createAppealEffects(deps: EffectDeps) {
  const { db, clock } = deps;

  const reasonOf = (r: AppealRow) => `${APPEAL_GRANTED_REASON} ${r.reference}`;

  /** What a grant will change, as it stands now: one effect per target. */
  async function plan(r: AppealRow, at: Date): Promise<Array<Insertable<AppealEffectTable>>> {
    const targets: Array<{ kind: AppealEffectKind; id: string }> = [];
    switch (r.subject_kind) {
      case 'id_number':
        for (const m of await deps.twoCards.measuresOfIdNumber(r.subject_value))
          if (m.state === 'pending' || m.state === 'in_force')
            targets.push({ kind: 'two_card_measure', id: m.id });
        break;
      case 'freeze':
        for (const f of await deps.freezes.onAccount(r.subject_bank_code!, r.subject_value))
          targets.push({ kind: 'freeze', id: f.id });
        break;
      case 'hold':
        for (const h of await deps.holds.holdsOnAccount(
          r.subject_bank_code!,
          r.subject_value,
          r.contact_phone,
        ))
          targets.push({ kind: 'hold', id: h.episodeId });
        break;
      case 'phone':
      case 'url':
      case 'account': {
        const indicator = await indicatorOf(r);
        if (indicator) targets.push({ kind: 'indicator', id: String(indicator.id) });
        for (const c of await deps.countermeasures.onValue(r.subject_value))
          // Carried out, or still to be: a measure not yet executed is withdrawn (the party must not carry it out).
          if (c.status === 'requested' || c.status === 'acknowledged' || c.status === 'executed')
            targets.push({ kind: 'countermeasure', id: c.id });
      }
    }
    return targets.map((t) => ({
      appeal_id: r.id,
      target: `${t.kind}:${t.id}`,
      kind: t.kind,
      target_id: t.id,
      status: 'pending' as const,
      result: null,
      last_error: null,
      next_attempt_at: at,
      created_at: at,
      updated_at: at,
      done_at: null,
    }));
  }

  async function indicatorOf(r: AppealRow) {
    if (r.subject_kind !== 'phone' && r.subject_kind !== 'url' && r.subject_kind !== 'account') return null;
    try {
      return (
        await deps.indicators.lookup({ kind: indicatorKindOfLookup(r.subject_kind), value: r.subject_value })
      ).indicator;
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return null;
      throw err;
    }
  }

  /** The reviewer who recommended the grant, in whose name a freeze's release is proposed (the decider approves it). */
  async function reviewerOf(r: AppealRow, at: Date): Promise<Actor> {
    const names = await usernames(db, [r.reviewed_by]);
    const role = (roles as readonly string[]).includes(r.reviewed_role ?? '')
      ? (r.reviewed_role as Role)
      : 'analyst';
    return actorFor(r.reviewed_by!, names.get(r.reviewed_by!) ?? r.reviewed_by!, role, at);
  }

  async function deciderOf(r: AppealRow, at: Date): Promise<Actor> {
    const names = await usernames(db, [r.decided_by]);
    return actorFor(r.decided_by!, names.get(r.decided_by!) ?? r.decided_by!, 'supervisor', at);
  }

  /**
   * One effect, once: `done` with what it did, or (for a freeze) the decision it proposed kept as progress.
   * Throws when it failed; a conflict from the target's module means the target is no longer in a state the
   * effect changes (lifted, released or ended otherwise), and is done as `kept`.
   */
  async function apply(
    ctx: Ctx,
    r: AppealRow,
    e: AppealEffectRow,
  ): Promise<{ result: string; done: boolean }> {
    const reason = reasonOf(r);
    try {
      switch (e.kind) {
        case 'indicator': {
          // The appealed value only: one merged into another indicator is detached from it and cleared, so
          // the survivor's own and other values stay as they are.
          const after = await deps.indicatorDecisions.clearValue(ctx, e.target_id, reason);
          return { result: after.status, done: true };
        }
        case 'countermeasure': {
          const after = await deps.countermeasures.requestLift(
            ctx,
            e.target_id,
            reason,
            `appeal:${r.id}:${e.target_id}`,
          );
          return { result: after.status, done: true };
        }
        case 'two_card_measure': {
          const live = (await deps.twoCards.measuresOfIdNumber(r.subject_value)).find(
            (m) => m.id === e.target_id,
          );
          if (!live || (live.state !== 'pending' && live.state !== 'in_force'))
            return { result: 'kept', done: true };
          await deps.twoCards.liftMeasure(ctx, e.target_id, { reason });
          return { result: 'lifted', done: true };
        }
        case 'hold': {
          await deps.holds.releaseHold(ctx, e.target_id, `appeal:${r.id}:hold`);
          return { result: 'released', done: true };
        }
        case 'freeze': {
          // The two approvals of a release are two people who endorsed it: the reviewer who recommended the
          // grant proposes, the decider approves. Without such a reviewer (they recommended denial) the
          // decider proposes and the release waits in the freezes' queue for another approver.
          const endorsed = releaseEndorsedByReviewer(r);
          let decisionId = e.result?.startsWith('proposed:') ? e.result.slice('proposed:'.length) : null;
          if (decisionId === null) {
            const f = (await deps.freezes.onAccount(r.subject_bank_code!, r.subject_value)).find(
              (x) => x.id === e.target_id,
            );
            if (!f) return { result: 'kept', done: true };
            if (f.status !== 'active' || f.releasableFen === 0)
              throw new Error(
                `the freeze is ${f.status} with ${f.releasableFen} fen releasable: tried again later`,
              );
            const proposed = await deps.freezes.propose(
              endorsed ? { ...ctx, actor: await reviewerOf(r, ctx.at) } : ctx,
              e.target_id,
              {
                kind: 'release',
                amountFen: f.releasableFen,
                decisionNumber: releaseDecisionNumber(r.reference),
                reason,
                appealChannel: deps.centreName,
              },
            );
            decisionId = proposed.id;
            await db
              .transaction()
              .execute((trx) =>
                repo.setEffect(trx, r.id, e.target, { result: `proposed:${decisionId}`, updated_at: ctx.at }),
              );
          }
          // No second person endorsed it: another approver decides it in the freezes' queue.
          if (!endorsed) return { result: RELEASE_PROPOSED, done: true };
          try {
            await deps.freezes.approve(ctx, decisionId);
          } catch (err) {
            // Approved already (a retry after the approval's answer was lost): the bank has the release.
            if (!(
              err instanceof AppError &&
              err.code === 'conflict' &&
              /approved|confirmed/.test(err.message)
            ))
              throw err;
          }
          return { result: 'release_approved', done: true };
        }
      }
    } catch (err) {
      if (isSettled(err) && e.kind !== 'freeze') return { result: 'kept', done: true };
      throw err;
    }
  }

  /** Tries one effect (skipped when done, or tried by another process now), recording how it went. */
  async function attempt(ctx: Ctx, r: AppealRow, target: string): Promise<void> {
    const e = await repo.effect(db, r.id, target);
    if (!e) return;
    let outcome: { status: 'done'; result: string } | { status: 'failed'; error: string };
    try {
      const applied = await apply(ctx, r, e);
      outcome = { status: 'done', result: applied.result };
    } catch (err) {
      outcome = { status: 'failed', error: (err instanceof Error ? err.message : String(err)).slice(0, 500) };
    }
    const at = clock.now();
    const alerted = await db.transaction().execute(async (trx) => {
      const attempts = e.attempts + 1;
      await repo.setEffect(
        trx,
        r.id,
        target,
        outcome.status === 'done'
          ? {
              status: 'done',
              result: outcome.result,
              attempts,
              last_error: null,
              next_attempt_at: null,
              done_at: at,
              updated_at: at,
            }
          : {
              status: 'failed',
              attempts,
              last_error: outcome.error,
              next_attempt_at: new Date(at.getTime() + appealEffectRetryDelayMs(attempts)),
              updated_at: at,
            },
      );
      await appendAudit(
        trx,
        auditEntry(ctx, {
          action: 'appeal.effect',
          objectType: 'appeal',
          objectId: r.id,
          result: outcome.status === 'done' ? 'success' : 'failure',
          details: {
            reference: r.reference,
            target,
            attempt: attempts,
            ...(outcome.status === 'done' ? { result: outcome.result } : { error: outcome.error }),
          },
        }),
      );
      // Failing again and again (a module refusing, a bank that never confirms): the supervisors are told once;
      // the retries go on.
      if (outcome.status === 'done' || attempts < deps.effectFailuresAlert) return 0;
      return raiseAlerts(
        trx,
        clock,
        [
          {
            kind: 'task_overdue',
            threshold: `effect_failing:${target}`,
            level: 'escalation',
            object_type: 'appeal',
            object_id: r.id,
            report_id: null,
            county_code: null,
            message: `申诉支持后的执行屡次失败（${attempts}次，仍在重试）：${r.reference} ${target}`,
            due_at: null,
          },
        ],
        at,
      );
    });
    if (alerted > 0) deps.wake();
  }

  /** Applies every effect of a granted appeal not yet done, now, as the decider (`ctx`). */
  async function applyAll(ctx: Ctx, r: AppealRow): Promise<void> {
    for (const e of await repo.effectsOf(db, [r.id]))
      if (e.status !== 'done') await attempt(ctx, r, e.target);
  }

  /**
   * Retries the effects due, as the appeal's decider (the audit says it was the retry). Idle, one indexed
   * statement.
   */
  async function retryOnce(now: Date = clock.now(), limit = 100): Promise<number> {
    if (!(await repo.hasDueEffect(db, now))) return 0;
    const due = await repo.dueEffects(db, now, limit);
    for (const d of due) {
      const r = await repo.get(db, d.appeal_id);
      if (!r || r.status !== 'granted' || !r.decided_by) continue;
      const ctx: Ctx = {
        at: now,
        requestId: null,
        actor: await deciderOf(r, now),
        origin: 'appeal-effect-retry',
      };
      await attempt(ctx, r, d.target);
    }
    return due.length;
  }

  return { plan, indicatorOf, applyAll, retryOnce, deciderOf };
}
export type AppealEffects = ReturnType<typeof createAppealEffects>;
