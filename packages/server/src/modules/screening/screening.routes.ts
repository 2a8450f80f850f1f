import {
  BankSignalBatchRequest,
  DeadLetterList,
  DeadLetterQuery,
  ErrorBody,
  SignalBatchResponse,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/http/errors';
import { actorOf } from '../../platform/http/policy';
import { keepRawBody, rawBodyOf } from '../../platform/http/raw-body';
import { checkBankSignature } from '../bank-protocol/index';
import type { ScreeningService } from './screening.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 503: ErrorBody };

const SignedHeaders = z
  .object({
    'x-fanzha-signature': z
      .string()
      .max(200)
      .optional()
      .describe('Ed25519 (base64) over the canonical JSON of `{ signalBatch: <the request body as sent> }`'),
  })
  .passthrough();

export function screeningRoutes(deps: {
  screening: Pick<ScreeningService, 'accept' | 'listDeadLetters'>;
  clock: Clock;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/bank/signals',
      {
        config: {
          policy: { access: 'roles', roles: ['bank_liaison'], scope: 'own-bank' },
          action: 'bank-signals.send',
        },
        // 5,000 signals of a few hundred bytes each: more than the API's usual 1 MiB.
        bodyLimit: 4 * 1024 * 1024,
        // The signature covers the body exactly as sent.
        preValidation: keepRawBody,
        schema: {
          tags: ['bank'],
          summary: "Send a batch of your customers' transfer and payment attempts to be screened",
          description:
            "For a bank's system with its key (`Authorization: Bearer`), never a person's session. Each signal is a " +
            '`BankTransferSignal`: the payer (the person the centre may warn: mobile and/or ID number), the payee account ' +
            "screened against the centre's fraud and mule accounts, amount, channel, time, your own id of the signal. " +
            'Send `X-Fanzha-Signature`: Ed25519 (base64) over the canonical JSON of `{ signalBatch: <the request body ' +
            'as sent> }`. Each signal is answered at its index: `accepted`, or `refused` with its problems (kept as a ' +
            'dead letter for the centre to inspect); a malformed body is refused whole. Sending a signal again (same ' +
            'id) never warns twice.',
          headers: SignedHeaders,
          body: BankSignalBatchRequest,
          response: { 200: SignalBatchResponse, ...errors },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        if (!actor.answerKeyPem || !actor.bankCode)
          throw new AppError(
            'forbidden',
            "Signals are sent by a bank's system with its key, not from a session",
          );
        checkBankSignature(actor, { signalBatch: rawBodyOf(req) }, req.headers['x-fanzha-signature']);
        return deps.screening.accept(
          { at: deps.clock.now(), requestId: req.id, actor },
          {
            kind: 'bank',
            bank: actor.bankCode,
            sentAt: req.body.sentAt,
            signals: req.body.signals,
          },
        );
      },
    );

    app.get(
      '/api/signals/dead-letters',
      {
        config: { policy: { access: 'roles', roles: ['admin', 'supervisor'] } },
        schema: {
          tags: ['signals'],
          summary: 'Signal batches and signals that could not be read, newest first, with the reason',
          description:
            'Every malformed batch (unreadable JSON, a bad envelope) or signal (a field missing or wrong) from NATS or ' +
            'the HTTP endpoints: counted, kept here with its problems and the first 1,000 characters as received, and ' +
            'skipped. Page back with `before` (the last id seen). Kept 30 days.',
          querystring: DeadLetterQuery,
          response: { 200: DeadLetterList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (req) =>
        deps.screening.listDeadLetters({
          before: req.query.before === undefined ? undefined : Number(req.query.before),
          limit: req.query.limit,
        }),
    );
  };
}
