import type { Clock, EventEnvelope } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { processBatchOnce } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry } from '../audit/index';
import { appealOfDecisionNumber, RELEASE_PROPOSED } from './appeals.effects';
import { appealRepository as repo } from './appeals.repository';

export const APPEALS_CONSUMER = 'appeals';
/** The freezes module tells each change of a freeze, its decisions included, as its account's new view. */
const SUBJECTS = ['stop-payment.changed'];
const MAX_BATCH = 200;

export interface AppealsConsumerDeps {
  db: Kysely<DB>;
  clock: Clock;
}

/** What a release decided in the freezes' queue makes of the appeal's effect: approved, or rejected. */
const outcomeOf = (status: string): 'released' | 'kept' | undefined =>
  status === 'rejected'
    ? 'kept'
    : status === 'approved' || status === 'confirmed' || status === 'failed'
      ? 'released'
      : undefined;

/** The releases decided in the freezes' queue that an event names and that an appeal's grant proposed. */
function appealReleasesOf(event: EventEnvelope) {
  if (event.subject !== 'stop-payment.changed') return [];
  const { request } = (event as EventEnvelope<'stop-payment.changed'>).data;
  return (request.freeze?.decisions ?? []).flatMap((d) => {
    const reference = d.kind === 'release' ? appealOfDecisionNumber(d.decisionNumber) : undefined;
    const result = outcomeOf(d.status);
    return reference === undefined || result === undefined ? [] : [{ d, reference, result }];
  });
}

/**
 * Follows the releases an appeal's grant left for a second approver (`release_proposed`): once the release is
 * approved in the freezes' queue the effect is `released`, once rejected `kept`. Each batch once (a redelivery
 * changes nothing), each effect once (only one still `release_proposed` moves); each move audited
 * (`appeal.effect`, origin `appeals-consumer`). Returns how many effects moved.
 */
export async function applyAppealEvents(deps: AppealsConsumerDeps, events: EventEnvelope[]): Promise<number> {
  // Nearly every account change names no appeal's release: those cost nothing here, not even a
  // processed-event row (there is nothing to apply twice).
  const relevant = events.filter((e) => appealReleasesOf(e).length > 0);
  let moved = 0;
  await processBatchOnce(deps.db, APPEALS_CONSUMER, relevant, async (trx, fresh) => {
    const now = deps.clock.now();
    for (const event of fresh) {
      for (const { d, reference, result } of appealReleasesOf(event)) {
        const target = `freeze:${d.freezeId}`;
        const changed = await repo.followRelease(trx, reference, target, result, now);
        if (!changed) continue;
        moved += 1;
        await appendAudit(
          trx,
          auditEntry(
            { at: now, requestId: null, actor: null, origin: 'appeals-consumer' },
            {
              action: 'appeal.effect',
              objectType: 'appeal',
              objectId: changed.appeal_id,
              result: 'success',
              details: {
                reference,
                target,
                from: RELEASE_PROPOSED,
                result,
                fundDecisionId: d.id,
                fundDecisionStatus: d.status,
              },
            },
          ),
        );
      }
    }
  });
  return moved;
}

/** The appeals consumer (roles all and worker): one durable group, each batch applied once. */
export function startAppealsConsumer(deps: AppealsConsumerDeps & { bus: Bus }): Promise<Subscription> {
  return deps.bus.subscribeBatch(
    { consumer: APPEALS_CONSUMER, subjects: SUBJECTS, maxBatch: MAX_BATCH, members: 'one' },
    (events) => applyAppealEvents(deps, events).then(() => undefined),
  );
}
