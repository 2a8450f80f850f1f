import type { SignedInstruction } from '@fanzha/contracts';
import type { EventEnvelope } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import type { Logger } from '../../platform/logger';
import { processOnce } from '../../platform/outbox/outbox';

const TIMEOUT_MS = 5000;

/**
 * Pushes each newly sent instruction to the webhook of every active key of its bank (worker role).
 * A failed POST makes the handler throw, so the bus delivers the event again later; a delivered one is
 * marked per key and not sent again. At-least-once: banks deduplicate on `instructionId`, and the pull
 * queue remains the source of truth.
 */
export async function startWebhookDelivery(deps: {
  db: Kysely<DB>;
  bus: Bus;
  log: Logger;
  fetch?: typeof fetch;
}): Promise<Subscription> {
  const doFetch = deps.fetch ?? fetch;
  return deps.bus.subscribe(
    { consumer: 'bank-webhook', subjects: ['stop-payment.changed'] },
    async (event) => {
      const { request } = (event as EventEnvelope<'stop-payment.changed'>).data;
      if (request.status !== 'sent') return;
      const keys = await deps.db
        .selectFrom('api_key')
        .select(['id', 'webhook_url'])
        .where('bank_code', '=', request.account.bankCode)
        .where('revoked_at', 'is', null)
        .where('webhook_url', 'is not', null)
        .execute();
      if (keys.length === 0) return;
      const row = await deps.db
        .selectFrom('stop_payment')
        .select(['instruction', 'signature', 'key_id', 'status'])
        .where('id', '=', request.id)
        .executeTakeFirst();
      if (!row?.instruction || !row.signature || !row.key_id) return;
      const body: SignedInstruction = {
        instruction: row.instruction as SignedInstruction['instruction'],
        signature: row.signature,
        keyId: row.key_id,
        status: row.status,
      };
      for (const key of keys) {
        // Each key is its own consumer for deduplication: one bank's slow webhook does not resend to another.
        await processOnce(deps.db, `bank-webhook:${key.id}`, event, async () => {
          const res = await doFetch(key.webhook_url!, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-fanzha-event-id': event.id,
              'x-fanzha-key-id': body.keyId,
            },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(TIMEOUT_MS),
          });
          await res.body?.cancel();
          if (!res.ok) throw new Error(`webhook ${key.webhook_url} answered ${res.status}`);
        }).catch((err: unknown) => {
          deps.log.warn(
            { err, instructionId: request.id, keyId: key.id },
            'instruction webhook failed; will retry',
          );
          throw err;
        });
      }
    },
  );
}
