import type { StopPaymentView } from '@fanzha/contracts';
import type { Clock, EventEnvelope, IndicatorSnapshot } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { newEvent } from '../../platform/events';
import type { Logger } from '../../platform/logger';
import { enqueue, processBatchOnce } from '../../platform/outbox/outbox';
import { reportIndicatorFacts } from '../case/index';
import { indicatorWrites, type IndicatorRow } from './indicators.repository';
import { keyOf, planBatch, sightingsOf, type Sighting, type Skipped } from './indicators.plan';

export const INDICATORS_CONSUMER = 'indicators';
const SUBJECTS = ['report.changed', 'stop-payment.changed'];
/** Events applied in one transaction at most; what arrives while one batch is applied forms the next. */
const MAX_BATCH = 500;
/** Outbox rows per insert statement (five bound parameters each). */
const OUTBOX_CHUNK = 2_000;

export interface IndicatorConsumerDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** Reports named by more than this many reports become `shared` (FANZHA_INDICATOR_SHARED_REPORTS). */
  sharedReports: number;
  /** The risk score's half-life in days (FANZHA_INDICATOR_HALF_LIFE_DAYS; 90 when not given). */
  halfLifeDays?: number;
  /** Tells the outbox relay that `indicator.changed` events were committed. */
  wake: () => void;
  /** Values that did not normalise (counted by the metrics). */
  onSkipped?: (skipped: Skipped[]) => void;
}

export function toSnapshot(r: IndicatorRow): IndicatorSnapshot {
  return {
    id: r.id,
    kind: r.kind,
    value: r.value,
    status: r.status,
    riskLevel: r.risk_level,
    reportCount: r.report_count,
    lossFen: r.loss_fen,
    lastReportedAt: r.last_reported_at?.toISOString() ?? null,
  };
}

/** Whether an event can name indicators: a submitted report, or an answer naming onward transfers. */
function namesIndicators(event: EventEnvelope): boolean {
  if (event.subject === 'report.changed')
    return (event as EventEnvelope<'report.changed'>).data.status !== 'draft';
  if (event.subject !== 'stop-payment.changed') return false;
  const result = (event as EventEnvelope<'stop-payment.changed'>).data.request.result;
  return !!result && result.onwardTransfers.length > 0;
}

/** The onward accounts a bank's answer named (the money went on to them: mule accounts). */
function answerSightings(v: StopPaymentView, skipped: Skipped[]): Sighting[] {
  const result = v.result;
  if (!result || result.onwardTransfers.length === 0) return [];
  return sightingsOf(
    {
      sourceKind: 'bank_answer',
      sourceId: v.id,
      reportId: v.reportId,
      reportNumber: v.reportNumber,
      lossFen: 0,
      at: new Date(result.answeredAt),
    },
    result.onwardTransfers.map((t) => ({ kind: 'account', value: t.account.number })),
    skipped,
  );
}

/**
 * Applies a batch of events to the registry in one transaction: the reports' contacts and payee accounts and
 * the banks' onward accounts become indicators (or add to them), each with its provenance rows, and every
 * indicator that changed gets an `indicator.changed` in the outbox of the same transaction. Each event is
 * applied once (`processBatchOnce`); the statements are per batch, not per value.
 */
