import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PartyNotice, WebhookDelivery, WebhookTestResult } from '@fanzha/contracts';
import type { Clock, EventEnvelope } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { wireAlgorithm, type Signer } from '../../platform/crypto/signer';
import { AppError } from '../../platform/http/errors';
import type { Logger } from '../../platform/logger';
import { runEvery, type Periodic } from '../../platform/every';
import { eventById, isProcessed, processOnce } from '../../platform/outbox/outbox';
import { OUTBOX_RETENTION_MS } from '../../platform/outbox/retention';
import type { Actor } from '../../platform/actor';
import { webhookOfKey, webhooksOfBank, webhooksOfBanks } from './bank-keys.repository';
import { webhookOfSignalKey, webhooksOfOperator } from './signal-keys.repository';
import { webhookRetryRepository as retries, type RetryRow } from './webhook-retry.repository';
import { publicOnlyLookup, webhookTargetProblem } from './webhook-target';

const TIMEOUT_MS = 5000;

export interface WebhookDeps {
  db: Kysely<DB>;
  signer: Signer;
  clock: Clock;
  /** Origins the operator allows although http or internal (FANZHA_WEBHOOK_ALLOW). */
  allow: readonly string[];
}

/**
 * POSTs a delivery, signed as a whole (`X-Fanzha-Signature`: Ed25519 over the canonical JSON of the body,
 * with the centre's signing key), so a bank can tell it came from the centre and was not replayed from
 * elsewhere. Only to targets the policy allows, checked on the connection's own DNS answer. Answers the
 * HTTP status, or throws.
 */
