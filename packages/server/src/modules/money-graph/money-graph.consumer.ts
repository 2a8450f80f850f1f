import type { MoneyGraphChange, StopPaymentView } from '@fanzha/contracts';
import type { Clock, EventEnvelope } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { newEvent } from '../../platform/events';
import { enqueue, processBatchOnce } from '../../platform/outbox/outbox';
import { reportPayments } from '../case/index';
import { accountKey, victimKey } from './money-graph.keys';
import {
  moneyGraphRepository as repo,
  type AccountWrite,
  type TransferRow,
  type TransferWrite,
} from './money-graph.repository';

export const MONEY_GRAPH_CONSUMER = 'money-graph';
const SUBJECTS = ['report.changed', 'stop-payment.changed'];
/** Events applied in one transaction at most. */
const MAX_BATCH = 500;
/** Transfers per `money-graph.changed` event. */
const EVENT_CHUNK = 1_000;

export interface MoneyGraphConsumerDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** Tells the outbox relay that `money-graph.changed` events were committed. */
  wake: () => void;
}

/** Whether an event can add to the graph: a submitted report, or an answer naming a use or onward transfers. */
function namesMoney(event: EventEnvelope): boolean {
  if (event.subject === 'report.changed')
    return (event as EventEnvelope<'report.changed'>).data.status !== 'draft';
  if (event.subject !== 'stop-payment.changed') return false;
  const result = (event as EventEnvelope<'stop-payment.changed'>).data.request.result;
  return !!result && (!!result.accountUse || result.onwardTransfers.length > 0);
}

/** What a bank's answer adds: the answered account's onward transfers (layer n to n+1) and its use. */
function answerWrites(v: StopPaymentView, transfers: TransferWrite[], accounts: AccountWrite[]): void {
  const result = v.result;
  if (!result) return;
  const from = accountKey(v.account.bankCode, v.account.number);
  if (result.accountUse || result.onwardTransfers.length > 0)
    accounts.push({
      key: from,
      bank_code: v.account.bankCode,
      number: v.account.number,
      account_use: result.accountUse ?? null,
    });
  for (const t of result.onwardTransfers) {
    const to = accountKey(t.account.bankCode, t.account.number);
    accounts.push({ key: to, bank_code: t.account.bankCode, number: t.account.number, account_use: null });
    transfers.push({
      from_key: from,
      to_key: to,
      amount_fen: t.amountFen,
      at: new Date(t.transferredAt),
      report_id: v.reportId,
      source_kind: 'bank_answer',
      source_id: v.id,
    });
  }
}

/**
 * Applies a batch of events to the money graph's record in one transaction: a submitted report's payments
 * become its victim's transfers to the first layer; a bank's answer's onward transfers the next layer (and the
 * use the bank gave for the account). A report's payments replace what was recorded for it, so an edited
 * payment's old transfer is removed. What changed goes out as `money-graph.changed` in the same transaction.
 * Each event is applied once (`processBatchOnce`), and a transfer is recorded once per report whatever the
 * number of events naming it.
 */
export async function applyMoneyGraphEvents(
  deps: MoneyGraphConsumerDeps,
  events: EventEnvelope[],
): Promise<number> {
  let recorded = 0;
  // A draft's save and a stop without an answer that names a use or an onward transfer record nothing: they
  // cost nothing here, not even a processed-event row (there is nothing to apply twice).
  const relevant = events.filter(namesMoney);
  await processBatchOnce(deps.db, MONEY_GRAPH_CONSUMER, relevant, async (trx, fresh) => {
    const reportIds = new Set<string>();
    const transfers: TransferWrite[] = [];
    const accounts: AccountWrite[] = [];
    for (const event of fresh) {
      // Only submitted reports pass the filter above.
      if (event.subject === 'report.changed')
        reportIds.add((event as EventEnvelope<'report.changed'>).data.id);
      else if (event.subject === 'stop-payment.changed')
        answerWrites((event as EventEnvelope<'stop-payment.changed'>).data.request, transfers, accounts);
    }
    // The event carries no payments: the case's read side has them, as they stand now.
    const { payments } = await reportPayments(trx, [...reportIds].sort());
    for (const p of payments) {
      const victim = victimKey(p.reportId);
      const to = accountKey(p.toBankCode, p.toNumber);
      accounts.push({ key: victim, bank_code: null, number: null, account_use: null });
      accounts.push({ key: to, bank_code: p.toBankCode, number: p.toNumber, account_use: null });
      transfers.push({
        from_key: victim,
        to_key: to,
        amount_fen: p.amountFen,
        at: p.at,
        report_id: p.reportId,
        source_kind: 'report',
        source_id: `${p.reportId}/${p.key}`,
      });
    }
    // A report's payments as they stand replace what was recorded for it: an edit's old transfers go.
    const removed = await repo.removeStaleReportTransfers(trx, [...reportIds].sort(), transfers);
    if (transfers.length === 0 && accounts.length === 0 && removed.length === 0) return;
    const now = deps.clock.now();
    const uses = await repo.upsertAccounts(trx, accounts, now);
    // Same statement order for every batch: rows sorted, so two batches lock in one order.
    transfers.sort((a, b) =>
      a.from_key < b.from_key ? -1 : a.from_key > b.from_key ? 1 : a.at.getTime() - b.at.getTime(),
    );
    const added = await repo.insertTransfers(trx, transfers, now);
    recorded = added.length + uses.length + removed.length;
    const changes: MoneyGraphChange[] = [];
    const told = (t: TransferRow) => ({
      from: t.from_key,
      to: t.to_key,
      amountFen: Number(t.amount_fen),
      at: t.at.toISOString(),
      reportId: t.report_id,
    });
    const n = Math.max(added.length, removed.length, uses.length > 0 ? 1 : 0);
    for (let i = 0; i < n; i += EVENT_CHUNK)
      changes.push({
        transfers: added.slice(i, i + EVENT_CHUNK).map(told),
        accounts: i === 0 ? uses.map((u) => ({ key: u.key, accountUse: u.account_use })) : [],
        ...(removed.length > i ? { removed: removed.slice(i, i + EVENT_CHUNK).map(told) } : {}),
      });
    if (changes.length > 0)
      await enqueue(trx, ...changes.map((c) => newEvent('money-graph.changed', c, deps.clock)));
  });
  if (recorded > 0) deps.wake();
  return recorded;
}

/** The money graph's consumer (roles all and worker): one durable group, each batch applied once. */
export function startMoneyGraphConsumer(deps: MoneyGraphConsumerDeps & { bus: Bus }): Promise<Subscription> {
  return deps.bus.subscribeBatch(
    { consumer: MONEY_GRAPH_CONSUMER, subjects: SUBJECTS, maxBatch: MAX_BATCH, members: 'one' },
    (events) => applyMoneyGraphEvents(deps, events).then(() => undefined),
  );
}
