import type { EventEnvelope } from '@fanzha/domain';

export type Handler = (event: EventEnvelope) => Promise<void>;

export interface SubscribeOptions {
  /**
   * Durable consumer name. Every process that subscribes with the same name shares one stream of work
   * (a queue group): each event is handled by one of them. Different names each get every event.
   */
  consumer: string;
  /** Subjects to receive; a trailing `.>` or `*` follows NATS wildcard rules. */
  subjects: string[];
  /**
   * Fan-out instead of a work queue: this process gets every event from now on (none from before), for
   * pushing live updates to the clients connected to it. The consumer goes away with the process.
   */
  isFanOut?: boolean;
}

export interface Subscription {
  stop(): Promise<void>;
}

/**
 * The event bus. Two implementations: in-process (embedded default) and NATS JetStream (scale-out).
 * Delivery is at-least-once: a handler that throws gets the event again, so handlers must be idempotent
 * (see `processed_event`). Publishing the same envelope id twice is harmless.
 */
export interface Bus {
  readonly kind: 'memory' | 'nats';
  publish(event: EventEnvelope): Promise<void>;
  subscribe(options: SubscribeOptions, handler: Handler): Promise<Subscription>;
  close(): Promise<void>;
}

export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
