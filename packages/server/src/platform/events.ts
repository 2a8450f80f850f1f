import { randomUUID } from 'node:crypto';
import type { Clock, EventEnvelope, EventMap, EventSubject } from '@fanzha/domain';

/** Makes a new envelope: a fresh id (the deduplication key end to end) and the clock's time. */
export function newEvent<S extends EventSubject>(
  subject: S,
  data: EventMap[S],
  clock: Clock,
): EventEnvelope<S> {
  return { id: randomUUID(), subject, version: 1, occurredAt: clock.now().toISOString(), data };
}
