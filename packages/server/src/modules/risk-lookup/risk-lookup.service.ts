import type {
  FieldProblem,
  PayeeCheckRequest,
  PayeeCheckResult,
  RiskLookupRequest,
  RiskLookupResult,
} from '@fanzha/contracts';
import {
  indicatorKindOfLookup,
  indicatorScoreRules,
  noRecordNotice,
  normaliseLookup,
  publicRiskAdvice,
  publicRiskLevels,
  publicRiskOf,
  type Clock,
  type PublicRiskLevel,
} from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { validationError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import type { IndicatorsService } from '../indicators/index';

export const PAYEE_CHECK_ACTION = 'bank-payee-check.run';

/**
 * The public risk lookup and banks' payee checks: the registry's knowledge — its current score, decayed to
 * now, and its decisions — told as a coarse level, never its figures. A lookup is one exact value, normalised as the registry normalises it; a hit and a miss cost the
 * same single indexed read and are answered in the same shape.
 */
export function createRiskLookupService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  indicators: Pick<IndicatorsService, 'riskRecords'>;
  /** The registry's half-life (`FANZHA_INDICATOR_HALF_LIFE_DAYS`): scores are decayed to the lookup's time. */
  halfLifeDays?: number;
}) {
  const halfLife = deps.halfLifeDays ?? indicatorScoreRules.defaultHalfLifeDays;
  return {
    async lookup(req: RiskLookupRequest): Promise<RiskLookupResult> {
      const normal = normaliseLookup(req.kind, req.value);
      if (!normal.ok)
        throw validationError([{ field: 'body.value', reason: normal.reason, message: normal.message }]);
      const records = await deps.indicators.riskRecords(indicatorKindOfLookup(req.kind), [normal.value]);
      const now = deps.clock.now();
      const { level } = publicRiskOf(records.get(normal.value), now, halfLife);
      const advice = publicRiskAdvice[level];
      return {
        kind: req.kind,
        value: normal.value,
        level,
        advice: { headline: advice.headline, steps: [...advice.steps] },
        notice: noRecordNotice,
        checkedAt: now.toISOString(),
      };
    },

    /**
     * A bank's check of up to 100 payees at payment time: every account is checked before any is looked up,
     * and one bad one refuses the call with each problem named; one audit entry per call, with the counts
     * per level (never the accounts).
     */
    async checkPayees(
      ctx: AuditContext & { actor: Actor },
      req: PayeeCheckRequest,
    ): Promise<PayeeCheckResult> {
      const problems: FieldProblem[] = [];
      const seen = new Set<string>();
      const accounts = req.payees.map((p, i) => {
        if (seen.has(p.ref))
          problems.push({
            field: `body.payees.${i}.ref`,
            reason: 'duplicate',
            message: 'Each payee’s ref must be unique in the call',
          });
        seen.add(p.ref);
        const normal = normaliseLookup('account', p.account);
        if (!normal.ok) {
          problems.push({
            field: `body.payees.${i}.account`,
            reason: normal.reason,
            message: normal.message,
          });
          return '';
        }
        return normal.value;
      });
      if (problems.length > 0) throw validationError(problems);
      const records = await deps.indicators.riskRecords('account', accounts);
      const now = deps.clock.now();
      const results = req.payees.map((p, i) => {
        const account = accounts[i]!;
        return { ref: p.ref, account, ...publicRiskOf(records.get(account), now, halfLife) };
      });
      const levels = Object.fromEntries(publicRiskLevels.map((l) => [l, 0])) as Record<
        PublicRiskLevel,
        number
      >;
      for (const r of results) levels[r.level] += 1;
      await appendAudit(
        deps.db,
        auditEntry(ctx, {
          action: PAYEE_CHECK_ACTION,
          objectType: 'payee_check',
          objectId: ctx.requestId,
          result: 'success',
          details: { bankCode: ctx.actor.bankCode, payees: results.length, ...levels },
        }),
      );
      return { results, checkedAt: now.toISOString() };
    },
  };
}

export type RiskLookupService = ReturnType<typeof createRiskLookupService>;
