import type { FreezeView, FundDecisionView } from '@fanzha/contracts';
import { findBankByCode } from '@fanzha/domain';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, FundDecisionTable } from '../../db/schema';
import type { FreezeFacts } from './stop-payment.view-facts';

type Db = Kysely<DB> | Transaction<DB>;
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Where a decision's money is: the frozen account, and the report's number. */
export interface DecisionContext {
  reportNumber: string;
  accountNumber: string;
  bankCode: string;
}

export function toFundDecisionView(
  d: Selectable<FundDecisionTable>,
  names: Map<string, string>,
  context: DecisionContext | undefined,
  now: Date,
): FundDecisionView {
  return {
    id: d.id,
    freezeId: d.freeze_id,
    reportId: d.report_id,
    reportNumber: context?.reportNumber ?? '',
    account: {
      number: context?.accountNumber ?? '',
      bankCode: context?.bankCode ?? '',
      bankName: context ? (findBankByCode(context.bankCode)?.nameZh ?? null) : null,
    },
    kind: d.kind,
    amountFen: d.amount_fen,
    victimAccount: d.victim_account,
    payee:
      d.kind === 'return' && d.victim_account
        ? {
            name: d.payee_name ?? '',
            account: d.victim_account,
            bankCode: d.payee_bank_code ?? '',
            bankName: d.payee_bank_code ? (findBankByCode(d.payee_bank_code)?.nameZh ?? null) : null,
          }
        : null,
    executedFen: d.executed_fen,
    failureReason: d.failure_reason,
    // Approval sends the instruction, under the decision's own id.
    instructionId: d.status === 'proposed' || d.status === 'rejected' ? null : d.id,
    decisionNumber: d.decision_number,
    reason: d.reason,
    appealChannel: d.appeal_channel,
    status: d.status,
    proposedBy: names.get(d.proposed_by) ?? '',
    proposedAt: d.proposed_at.toISOString(),
    decidedBy: d.decided_by ? (names.get(d.decided_by) ?? '') : null,
    decidedAt: iso(d.decided_at),
    rejectionReason: d.rejection_reason,
    dueAt: iso(d.due_at),
    // Derived at read, so it shows at the deadline before the sweep flags it.
    isOverdue: d.status === 'approved' && d.due_at !== null && now >= d.due_at,
    confirmedAt: iso(d.confirmed_at),
    confirmedBy: d.confirmed_by,
    bankReference: d.bank_reference,
  };
}

/** Each decision's context and the usernames of its proposer and decider, in one statement. */
async function decisionFacts(
  db: Db,
  decisionIds: string[],
): Promise<{ contexts: Map<string, DecisionContext>; names: Map<string, string> }> {
  const contexts = new Map<string, DecisionContext>();
  const names = new Map<string, string>();
  if (decisionIds.length === 0) return { contexts, names };
  const rows = await db
    .selectFrom('fund_decision as d')
    .innerJoin('account_freeze as f', 'f.id', 'd.freeze_id')
    .innerJoin('stop_payment as s', 's.id', 'f.stop_payment_id')
    .innerJoin('report as r', 'r.id', 'd.report_id')
    .leftJoin('app_user as proposer', 'proposer.id', 'd.proposed_by')
    .leftJoin('app_user as decider', 'decider.id', 'd.decided_by')
    .select([
      'd.id',
      'r.number',
      's.account_number',
      's.bank_code',
      'd.proposed_by',
      'proposer.username as proposed_by_name',
      'd.decided_by',
      'decider.username as decided_by_name',
    ])
    .where('d.id', 'in', decisionIds)
    .execute();
  for (const r of rows) {
    contexts.set(r.id, { reportNumber: r.number, accountNumber: r.account_number, bankCode: r.bank_code });
    if (r.proposed_by_name !== null) names.set(r.proposed_by, r.proposed_by_name);
    if (r.decided_by !== null && r.decided_by_name !== null) names.set(r.decided_by, r.decided_by_name);
  }
  return { contexts, names };
}

/** Views of decisions with their people and context (one statement). */
export async function loadDecisionViews(
  db: Db,
  rows: Array<Selectable<FundDecisionTable>>,
  now: Date,
): Promise<FundDecisionView[]> {
  const { names, contexts } = await decisionFacts(
    db,
    rows.map((d) => d.id),
  );
  return rows.map((d) => toFundDecisionView(d, names, contexts.get(d.id), now));
}

export async function usernames(db: Db, ids: Iterable<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('app_user').select(['id', 'username']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.username]));
}

/** The view of a freeze of `request`, from its facts (`stopPaymentFacts`). */
export function toFreezeView(
  facts: FreezeFacts,
  request: { account_number: string; bank_code: string },
  now: Date,
): FreezeView {
  const { freeze: f, renewals, decisions, names } = facts;
  return {
    id: f.id,
    stopPaymentId: f.stop_payment_id,
    reportId: f.report_id,
    decisionNumber: f.decision_number,
    amountFen: f.amount_fen,
    requestedFen: f.requested_fen,
    startsAt: f.starts_at.toISOString(),
    endsAt: f.ends_at.toISOString(),
    reason: f.reason,
    appealChannel: f.appeal_channel,
    status: f.status,
    confirmedAt: iso(f.confirmed_at),
    failureReason: f.failure_reason,
    instructionId: f.id,
    decidedBy: names.get(f.decided_by) ?? '',
    renewals: renewals.map((r) => ({
      seq: r.seq,
      status: r.status,
      instructionId: r.instruction_id,
      decisionNumber: r.decision_number,
      previousEndsAt: r.previous_ends_at.toISOString(),
      endsAt: r.ends_at.toISOString(),
      decidedBy: names.get(r.decided_by) ?? '',
      decidedAt: r.decided_at.toISOString(),
    })),
    decisions: decisions.map((d) =>
      toFundDecisionView(
        d,
        names,
        {
          reportNumber: facts.decisionReports.get(d.id) ?? '',
          accountNumber: request.account_number,
          bankCode: request.bank_code,
        },
        now,
      ),
    ),
  };
}
