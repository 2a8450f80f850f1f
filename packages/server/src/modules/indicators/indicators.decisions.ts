import { randomUUID } from 'node:crypto';
import type {
  IndicatorDecisionRequest,
  IndicatorHistory,
  IndicatorMergeRequest,
  IndicatorReassignedRequest,
  IndicatorReassignedResult,
  IndicatorView,
} from '@fanzha/contracts';
import {
  addToScore,
  decideIndicator,
  emptyScore,
  indicatorDecisionTable,
  indicatorScoreRules,
  nextRegradeAt,
  normalisePhone,
  riskLevelOfScore,
  scoreAt,
  sourceWeight,
  type Clock,
  type IndicatorDecisionAction,
  type IndicatorStatus,
} from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { newEvent } from '../../platform/events';
import { AppError, validationError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry } from '../audit/index';
import { registryRepository, type IndicatorDecisionRow } from './indicator-registry.repository';
import { toSnapshot } from './indicators.consumer';
import { indicatorQueries, indicatorWrites, type IndicatorRow } from './indicators.repository';
import { toIndicatorView } from './indicators.service';

export interface DecisionContext {
  at: Date;
  requestId: string | null;
  actor: Actor;
}

export interface DecisionDeps {
  db: Kysely<DB>;
  clock: Clock;
  halfLifeDays?: number;
  wake: () => void;
}

const HISTORY_SHOWN = 200;

const notFound = () => new AppError('not_found', 'No such indicator');

/** The indicator's number as the path gives it: a positive whole number. */
export function indicatorIdOf(id: string): number {
  if (!/^[1-9]\d{0,14}$/.test(id))
    throw validationError([
      {
        field: 'params.id',
        reason: 'indicators.id',
        message: 'An indicator’s number is a positive whole number',
      },
    ]);
  return Number(id);
}

/**
 * The decisions on indicators (研判) and their history. Each decision is one transaction: the indicator
 * locked, the status changed as the decision table allows, the decision recorded in its history, the audit
 * entry and an `indicator.changed` through the outbox (screening's matcher drops an indicator no longer
 * active and takes one back that is). Taking a decision again changes nothing and answers as it stands.
 */