export async function postDelivery(
  deps: WebhookDeps,
  url: string,
  delivery: WebhookDelivery | PartyNotice,
): Promise<number> {
  const problem = webhookTargetProblem(url, deps.allow);
  if (problem) throw new Error(`webhook ${url} refused: ${problem.message}`);
  const u = new URL(url);
  const isAllowed = deps.allow.includes(u.origin);
  const body = JSON.stringify(delivery);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(
      u,
      {
        method: 'POST',
        // An allowed origin may be internal by the operator's choice; everything else must resolve public.
        ...(isAllowed ? {} : { lookup: publicOnlyLookup }),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-fanzha-delivery-id': delivery.deliveryId,
          'x-fanzha-key-id': deps.signer.keyId,
          'x-fanzha-signature-algorithm': wireAlgorithm(deps.signer.algorithm),
          'x-fanzha-signature': deps.signer.sign(delivery),
        },
        timeout: TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`webhook ${url} timed out after ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** A webhook to deliver to: the key's id, its URL, and which kind of key it is (a bank's or a signal key). */
interface Hook {
  id: string;
  url: string;
  kind: 'bank' | 'signal';
}

type DeliveryBody =
  Omit<WebhookDelivery, 'deliveryId' | 'sentAt'> | Omit<PartyNotice, 'deliveryId' | 'sentAt'>;
type Consumer = 'bank-webhook' | 'party-notice';

/** A failed attempt's next try: 5 s after the first, doubling, at most an hour apart. */
export const webhookRetryDelayMs = (attempt: number): number =>
  Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
/** A delivery not taken within three days of its first attempt is given up (the queues still hold the work). */
export const WEBHOOK_GIVE_UP_MS = 3 * 24 * 3_600_000;

/** One POST of a delivery: undefined when the endpoint answered 2xx, else what went wrong. */
async function attempt(deps: WebhookDeps, url: string, eventId: string, body: DeliveryBody) {
  try {
    const status = await postDelivery(deps, url, {
      deliveryId: eventId,
      sentAt: deps.clock.now().toISOString(),
      ...body,
    });
    return status >= 200 && status < 300 ? undefined : `webhook ${url} answered ${status}`;
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).slice(0, 500);
  }
}

/**
 * POSTs one event's delivery to each webhook, signed, once per key (each key is its own consumer for
 * deduplication: one party's slow webhook does not resend to another). The POST is made outside any
 * transaction; then the key's marker is written, and with it, when the endpoint did not answer 2xx, the
 * delivery's retry (`webhook_retry`), which the worker's sweep tries again until it is taken. The delivery id
 * is the event's, the same on every attempt.
 */
async function deliverToEach(
  deps: WebhookDeps & { log: Logger },
  consumer: Consumer,
  event: EventEnvelope,
  hooks: readonly Hook[],
  what: { body: DeliveryBody; logged: object; failure: string },
): Promise<void> {
  for (const key of hooks) {
    const marker = `${consumer}:${key.id}`;
    if (await isProcessed(deps.db, marker, event.id)) continue;
    const error = await attempt(deps, key.url, event.id, what.body);
    await processOnce(deps.db, marker, event, async (trx) => {
      if (error === undefined) return;
      const at = deps.clock.now();
      const nextAt = new Date(at.getTime() + webhookRetryDelayMs(1));
      deps.log.warn({ err: error, ...what.logged, keyId: key.id, nextAt }, what.failure);
      const retry = { consumer, key_kind: key.kind, key_id: key.id, event_id: event.id };
      await retries.keep(trx, retry, at, nextAt, error);
    });
  }
}

/** What an event delivers to a consumer's webhooks, if anything: the first attempt's and every retry's body. */
function deliveryOf(consumer: Consumer, event: EventEnvelope): DeliveryBody | undefined {
  if (consumer === 'party-notice') return awaitingIn(event)?.notice;
  if (event.subject !== 'bank-instruction.changed') return undefined;
  const { item } = (event as EventEnvelope<'bank-instruction.changed'>).data;
  return item.status === 'sent' ? { event: 'instruction', item } : undefined;
}

/**
 * Instruction changes handed to the webhook delivery at once, at most. Few: a batch's POSTs go one after
 * another and must end inside the broker's acknowledgement wait (30 s) or the batch is handed out again; a
 * POST that fails or times out (5 s) ends its batch at once.
 */
const WEBHOOK_BATCH = 8;

/**
 * Pushes each newly issued instruction of a batch of changes to the webhook of every active key of its bank,
 * in order: the banks' webhooks are looked up once for the batch (one statement, however many instructions and
 * banks), so a bank without a webhook costs nothing more. A failed POST throws: the bus hands each event of the
 * batch again on its own, and those already delivered are marked per key and not sent again.
 */
export async function deliverInstructions(
  deps: WebhookDeps & { log: Logger },
  events: EventEnvelope[],
): Promise<void> {
  const sent = (events as Array<EventEnvelope<'bank-instruction.changed'>>).filter(
    (e) => e.data.item.status === 'sent',
  );
  if (sent.length === 0) return;
  const hooks = await webhooksOfBanks(deps.db, [...new Set(sent.map((e) => e.data.bankCode))]);
  for (const event of sent) {
    const { bankCode, item } = event.data;
    const ofBank = (hooks.get(bankCode) ?? []).map((h) => ({ ...h, kind: 'bank' as const }));
    await deliverToEach(deps, 'bank-webhook', event, ofBank, {
      body: deliveryOf('bank-webhook', event)!,
      logged: { instructionId: item.instruction.instructionId },
      failure: 'instruction webhook failed: kept to try again',
    });
  }
}

/**
 * Pushes each newly issued instruction (of every kind) to the webhook of every active key of its bank (worker
 * role), in batches (`deliverInstructions`). At-least-once: banks deduplicate on `instructionId`, and the pull
 * queue remains the source of truth.
 */
export async function startWebhookDelivery(
  deps: WebhookDeps & { bus: Bus; log: Logger },
): Promise<Subscription> {
  return deps.bus.subscribeBatch(
    { consumer: 'bank-webhook', subjects: ['bank-instruction.changed'], maxBatch: WEBHOOK_BATCH },
    (events) => deliverInstructions(deps, events),
  );
}

/** What awaits a party in an event, if anything: the notice to send and the party's webhooks to send it to. */
interface Awaiting {
  notice: Omit<PartyNotice, 'deliveryId' | 'sentAt'>;
  hooks: (db: Kysely<DB>) => Promise<Hook[]>;
}

const asKind =
  (kind: Hook['kind']) =>
  (hooks: Array<{ id: string; url: string }>): Hook[] =>
    hooks.map((h) => ({ ...h, kind }));

/** The webhooks of a party, by its kind: an operator's signal keys, or a bank's keys. */
const webhooksOfParty = (db: Kysely<DB>, partyKind: string, partyCode: string): Promise<Hook[]> =>
  partyKind === 'operator'
    ? webhooksOfOperator(db, partyCode).then(asKind('signal'))
    : webhooksOfBank(db, partyCode).then(asKind('bank'));

/** The changes that leave a countermeasure waiting on its party: a new request, and a lift asked for (not an
 * overdue mark on one already announced). */
const awaitingParty = new Set(['requested', 'lift_requested']);

function awaitingIn(event: EventEnvelope): Awaiting | undefined {
  if (event.subject === 'carrier-request.changed') {
    const { request } = (event as EventEnvelope<'carrier-request.changed'>).data;
    if (request.status !== 'open') return undefined;
    return {
      notice: { event: 'carrier_request', id: request.id, status: request.status },
      hooks: (db) => webhooksOfOperator(db, request.operatorCode).then(asKind('signal')),
    };
  }
  if (event.subject === 'two-card-instruction.changed') {
    const { item, change } = (event as EventEnvelope<'two-card-instruction.changed'>).data;
    // Only a newly issued instruction awaits its party; its answers are the party's own doing.
    if (change !== 'issued') return undefined;
    return {
      notice: { event: 'two_card_measure', id: item.id, status: item.status },
      hooks: (db) => webhooksOfParty(db, item.partyKind, item.partyCode),
    };
  }
  const { item, change } = (event as EventEnvelope<'countermeasure.changed'>).data;
  if (!awaitingParty.has(change)) return undefined;
  return {
    notice: { event: 'countermeasure', id: item.id, status: item.status },
    hooks: (db) => webhooksOfParty(db, item.partyKind, item.partyCode),
  };
}

/**
 * Tells a party's system, on its key's webhook, of each thing that now awaits it — a carrier assist request
 * to an operator, a countermeasure (or the lift of one) to its operator or bank, a two-cards measure applied or
 * lifted to the bank or operator that carries it out — as a signed notice naming
 * it by id (worker role). Nothing personal travels: the party reads the thing with its key. Retried like
 * instruction deliveries (`webhook_retry`), once per key; the queues stay the source of truth.
 */
export async function startPartyNotices(
  deps: WebhookDeps & { bus: Bus; log: Logger },
): Promise<Subscription> {
  return deps.bus.subscribe(
    {
      consumer: 'party-notices',
      subjects: ['carrier-request.changed', 'countermeasure.changed', 'two-card-instruction.changed'],
    },
    async (event) => {
      const awaiting = awaitingIn(event);
      if (!awaiting) return;
      await deliverToEach(deps, 'party-notice', event, await awaiting.hooks(deps.db), {
        body: awaiting.notice,
        logged: awaiting.notice,
        failure: 'party notice failed: kept to try again',
      });
    },
  );
}

/** How long a sweep holds the deliveries it took: more than its batch of POSTs can take (10 × 5 s). */
const RETRY_LEASE_MS = 120_000;
const RETRY_BATCH = 10;

/**
 * The deliveries that failed, tried again when due (worker role): each is built again from its event in the
 * outbox and sent to its key's webhook as it is now, with the same delivery id. Taken (2xx) → `delivered`;
 * failed → tried again after a pause that doubles (`webhookRetryDelayMs`); given up (`dropped`, logged) when
 * three days have passed, the key is revoked or has no webhook any more, or the event is no longer kept.
 * Idle, one indexed statement. `deps.db` must carry the field keys (the outbox's envelopes are sealed).
 */
export function createWebhookRetries(deps: WebhookDeps & { log: Logger }) {
  const { db, log } = deps;
  const currentWebhook = (r: RetryRow) =>
    r.key_kind === 'bank' ? webhookOfKey(db, r.key_id) : webhookOfSignalKey(db, r.key_id);

  async function retry(r: RetryRow, now: Date): Promise<number> {
    const event = await eventById(db, r.event_id);
    const body = event && deliveryOf(r.consumer, event);
    const url = await currentWebhook(r);
    const key = { consumer: r.consumer, key_kind: r.key_kind, key_id: r.key_id, event_id: r.event_id };
    if (!body || !url) {
      const error = !body ? 'the event is no longer kept' : 'the key is revoked or has no webhook now';
      log.warn({ ...key, attempts: r.attempts }, `webhook delivery dropped: ${error}`);
      await retries.attempted(db, key, r.attempts, { status: 'dropped', at: now, error });
      return 0;
    }
    const error = await attempt(deps, url, r.event_id, body);
    const attempts = r.attempts + 1;
    if (error === undefined) {
      await retries.attempted(db, key, attempts, { status: 'delivered', at: now });
      return 1;
    }
    if (now.getTime() - r.created_at.getTime() >= WEBHOOK_GIVE_UP_MS) {
      log.error({ err: error, ...key, attempts }, 'webhook delivery dropped: not taken in three days');
      await retries.attempted(db, key, attempts, { status: 'dropped', at: now, error });
      return 0;
    }
    const nextAt = new Date(now.getTime() + webhookRetryDelayMs(attempts));
    log.warn({ err: error, ...key, attempts, nextAt }, 'webhook delivery failed again: kept to try again');
    await retries.attempted(db, key, attempts, { status: 'pending', at: now, nextAt, error });
    return 0;
  }

  return {
    /** Tries the deliveries due at `now`; answers how many were taken. */
    async retryOnce(now: Date = deps.clock.now()): Promise<number> {
      if (!(await retries.hasDue(db, now))) return 0;
      const due = await retries.takeDue(db, now, new Date(now.getTime() + RETRY_LEASE_MS), RETRY_BATCH);
      let delivered = 0;
      for (const r of due) delivered += await retry(r, now);
      return delivered;
    },
    /**
     * Forgets deliveries that ended (taken or given up) longer ago than the outbox keeps events: the event a
     * row names is gone by then. A pending delivery is never forgotten here (it is given up after three days).
     */
    async pruneOnce(now: Date = deps.clock.now()): Promise<number> {
      const n = await retries.pruneEnded(db, new Date(now.getTime() - OUTBOX_RETENTION_MS));
      if (n > 0) log.info({ deleted: n }, 'pruned webhook deliveries that ended past retention');
      return n;
    },
  };
}

export type WebhookRetries = ReturnType<typeof createWebhookRetries>;

/** The retry sweep every `everyMs`, and the pruning of ended deliveries every hour. */
export function startWebhookRetries(sweep: WebhookRetries, opts: { log: Logger; everyMs: number }): Periodic {
  const rounds = [
    runEvery(() => sweep.retryOnce(), { ...opts, what: 'webhook retry sweep' }),
    runEvery(() => sweep.pruneOnce(), { log: opts.log, everyMs: 3_600_000, what: 'webhook retry pruning' }),
  ];
  return { stop: async () => void (await Promise.all(rounds.map((r) => r.stop()))) };
}

/** A test delivery to the calling key's webhook, answered with what the endpoint said. */
export async function testDelivery(deps: WebhookDeps, actor: Actor): Promise<WebhookTestResult> {
  const url = actor.username.startsWith('key:') ? await webhookOfKey(deps.db, actor.userId) : undefined;
  if (!url) throw new AppError('conflict', 'Only a bank key with a webhook can ask for a test delivery');
  const deliveryId = randomUUID();
  const started = Date.now();
  try {
    const status = await postDelivery(deps, url, {
      deliveryId,
      sentAt: deps.clock.now().toISOString(),
      event: 'test',
      item: null,
    });
    return { deliveryId, url, status, error: null, ms: Date.now() - started };
  } catch (err) {
    return {
      deliveryId,
      url,
      status: null,
      error: err instanceof Error ? err.message : String(err),
      ms: Date.now() - started,
    };
  }
}
