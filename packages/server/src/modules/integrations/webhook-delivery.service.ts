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
import { processOnce } from '../../platform/outbox/outbox';
import type { Actor } from '../../platform/actor';
import { webhookOfKey, webhooksOfBank, webhooksOfBanks } from './bank-keys.repository';
import { webhooksOfOperator } from './signal-keys.repository';
import { publicOnlyLookup, webhookUrlProblem } from './webhook-target';

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
  const problem = webhookUrlProblem(url, deps.allow);
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

/**
 * POSTs one event's delivery to each webhook, signed, marked delivered per key (each key is its own consumer
 * for deduplication: one party's slow webhook does not resend to another). A failed POST or a non-2xx answer
 * is logged and thrown, so the bus delivers the event again later; the delivery id is the event's, the same
 * on every retry.
 */
async function deliverToEach(
  deps: WebhookDeps & { log: Logger },
  consumer: string,
  event: EventEnvelope,
  hooks: ReadonlyArray<{ id: string; url: string }>,
  what: {
    body: Omit<WebhookDelivery, 'deliveryId' | 'sentAt'> | Omit<PartyNotice, 'deliveryId' | 'sentAt'>;
    logged: object;
    failure: string;
  },
): Promise<void> {
  for (const key of hooks) {
    await processOnce(deps.db, `${consumer}:${key.id}`, event, async () => {
      const status = await postDelivery(deps, key.url, {
        deliveryId: event.id,
        sentAt: deps.clock.now().toISOString(),
        ...what.body,
      });
      if (status < 200 || status >= 300) throw new Error(`webhook ${key.url} answered ${status}`);
    }).catch((err: unknown) => {
      deps.log.warn({ err, ...what.logged, keyId: key.id }, what.failure);
      throw err;
    });
  }
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
    await deliverToEach(deps, 'bank-webhook', event, hooks.get(bankCode) ?? [], {
      body: { event: 'instruction', item },
      logged: { instructionId: item.instruction.instructionId },
      failure: 'instruction webhook failed; will retry',
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
  hooks: (db: Kysely<DB>) => Promise<Array<{ id: string; url: string }>>;
}

/** The changes that leave a countermeasure waiting on its party: a new request, and a lift asked for (not an
 * overdue mark on one already announced). */
const awaitingParty = new Set(['requested', 'lift_requested']);

function awaitingIn(event: EventEnvelope): Awaiting | undefined {
  if (event.subject === 'carrier-request.changed') {
    const { request } = (event as EventEnvelope<'carrier-request.changed'>).data;
    if (request.status !== 'open') return undefined;
    return {
      notice: { event: 'carrier_request', id: request.id, status: request.status },
      hooks: (db) => webhooksOfOperator(db, request.operatorCode),
    };
  }
  if (event.subject === 'two-card-instruction.changed') {
    const { item, change } = (event as EventEnvelope<'two-card-instruction.changed'>).data;
    // Only a newly issued instruction awaits its party; its answers are the party's own doing.
    if (change !== 'issued') return undefined;
    return {
      notice: { event: 'two_card_measure', id: item.id, status: item.status },
      hooks: (db) =>
        item.partyKind === 'operator'
          ? webhooksOfOperator(db, item.partyCode)
          : webhooksOfBank(db, item.partyCode),
    };
  }
  const { item, change } = (event as EventEnvelope<'countermeasure.changed'>).data;
  if (!awaitingParty.has(change)) return undefined;
  return {
    notice: { event: 'countermeasure', id: item.id, status: item.status },
    hooks: (db) =>
      item.partyKind === 'operator'
        ? webhooksOfOperator(db, item.partyCode)
        : webhooksOfBank(db, item.partyCode),
  };
}

/**
 * Tells a party's system, on its key's webhook, of each thing that now awaits it — a carrier assist request
 * to an operator, a countermeasure (or the lift of one) to its operator or bank, a two-cards measure applied or
 * lifted to the bank or operator that carries it out — as a signed notice naming
 * it by id (worker role). Nothing personal travels: the party reads the thing with its key. Retried like
 * instruction deliveries, once per key; the queues stay the source of truth.
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
        failure: 'party notice failed; will retry',
      });
    },
  );
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
