import type { StopPaymentView } from '@fanzha/contracts';
import { normaliseTwoCard, twoCardKey, type Clock, type EventEnvelope, type TwoCard } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { processBatchOnce } from '../../platform/outbox/outbox';
import { reportIndicatorFacts, reportPayments } from '../case/index';
import { twoCardsRepository as repo } from './two-cards.repository';

export const TWO_CARDS_CONSUMER = 'two-cards';
const SUBJECTS = ['report.changed', 'stop-payment.changed'];
const MAX_BATCH = 500;

export interface TwoCardsConsumerDeps {
  db: Kysely<DB>;
  clock: Clock;
}

interface Found {
  card: TwoCard;
  reportId: string;
  sourceKind: 'report' | 'bank_answer';
  sourceId: string;
}

/** The accounts a bank's answer names for a case: the answered account and where its money went on. */
function answerCards(v: StopPaymentView, out: Found[]): void {
  const add = (number: string, bankCode: string | null | undefined) => {
    const card = normaliseTwoCard({ kind: 'bank', number, bankCode: bankCode ?? null });
    if (card.ok)
      out.push({ card: card.value, reportId: v.reportId, sourceKind: 'bank_answer', sourceId: v.id });
  };
  add(v.account.number, v.account.bankCode);
  for (const t of v.result?.onwardTransfers ?? []) add(t.account.number, t.account.bankCode);
}

/**
 * Records the cards a batch of events names, in one transaction: a submitted report's payee accounts (bank
 * cards) and the mobile numbers among its fraud contacts (SIMs); the account a bank answered for and the
 * onward accounts of its answer. Each event is applied once (`processBatchOnce`), and a card is recorded once
 * per case whatever the number of events naming it. The holder stays unknown (null) until an import names
 * them: neither a report nor a bank's answer carries a holder's ID number. Returns the new card–case pairs.
 */
export async function applyTwoCardEvents(
  deps: TwoCardsConsumerDeps,
  events: EventEnvelope[],
): Promise<number> {
  let added = 0;
  await processBatchOnce(deps.db, TWO_CARDS_CONSUMER, events, async (trx, fresh) => {
    const reportIds = new Set<string>();
    const found: Found[] = [];
    for (const event of fresh) {
      if (event.subject === 'report.changed') {
        const data = (event as EventEnvelope<'report.changed'>).data;
        if (data.status !== 'draft') reportIds.add(data.id);
      } else if (event.subject === 'stop-payment.changed')
        answerCards((event as EventEnvelope<'stop-payment.changed'>).data.request, found);
    }
    const ids = [...reportIds].sort();
    const { payments } = await reportPayments(trx, ids);
    for (const p of payments) {
      const card = normaliseTwoCard({ kind: 'bank', number: p.toNumber, bankCode: p.toBankCode });
      if (card.ok)
        found.push({
          card: card.value,
          reportId: p.reportId,
          sourceKind: 'report',
          sourceId: `${p.reportId}/${p.key}`,
        });
    }
    for (const r of await reportIndicatorFacts(trx, ids))
      for (const c of r.contacts) {
        if (c.kind !== 'phone') continue;
        const card = normaliseTwoCard({ kind: 'sim', number: c.value });
        if (card.ok) found.push({ card: card.value, reportId: r.id, sourceKind: 'report', sourceId: r.id });
      }
    if (found.length === 0) return;
    const now = deps.clock.now();
    // One row per card, in key order: two batches lock in one order.
    const cards = new Map(found.map((f) => [twoCardKey(f.card), f.card]));
    const sorted = [...cards.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const cardIds = await repo.cardsSeen(
      trx,
      sorted.map(([, c]) => ({
        id: randomUUID(),
        kind: c.kind,
        number: c.number,
        institution: (c.kind === 'bank' ? c.bankCode : c.operator) ?? 'unknown',
      })),
      now,
    );
    const cases = new Map<string, Parameters<typeof repo.casesSeen>[1][number]>();
    for (const f of found) {
      const cardId = cardIds.get(twoCardKey(f.card));
      if (!cardId) continue;
      const k = `${cardId}\0${f.reportId}`;
      if (!cases.has(k))
        cases.set(k, {
          card_id: cardId,
          report_id: f.reportId,
          source_kind: f.sourceKind,
          source_id: f.sourceId,
        });
    }
    added = await repo.casesSeen(
      trx,
      [...cases.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v),
      now,
    );
  });
  return added;
}

/** The two-cards consumer (roles all and worker): one durable group, each batch applied once. */
export function startTwoCardsConsumer(deps: TwoCardsConsumerDeps & { bus: Bus }): Promise<Subscription> {
  return deps.bus.subscribeBatch(
    { consumer: TWO_CARDS_CONSUMER, subjects: SUBJECTS, maxBatch: MAX_BATCH },
    (events) => applyTwoCardEvents(deps, events).then(() => undefined),
  );
}