export function createIndicatorDecisions(deps: DecisionDeps) {
  const halfLife = deps.halfLifeDays ?? indicatorScoreRules.defaultHalfLifeDays;
  const nameOf = (a: Actor) => (a.signalSource ? `${a.signalSource} (system)` : a.displayName || a.username);

  async function record(
    trx: Transaction<DB>,
    ctx: DecisionContext,
    before: IndicatorRow,
    after: IndicatorRow,
    action: IndicatorDecisionRow['action'],
    reason: string,
    extra: { other?: number; operator?: string } = {},
  ) {
    await registryRepository.insertDecisions(trx, [
      {
        id: randomUUID(),
        indicator_id: before.id,
        action,
        from_status: before.status,
        to_status: after.status,
        reason,
        other_indicator_id: extra.other ?? null,
        actor_user_id:
          ctx.actor.answerKeyPem === undefined && !ctx.actor.signalSource ? ctx.actor.userId : null,
        actor_name: nameOf(ctx.actor),
        operator_code: extra.operator ?? null,
        decided_at: ctx.at,
      },
    ]);
    if (before.status !== after.status) {
      const tally = new Map<IndicatorStatus, number>([[before.status, -1]]);
      tally.set(after.status, (tally.get(after.status) ?? 0) + 1);
      await indicatorWrites.addToTally(trx, tally);
    }
  }

  async function audit(
    trx: Transaction<DB>,
    ctx: DecisionContext,
    action: string,
    id: number,
    details: object,
  ) {
    await appendAudit(
      trx,
      auditEntry(ctx, {
        action,
        objectType: 'indicator',
        objectId: String(id),
        result: 'success',
        details: { ...details },
      }),
    );
  }

  /**
   * One status decision on a locked indicator; null when it was so already. A decision its status does not
   * allow is refused naming the request's field that asked it: an analyst's `body.action`, or the
   * `body.number` an operator reports reassigned (its request has no action).
   */
  async function apply(
    trx: Transaction<DB>,
    ctx: DecisionContext,
    row: IndicatorRow,
    action: IndicatorDecisionAction,
    reason: string,
    operator?: string,
  ): Promise<IndicatorRow | null> {
    const outcome = decideIndicator(row.status, action);
    if (outcome.kind === 'unchanged') return null;
    if (outcome.kind === 'refused')
      throw new AppError(
        'conflict',
        outcome.reason,
        operator === undefined
          ? [{ field: 'body.action', reason: 'indicators.transition', message: outcome.reason }]
          : [
              {
                field: 'body.number',
                reason: 'indicators.transition',
                message: `the number's indicator is ${row.status}: ${outcome.reason}`,
              },
            ],
      );
    const after = await registryRepository.setStatus(trx, { id: row.id, status: outcome.to }, ctx.at);
    await decided(trx, ctx, row, after, action, reason, operator ? { operator } : {});
    return after;
  }

  /**
   * A status decision taken: in the indicator's history, the audit trail (naming the operator that asked, and
   * the survivor a merged value was detached from) and an `indicator.changed`, in its transaction.
   */
  async function decided(
    trx: Transaction<DB>,
    ctx: DecisionContext,
    before: IndicatorRow,
    after: IndicatorRow,
    action: IndicatorDecisionAction,
    reason: string,
    extra: { operator?: string; detachedFrom?: number },
  ) {
    const { operator, detachedFrom } = extra;
    await record(trx, ctx, before, after, action, reason, {
      ...(detachedFrom === undefined ? {} : { other: detachedFrom }),
      ...(operator ? { operator } : {}),
    });
    await audit(trx, ctx, action === 'reassigned' ? 'indicator.reassigned' : 'indicator.decide', before.id, {
      decision: action,
      from: before.status,
      to: after.status,
      reason,
      ...(operator ? { operator } : {}),
      ...(detachedFrom === undefined ? {} : { detachedFrom }),
    });
    await enqueue(trx, newEvent('indicator.changed', toSnapshot(after), deps.clock));
  }

  /**
   * A decision on one value merged into another indicator (a granted appeal clears it, an operator reports it
   * reassigned): the value alone is detached from its survivor and takes the decision's status — its row no
   * longer names the survivor, its history records the decision from `merged` naming the survivor. The
   * survivor, its own value and its other merged values answer as before: the decision is about this value.
   */
  async function detach(
    trx: Transaction<DB>,
    ctx: DecisionContext,
    row: IndicatorRow,
    action: 'not_fraud' | 'reassigned',
    reason: string,
    operator?: string,
  ): Promise<IndicatorRow> {
    const survivor = row.merged_into;
    const after = await registryRepository.setStatus(
      trx,
      { id: row.id, status: indicatorDecisionTable[action].to, mergedInto: null },
      ctx.at,
    );
    await decided(trx, ctx, row, after, action, reason, {
      ...(operator ? { operator } : {}),
      ...(survivor === null ? {} : { detachedFrom: survivor }),
    });
    return after;
  }

  const lockOne = async (trx: Transaction<DB>, id: number) => {
    const [row] = await indicatorWrites.lockByIds(trx, [id]);
    if (!row) throw notFound();
    return row;
  };

  /** The survivor's counters and score, recomputed from the sources it now has. */
  async function recount(trx: Transaction<DB>, survivor: IndicatorRow, merged: IndicatorRow, now: Date) {
    const facts = await registryRepository.sourceFacts(trx, survivor.id).execute();
    let score = emptyScore;
    let reportCount = 0;
    let answerCount = 0;
    let lossFen = 0;
    let lastReportedAt: Date | null = null;
    let firstSeenAt =
      survivor.first_seen_at < merged.first_seen_at ? survivor.first_seen_at : merged.first_seen_at;
    let lastSeenAt =
      survivor.last_seen_at > merged.last_seen_at ? survivor.last_seen_at : merged.last_seen_at;
    for (const f of facts) {
      const loss = Number(f.loss_fen);
      score = addToScore(score, sourceWeight({ kind: f.source_kind, lossFen: loss }), f.seen_at, halfLife);
      if (f.source_kind === 'report') {
        reportCount += 1;
        lossFen += loss;
        if (!lastReportedAt || f.seen_at > lastReportedAt) lastReportedAt = f.seen_at;
      } else answerCount += 1;
      if (f.seen_at < firstSeenAt) firstSeenAt = f.seen_at;
      if (f.seen_at > lastSeenAt) lastSeenAt = f.seen_at;
    }
    return registryRepository.saveRecount(
      trx,
      {
        id: survivor.id,
        reportCount,
        answerCount,
        lossFen,
        firstSeenAt,
        lastSeenAt,
        lastReportedAt,
        hitCount: survivor.hit_count + merged.hit_count,
        riskLevel: riskLevelOfScore(scoreAt(score, now, halfLife)),
        riskScore: score.score,
        scoredAt: score.at,
        regradeAt: nextRegradeAt(score, halfLife),
      },
      now,
    );
  }

  return {
    /** An analyst's decision: not fraud, shared, unshared, reinstated. */
    async decide(ctx: DecisionContext, id: string, body: IndicatorDecisionRequest): Promise<IndicatorView> {
      const indicatorId = indicatorIdOf(id);
      const { row, after } = await deps.db.transaction().execute(async (trx) => {
        const row = await lockOne(trx, indicatorId);
        return { row, after: await apply(trx, ctx, row, body.action, body.reason) };
      });
      if (after) deps.wake();
      return toIndicatorView(after ?? row);
    },

    /**
     * An appeal granted on one value (申诉): that value cleared (`not_fraud`), as an analyst's decision clears
     * it. A value merged into another indicator answers the public lookup, and counts later reports, as its
     * survivor; clearing the survivor would clear its other values too, so the value alone is detached from it
     * and cleared: its row no longer names the survivor, its history records `not_fraud` from `merged` naming
     * the survivor, and the lookup of the value says no record. The survivor keeps its status, its own value,
     * its other merged values and the sources it took in the merge. Cleared already: nothing changes.
     */
    async clearValue(ctx: DecisionContext, id: string, reason: string): Promise<IndicatorView> {
      const indicatorId = indicatorIdOf(id);
      const { row, after } = await deps.db.transaction().execute(async (trx) => {
        const row = await lockOne(trx, indicatorId);
        if (row.status !== 'merged') return { row, after: await apply(trx, ctx, row, 'not_fraud', reason) };
        return { row, after: await detach(trx, ctx, row, 'not_fraud', reason) };
      });
      if (after) deps.wake();
      return toIndicatorView(after ?? row);
    },

    /**
     * Merges the path's indicator into `into` (same kind): its sources move there (one naming both is kept
     * once), the survivor's counters, hits and score are recomputed from them, and the merged one keeps its
     * row — its (kind, value) stays taken — with status `merged` and where it went. A later report naming
     * the merged value counts on the survivor. Merging again into the same one changes nothing.
     */
    async merge(ctx: DecisionContext, id: string, body: IndicatorMergeRequest): Promise<IndicatorView> {
      const mergedId = indicatorIdOf(id);
      const field = (message: string, reason: string) =>
        validationError([{ field: 'body.into', reason, message }]);
      if (body.into === mergedId)
        throw field('An indicator is not merged into itself', 'indicators.merge_self');
      const result = await deps.db.transaction().execute(async (trx) => {
        const rows = await indicatorWrites.lockByIds(trx, [mergedId, body.into]);
        const merged = rows.find((r) => r.id === mergedId);
        const survivor = rows.find((r) => r.id === body.into);
        if (!merged) throw notFound();
        if (!survivor) throw field('No such indicator to merge into', 'indicators.merge_target');
        if (merged.merged_into === survivor.id) return { survivor, changed: false };
        if (merged.kind !== survivor.kind)
          throw field('Only indicators of one kind are merged', 'indicators.merge_kind');
        if (merged.status === 'merged' || survivor.status === 'merged')
          throw new AppError(
            'conflict',
            'Already merged into another indicator: merge into the one it went to',
          );
        await registryRepository.moveSources(trx, merged.id, survivor.id);
        const gone = await registryRepository.setStatus(
          trx,
          { id: merged.id, status: 'merged', mergedInto: survivor.id },
          ctx.at,
        );
        const after = await recount(trx, survivor, merged, ctx.at);
        await record(trx, ctx, merged, gone, 'merge', body.reason, { other: survivor.id });
        await record(trx, ctx, survivor, after, 'merge', body.reason, { other: merged.id });
        await audit(trx, ctx, 'indicator.merge', merged.id, {
          into: survivor.id,
          kind: merged.kind,
          reason: body.reason,
        });
        await enqueue(
          trx,
          newEvent('indicator.changed', toSnapshot(gone), deps.clock),
          newEvent('indicator.changed', toSnapshot(after), deps.clock),
        );
        return { survivor: after, changed: true };
      });
      if (result.changed) deps.wake();
      return toIndicatorView(result.survivor);
    },

    /**
     * An operator reports that a number was reassigned to a new subscriber: its indicator is suspended
     * (never matched, the public lookup says no record), not blocked. A number the registry does not have
     * changes nothing; one suspended already neither.
     */
    async reassigned(
      ctx: DecisionContext,
      body: IndicatorReassignedRequest,
    ): Promise<IndicatorReassignedResult> {
      const normal = normalisePhone(body.number);
      if (!normal.ok)
        throw validationError([{ field: 'body.number', reason: normal.reason, message: normal.message }]);
      const operator = ctx.actor.signalSource?.replace(/^operator:/, '') ?? ctx.actor.operatorCode;
      if (!operator) throw new AppError('forbidden', 'Only an operator reports its numbers reassigned');
      const found = await indicatorQueries(deps.db).byKey('phone', normal.value).executeTakeFirst();
      if (!found) return { number: normal.value, indicator: null };
      const { row, after } = await deps.db.transaction().execute(async (trx) => {
        const row = await lockOne(trx, Number(found.id));
        // A number merged into another indicator is suspended alone: the survivor's own number, and its other
        // merged values, are still the fraudster's.
        if (row.status === 'merged')
          return { row, after: await detach(trx, ctx, row, 'reassigned', body.reason, operator) };
        return { row, after: await apply(trx, ctx, row, 'reassigned', body.reason, operator) };
      });
      if (after) deps.wake();
      return { number: normal.value, indicator: toIndicatorView(after ?? row) };
    },

    /** An indicator's decisions, latest first. */
    async history(id: string): Promise<IndicatorHistory> {
      const indicatorId = indicatorIdOf(id);
      const exists = await indicatorQueries(deps.db).byId(indicatorId).executeTakeFirst();
      if (!exists) throw notFound();
      const rows = await registryRepository.history(deps.db, indicatorId, HISTORY_SHOWN).execute();
      return {
        decisions: rows.map((d) => ({
          id: d.id,
          action: d.action,
          fromStatus: d.from_status,
          toStatus: d.to_status,
          reason: d.reason,
          otherIndicatorId: d.other_indicator_id === null ? null : Number(d.other_indicator_id),
          decidedBy: d.actor_name,
          operator: d.operator_code,
          decidedAt: d.decided_at.toISOString(),
        })),
      };
    },
  };
}
export type IndicatorDecisions = ReturnType<typeof createIndicatorDecisions>;
