import type { StopPaymentView } from '@fanzha/contracts';
import {
  holderCountyOf,
  normaliseTwoCard,
  twoCardKey,
  type Clock,
  type EventEnvelope,
  type TwoCard,
} from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { processBatchOnce } from '../../platform/outbox/outbox';
import { fieldCipher, type FieldCipher } from '../../platform/crypto/field-cipher';
import { reportIndicatorFacts, reportPayments } from '../case/index';
import { HOLDER_ID_NUMBER_PLACE } from '../stop-payment/index';
import { twoCardsRepository as repo } from './two-cards.repository';

export const TWO_CARDS_CONSUMER = 'two-cards';
const SUBJECTS = ['report.changed', 'stop-payment.changed'];
const MAX_BATCH = 500;

export interface TwoCardsConsumerDeps {
  db: Kysely<DB>;
  clock: Clock;
  /**
   * Issues, in the batch's transaction, the instructions of the measures in force against these holders that
   * have not reached all their parties (the two-cards service's `issueMissing`).
   */
  issueMissing: (trx: Transaction<DB>, holderIds: string[], at: Date) => Promise<number>;
  /** Wakes the outbox relay when instructions were issued. */
  wake?: () => void;
}

/** A card's holder as a bank's answer names them (the ID number in normal form). */
interface Named {
  card: TwoCard;
  idNumber: string;
}

interface Found {
  card: TwoCard;
  reportId: string;
  sourceKind: 'report' | 'bank_answer';
  sourceId: string;
}

/**
 * The accounts a bank's answer names for a case: the answered account and where its money went on. The
 * holder's ID number an answer may give belongs to the answered account only.
 */
function answerCards(
  v: StopPaymentView,
  holderIdNumber: string | undefined,
  out: Found[],
  named: Named[],
): void {
  const add = (number: string, bankCode: string | null | undefined) => {
    const card = normaliseTwoCard({ kind: 'bank', number, bankCode: bankCode ?? null });
    if (card.ok)
      out.push({ card: card.value, reportId: v.reportId, sourceKind: 'bank_answer', sourceId: v.id });
    return card.ok ? card.value : undefined;
  };
  const answered = add(v.account.number, v.account.bankCode);
  if (answered && holderIdNumber) named.push({ card: answered, idNumber: holderIdNumber });
  for (const t of v.result?.onwardTransfers ?? []) add(t.account.number, t.account.bankCode);
}

/**
 * Whether an event can name a card: a submitted report, or a bank's answer. A stop's change before its answer
 * (made, sent, acknowledged) names only the account the report or the answer names, and is not the bank's word.
 */
function namesCards(event: EventEnvelope): boolean {
  if (event.subject === 'report.changed')
    return (event as EventEnvelope<'report.changed'>).data.status !== 'draft';
  if (event.subject === 'stop-payment.changed')
    return !!(event as EventEnvelope<'stop-payment.changed'>).data.request.result;
  return false;
}

/**
 * Records the cards a batch of events names, in one transaction: a submitted report's payee accounts (bank
 * cards) and the mobile numbers among its fraud contacts (SIMs); the account a bank answered for and the
 * onward accounts of its answer. Each event is applied once (`processBatchOnce`), and a card is recorded once
 * per case whatever the number of events naming it. A report names no holder; a bank's answer may give the
 * answered account's holder's ID number (sealed, beside the request in its event): the holder is made when
 * new (the number sealed, found by its blind index) and set on the card only while its holder is unknown — an
 * import's or an earlier answer's holder stays, and an event heard again changes nothing. Returns the new
 * card–case pairs. A card that took its holder may call for instructions: each measure not lifted nor ended
 * against the holder reaches the card's bank when it had not (`issueMissing`), in the same transaction.
 */
export async function applyTwoCardEvents(
  deps: TwoCardsConsumerDeps,
  events: EventEnvelope[],
): Promise<number> {
  let added = 0;
  let issued = 0;
  // A draft's save and a stop's change before its answer record nothing: they cost nothing here, not even a
  // processed-event row (there is nothing to apply twice).
  const relevant = events.filter(namesCards);
  await processBatchOnce(deps.db, TWO_CARDS_CONSUMER, relevant, async (trx, fresh) => {
    const reportIds = new Set<string>();
    const found: Found[] = [];
    let named: Named[] = [];
    let cipher: FieldCipher | undefined;
    for (const event of fresh) {
      // Only submitted reports and answered stops pass the filter above.
      if (event.subject === 'report.changed') {
        reportIds.add((event as EventEnvelope<'report.changed'>).data.id);
      } else if (event.subject === 'stop-payment.changed') {
        const { request, holderIdNumberSealed: sealed } = (event as EventEnvelope<'stop-payment.changed'>)
          .data;
        const holderIdNumber = sealed
          ? (cipher ??= await fieldCipher(trx)).open(HOLDER_ID_NUMBER_PLACE, [request.id], sealed)
          : undefined;
        answerCards(request, holderIdNumber, found, named);
      }
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
    // Only for cards whose holder is unknown: no holder is made for a card that already has one.
    const unheld = await repo.unheldCards(
      trx,
      named.flatMap((n) => cardIds.get(twoCardKey(n.card)) ?? []),
    );
    named = named.filter((n) => unheld.has(cardIds.get(twoCardKey(n.card)) ?? ''));
    if (named.length === 0) return;
    const people = new Map(
      named.map((n) => [
        n.idNumber,
        { id: randomUUID(), idNumber: n.idNumber, countyCode: holderCountyOf(n.idNumber, now) },
      ]),
    );
    const holders = await repo.holdersFor(trx, [...people.values()], now);
    // The first answer naming a card's holder in a batch wins, as it would across batches.
    const pairs = new Map<string, string>();
    for (const n of named) {
      const cardId = cardIds.get(twoCardKey(n.card));
      const holderId = holders.ids.get(n.idNumber);
      if (cardId && holderId && !pairs.has(cardId)) pairs.set(cardId, holderId);
    }
    const held = await repo.holdersNamed(
      trx,
      [...pairs.entries()].map(([cardId, holderId]) => ({ cardId, holderId })),
      now,
    );
    // A card named for a holder already under a measure: the measure reaches the card's bank too.
    if (held > 0) issued = await deps.issueMissing(trx, [...new Set(pairs.values())], now);
  });
  if (issued > 0) deps.wake?.();
  return added;
}

/** The two-cards consumer (roles all and worker): one durable group, each batch applied once. */
export function startTwoCardsConsumer(deps: TwoCardsConsumerDeps & { bus: Bus }): Promise<Subscription> {
  return deps.bus.subscribeBatch(
    { consumer: TWO_CARDS_CONSUMER, subjects: SUBJECTS, maxBatch: MAX_BATCH, members: 'one' },
    (events) => applyTwoCardEvents(deps, events).then(() => undefined),
  );
}
