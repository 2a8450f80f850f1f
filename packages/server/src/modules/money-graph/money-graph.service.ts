import type {
  AccountSharesView,
  AllocationRule,
  FieldProblem,
  FreezeProposalView,
  MoneyTraceView,
  StopPaymentView,
} from '@fanzha/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { AppError, validationError } from '../../platform/http/errors';
import { isInScope, reportPayments } from '../case/index';
import type { TraceResult } from '@fanzha/domain';
import { accountKey, parseKey, VICTIM_PREFIX, victimKey } from './money-graph.keys';
import type { LiveMoneyGraph } from './money-graph.live';

/** Uses of an account a freeze is reviewed for (the bank's word). */
const reviewedUses = new Set(['merchant', 'payroll', 'business']);
/** Deep enough for any layer a freeze proposal is asked for. */
const PROPOSAL_DEPTH = 20;

export interface MoneyGraphDeps {
  db: Kysely<DB>;
  live: LiveMoneyGraph;
  /** The stop-payment module's read of one request, in the actor's scope (404 otherwise). */
  stopPayment: (actor: Actor, id: string) => Promise<StopPaymentView>;
}

export function createMoneyGraphService(deps: MoneyGraphDeps) {
  const { db, live } = deps;

  const ref = (key: string) => ({ key, ...parseKey(key), accountUse: live.accountUse(key) });

  function toView(r: TraceResult, reportIds: string[], maxDepth: number): MoneyTraceView {
    return {
      rule: r.rule,
      maxDepth,
      reportIds,
      sources: [...r.sources],
      flows: r.flows.map((f) => ({
        from: f.from,
        to: f.to,
        depth: f.depth,
        at: new Date(f.at).toISOString(),
        transferFen: f.transferFen,
        tracedFen: f.tracedFen,
      })),
      accounts: r.accounts.map((a) => ({
        ...ref(a.account),
        depth: a.depth,
        receivedFen: a.receivedFen,
        passedOnFen: a.passedOnFen,
        heldFen: a.heldFen,
      })),
      truncated: r.truncated,
    };
  }

  /** The submitted reports among `ids` the actor may see (county police: their county's). */
  async function visible(actor: Actor, ids: readonly string[]): Promise<Set<string>> {
    const { reports } = await reportPayments(db, ids);
    const seen = new Set<string>();
    for (const r of reports) if (await isInScope(db, actor, r.id)) seen.add(r.id);
    return seen;
  }

  return {
    /** Where one victim's money went, layer by layer, under the rule. */
    async traceReport(
      actor: Actor,
      reportId: string,
      q: { rule: AllocationRule; maxDepth: number },
    ): Promise<MoneyTraceView> {
      if (!(await visible(actor, [reportId])).has(reportId))
        throw new AppError('not_found', 'No such report');
      const graph = await live.graph();
      return toView(graph.trace([victimKey(reportId)], q), [reportId], q.maxDepth);
    },

    /** Several victims' money traced together (a cluster): pooled accounts show each one's part. */
    async traceCluster(
      actor: Actor,
      body: { reportIds: string[]; rule: AllocationRule; maxDepth: number },
    ): Promise<MoneyTraceView> {
      const ids = [...new Set(body.reportIds)];
      const seen = await visible(actor, ids);
      const problems: FieldProblem[] = body.reportIds.flatMap((id, i) =>
        seen.has(id)
          ? []
          : [{ field: `body.reportIds.${i}`, reason: 'not_found', message: 'no such report' }],
      );
      if (problems.length > 0) throw validationError(problems);
      const graph = await live.graph();
      const r = graph.trace(ids.map(victimKey), { rule: body.rule, maxDepth: body.maxDepth });
      return toView(r, ids, body.maxDepth);
    },

    /** Each victim's share of what sits in an account, under the rule. */
    async shares(bankCode: string, number: string, rule: AllocationRule): Promise<AccountSharesView> {
      const problems: FieldProblem[] = [];
      if (!/^[0-9A-Za-z]{1,16}$/.test(bankCode))
        problems.push({
          field: 'params.bankCode',
          reason: 'invalid_format',
          message: '1–16 letters or digits',
        });
      // `victim:…` keys are the victims' own money (their reports' sources), never a bank's account.
      else if (`${bankCode}:` === VICTIM_PREFIX)
        problems.push({
          field: 'params.bankCode',
          reason: 'reserved',
          message: 'not a bank: `victim` names a victim’s own money in the graph',
        });
      if (!/^[0-9]{8,40}$/.test(number))
        problems.push({ field: 'params.number', reason: 'invalid_format', message: '8–40 digits' });
      if (problems.length > 0) throw validationError(problems);
      const key = accountKey(bankCode, number);
      const graph = await live.graph();
      const shares = graph.shares(key, { rule });
      return {
        account: ref(key),
        rule,
        totalHeldFen: shares.reduce((s, x) => s + x.heldFen, 0),
        shares: shares.map((s) => ({
          source: s.source,
          reportId: parseKey(s.source).reportId,
          heldFen: s.heldFen,
          share: s.share,
        })),
      };
    },

    /**
     * The amount a freeze of this account should hold for this report: the report's money traced to it and
     * still there (never more than the amount involved), and whether the bank's word on the account calls
     * for a review first.
     */
    async freezeProposal(
      actor: Actor,
      stopPaymentId: string,
      rule: AllocationRule,
    ): Promise<FreezeProposalView> {
      const sp = await deps.stopPayment(actor, stopPaymentId);
      const key = accountKey(sp.account.bankCode, sp.account.number);
      const graph = await live.graph();
      const trace = graph.trace([victimKey(sp.reportId)], { rule, maxDepth: PROPOSAL_DEPTH });
      const held = trace.accounts.find((a) => a.account === key)?.heldFen ?? 0;
      const use = sp.result?.accountUse ?? live.accountUse(key);
      return {
        stopPaymentId,
        reportId: sp.reportId,
        account: { ...ref(key), accountUse: use },
        rule,
        proposedFen: Math.min(held, sp.amountFen),
        tracedHeldFen: held,
        amountInvolvedFen: sp.amountFen,
        balanceFen: sp.result?.balanceFen ?? null,
        reviewRequired: use !== null && reviewedUses.has(use),
      };
    },
  };
}
export type MoneyGraphService = ReturnType<typeof createMoneyGraphService>;
