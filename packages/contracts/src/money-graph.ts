import { z } from 'zod';
import { datetime } from './instant';
import { sumFen } from './amounts';
import { AccountUse } from './stop-payments';

/** An account's amounts are sums over the transfers that reached it. */
const fen = sumFen;

export const AllocationRule = z
  .enum(['fifo', 'lifo', 'proportional'])
  .describe(
    'How an account’s outgoing money is attributed to what came in: fifo (oldest money leaves first), lifo ' +
      '(newest first) or proportional (each outgoing transfer carries every source in its share of the balance)',
  )
  .meta({ id: 'AllocationRule' });
export type AllocationRule = z.infer<typeof AllocationRule>;

const maxDepth = z.coerce
  .number()
  .int()
  .min(1)
  .max(20)
  .default(5)
  .describe('Layers to follow: 1 = victim to first layer; default 5');

export const MoneyTraceQuery = z.strictObject({
  rule: AllocationRule.default('fifo'),
  maxDepth,
});
export type MoneyTraceQuery = z.infer<typeof MoneyTraceQuery>;

export const ClusterTraceRequest = z
  .strictObject({
    reportIds: z
      .array(z.uuid())
      .min(1)
      .max(2_000)
      .describe('The reports whose victims’ money is traced together (a cluster’s: a big gang has hundreds)'),
    rule: AllocationRule.default('fifo'),
    maxDepth: z.number().int().min(1).max(20).default(5),
  })
  .meta({ id: 'ClusterTraceRequest' });
export type ClusterTraceRequest = z.input<typeof ClusterTraceRequest>;

// Checked by the service (a bank code of 1–16 letters or digits, a number of 8–40 digits), so that a path of
// any shape answers with the field's problem after the query's own checks.
export const AccountSharesParams = z.strictObject({
  bankCode: z.string().min(1).max(40).describe('The bank’s code'),
  number: z.string().min(1).max(60).describe('The card or account number, digits only'),
});
export const AccountSharesQuery = z.strictObject({ rule: AllocationRule.default('proportional') });

/** An account of the money graph: `bankCode:number`, or `victim:<reportId>` for a victim's own money. */
export const MoneyAccountRef = z.object({
  key: z.string(),
  bankCode: z.string().nullable(),
  number: z.string().nullable(),
  reportId: z.uuid().nullable().describe('For a victim’s source: the report'),
  accountUse: AccountUse.nullable().describe('What a bank said the account is used for (null: not said)'),
});

export const TracedFlowView = z.object({
  from: z.string(),
  to: z.string(),
  depth: z.number().int().min(1).describe('1: victim to first layer'),
  at: datetime,
  transferFen: fen.describe('The whole transfer'),
  tracedFen: fen.describe('The part of it that is the traced victims’ money, under the rule'),
});

export const TracedAccountView = MoneyAccountRef.extend({
  depth: z.number().int().min(0).describe('The smallest layer it was reached at (0: a source)'),
  receivedFen: fen,
  passedOnFen: fen,
  heldFen: fen.describe('Traced money that should still be in the account: received less passed on'),
});

export const MoneyTraceView = z
  .object({
    rule: AllocationRule,
    maxDepth: z.number().int(),
    reportIds: z.array(z.uuid()),
    sources: z.array(z.string()),
    flows: z.array(TracedFlowView).describe('Time order'),
    accounts: z.array(TracedAccountView),
    truncated: z.boolean().describe('A cap was hit (depth or a hub account): more money may lie beyond'),
  })
  .meta({ id: 'MoneyTrace' });
export type MoneyTraceView = z.infer<typeof MoneyTraceView>;

export const AccountSharesView = z
  .object({
    account: MoneyAccountRef,
    rule: AllocationRule,
    totalHeldFen: fen.describe('Traced victims’ money held in the account, all sources'),
    shares: z.array(
      z.object({
        source: z.string(),
        reportId: z.uuid().nullable(),
        heldFen: fen,
        share: z.number().min(0).max(1),
      }),
    ),
  })
  .meta({ id: 'AccountShares' });
export type AccountSharesView = z.infer<typeof AccountSharesView>;

export const FreezeProposalView = z
  .object({
    stopPaymentId: z.uuid(),
    reportId: z.uuid(),
    account: MoneyAccountRef,
    rule: AllocationRule,
    proposedFen: fen.describe(
      'The traced amount of this report’s money held in the account (not its balance), at most the amount involved',
    ),
    tracedHeldFen: fen,
    amountInvolvedFen: fen,
    balanceFen: fen.nullable().describe('The balance the bank gave with its answer'),
    reviewRequired: z
      .boolean()
      .describe('The bank said it is a merchant, payroll or business account: a freeze needs a review note'),
  })
  .meta({ id: 'FreezeProposal' });
export type FreezeProposalView = z.infer<typeof FreezeProposalView>;

export const FreezeProposalQuery = z.strictObject({ rule: AllocationRule.default('fifo') });

/**
 * What changed in the money graph: the accounts and transfers recorded by one batch of events, and the
 * victim → first-layer transfers a report no longer names (its payments were edited): `removed` goes first.
 */
export interface MoneyGraphChange {
  transfers: Array<{ from: string; to: string; amountFen: number; at: string; reportId: string }>;
  accounts: Array<{ key: string; accountUse: AccountUse | null }>;
  /** Absent in events written before edits were followed: nothing removed. */
  removed?: Array<{ from: string; to: string; amountFen: number; at: string; reportId: string }>;
}

declare module '@fanzha/domain' {
  interface EventMap {
    /** Transfers were recorded in (or removed from) the money graph, or an account's use became known. */
    'money-graph.changed': MoneyGraphChange;
  }
}
