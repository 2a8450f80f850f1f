/**
 * The typed event map: every bus subject and the shape of its data. One place, so that publishers and
 * consumers cannot disagree. Subjects are `capability.happening`; each envelope carries a version.
 */
export interface EventMap {
  /** Emitted by the platform's own self-test and the outbox tests; carries nothing of the domain. */
  'platform.probe': { seq: number; note: string };
}

export type EventSubject = keyof EventMap;

export interface EventEnvelope<S extends EventSubject = EventSubject> {
  /** Unique id; consumers deduplicate on it and NATS JetStream uses it as the message id. */
  id: string;
  subject: S;
  version: 1;
  occurredAt: string;
  data: EventMap[S];
}