export async function applyIndicatorEvents(
  deps: IndicatorConsumerDeps,
  events: EventEnvelope[],
): Promise<number> {
  const skipped: Skipped[] = [];
  let changed = 0;
  // A draft's save and a stop without onward transfers in its answer name no indicator: they cost nothing
  // here, not even a processed-event row (there is nothing to apply twice).
  const relevant = events.filter(namesIndicators);
  await processBatchOnce(deps.db, INDICATORS_CONSUMER, relevant, async (trx, fresh) => {
    const reportIds = new Set<string>();
    const sightings: Sighting[] = [];
    for (const event of fresh) {
      // Only submitted reports pass the filter above.
      if (event.subject === 'report.changed')
        reportIds.add((event as EventEnvelope<'report.changed'>).data.id);
      else if (event.subject === 'stop-payment.changed')
        sightings.push(
          ...answerSightings((event as EventEnvelope<'stop-payment.changed'>).data.request, skipped),
        );
    }
    // The event carries no contacts: the case's read side has them, as they stand now.
    for (const r of await reportIndicatorFacts(trx, [...reportIds].sort()))
      sightings.push(
        ...sightingsOf(
          {
            sourceKind: 'report',
            sourceId: r.id,
            reportId: r.id,
            reportNumber: r.number,
            lossFen: r.totalLossFen,
            at: r.submittedAt,
          },
          [...r.contacts, ...r.accounts.map((value) => ({ kind: 'account', value }))],
          skipped,
        ),
      );
    if (sightings.length === 0) return;
    const now = deps.clock.now();
    const firstAt = new Map<string, Sighting>();
    for (const s of sightings) {
      const k = keyOf(s);
      const seen = firstAt.get(k);
      if (!seen || s.at < seen.at) firstAt.set(k, s);
    }
    const keys = [...firstAt.values()].map((s) => ({ kind: s.kind, value: s.value, at: s.at }));
    const created = new Set(await indicatorWrites.insertMissing(trx, keys, now));
    const locked = await indicatorWrites.lockByKeys(trx, keys);
    // A merged indicator's value counts on the indicator it was merged into.
    const merged = locked.filter((r) => r.merged_into !== null);
    const survivors = new Map(
      (
        await indicatorWrites.lockByIds(
          trx,
          merged.map((r) => r.merged_into!),
        )
      ).map((r) => [r.id, r]),
    );
    const rows = [
      ...locked.filter((r) => r.merged_into === null && !survivors.has(r.id)),
      ...survivors.values(),
    ];
    const aliases = new Map(merged.map((r) => [keyOf(r), survivors.get(r.merged_into!)!]));
    const byKey = new Map([
      ...rows.map((r) => [keyOf(r), r.id] as const),
      ...[...aliases].map(([k, r]) => [k, r.id] as const),
    ]);
    const existing = await indicatorWrites.existingSources(
      trx,
      sightings.map((s) => ({
        indicatorId: byKey.get(keyOf(s))!,
        sourceKind: s.sourceKind,
        sourceId: s.sourceId,
      })),
    );
    const plan = planBatch({
      sightings,
      rows,
      created,
      existing,
      sharedReports: deps.sharedReports,
      now,
      aliases,
      ...(deps.halfLifeDays !== undefined ? { halfLifeDays: deps.halfLifeDays } : {}),
    });
    await indicatorWrites.insertSources(trx, plan.sources);
    await indicatorWrites.updateSourceLosses(trx, plan.sourceLosses);
    const updated = await indicatorWrites.updateIndicators(trx, plan.updates, now);
    await indicatorWrites.addToTally(trx, plan.tally);
    for (let i = 0; i < updated.length; i += OUTBOX_CHUNK)
      await enqueue(
        trx,
        ...updated
          .slice(i, i + OUTBOX_CHUNK)
          .map((r) => newEvent('indicator.changed', toSnapshot(r), deps.clock)),
      );
    changed = updated.length;
  });
  if (skipped.length > 0) deps.onSkipped?.(skipped);
  if (changed > 0) deps.wake();
  return changed;
}

/**
 * The registry's consumer (roles all and worker): one durable consumer group taking batches of submitted
 * reports' and banks' answers' events, each batch applied once in one transaction.
 */
export function startIndicatorConsumer(
  deps: IndicatorConsumerDeps & { bus: Bus; log: Logger },
): Promise<Subscription> {
  return deps.bus.subscribeBatch(
    { consumer: INDICATORS_CONSUMER, subjects: SUBJECTS, maxBatch: MAX_BATCH, members: 'one' },
    (events) => applyIndicatorEvents(deps, events).then(() => undefined),
  );
}
