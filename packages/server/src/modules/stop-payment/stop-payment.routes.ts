import {
  EmptyBody,
  ErrorBody,
  IdParams,
  InstructionList,
  InstructionQuery,
  InstructionResultRequest,
  RestopRequest,
  SendStopPaymentRequest,
  SigningKey,
  StopPaymentList,
  StopPaymentQueueQuery,
  StopPaymentView,
} from '@fanzha/contracts';
import { stopPaymentStatuses, type Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isValidSignature, type Signer } from '../../platform/crypto/signer';
import { AppError } from '../../platform/http/errors';
import { actorOf, publicRoute } from '../../platform/http/policy';
import { keepRawBody, rawBodyOf } from '../../platform/http/raw-body';
import { parseStatusList } from '../../platform/http/status-list';
import { openStatuses, type StopPaymentService } from './stop-payment.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const desk = { access: 'roles', roles: ['stop_payment_officer', 'supervisor'], scope: 'all' } as const;
const deskReaders = {
  access: 'roles',
  roles: ['stop_payment_officer', 'supervisor', 'analyst', 'call_taker', 'county_police'],
  scope: 'own-county',
} as const;
/** Who acts for the case after the stop: the desk, the supervisor and the case-owning county's police. */
const caseOwners = {
  access: 'roles',
  roles: ['stop_payment_officer', 'supervisor', 'county_police'],
  scope: 'own-county',
} as const;
const bank = { access: 'roles', roles: ['bank_liaison'], scope: 'own-bank' } as const;

export function stopPaymentRoutes(deps: {
  stopPayments: StopPaymentService;
  clock: Clock;
  signer: Signer;
}): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  return async (app) => {
    app.get(
      '/api/stop-payments',
      {
        config: { policy: deskReaders },
        schema: {
          tags: ['stop-payment'],
          summary: 'The stop-payment desk queue, most urgent first',
          querystring: StopPaymentQueueQuery,
          response: { 200: StopPaymentList, ...errors },
        },
      },
      async (req) => ({
        requests: await deps.stopPayments.queue(actorOf(req), {
          statuses: parseStatusList(req.query.status, stopPaymentStatuses, openStatuses),
          bank: req.query.bank,
          reportId: req.query.reportId,
          isExpiring: req.query.expiring === 'true',
          limit: req.query.limit,
        }),
      }),
    );

    app.get(
      '/api/stop-payments/:id',
      {
        config: { policy: deskReaders },
        schema: {
          tags: ['stop-payment'],
          summary: 'One request',
          params: IdParams,
          response: { 200: StopPaymentView, ...errors },
        },
      },
      async (req) => deps.stopPayments.get(actorOf(req), req.params.id),
    );

    app.post(
      '/api/stop-payments/:id/send',
      {
        config: { policy: desk, action: 'stop-payment.send' },
        schema: {
          tags: ['stop-payment'],
          summary: "Send a pending request to its bank's channel",
          description:
            'Signs the instruction (Ed25519) and puts it in the bank’s queue; the bank is told at once.',
          params: IdParams,
          body: SendStopPaymentRequest,
          response: { 200: StopPaymentView, ...errors },
        },
      },
      async (req) => deps.stopPayments.send(ctxOf(req), req.params.id, req.body.legalDocNumber),
    );

    app.post(
      '/api/stop-payments/:id/restop',
      {
        config: { policy: caseOwners, action: 'stop-payment.restop' },
        schema: {
          tags: ['stop-payment'],
          summary: 'Second (and last) emergency stop of the account in this case',
          description:
            'Creates and sends a new instruction that renews the stopped one; when the bank stops the account again the ' +
            'first stop is superseded and a new 48-hour clock runs. A third emergency stop of one account in one case is ' +
            'refused (409): convert the stop into a freeze instead.',
          params: IdParams,
          body: RestopRequest,
          response: { 200: StopPaymentView, ...errors },
        },
      },
      async (req) => deps.stopPayments.restop(ctxOf(req), req.params.id, req.body.legalDocNumber),
    );

    app.get(
      '/api/bank/signing-key',
      {
        config: publicRoute,
        schema: {
          tags: ['bank'],
          summary: "The centre's public key for verifying instructions",
          response: { 200: SigningKey },
        },
      },
      async () => ({
        algorithm: 'Ed25519' as const,
        keyId: deps.signer.keyId,
        publicKeyPem: deps.signer.publicKeyPem,
      }),
    );

    app.get(
      '/api/bank/instructions',
      {
        config: { policy: bank },
        schema: {
          tags: ['bank'],
          summary: "Pull your bank's instructions",
          description:
            'Liaison session or bank key (`Authorization: Bearer fzk_…`); only your own bank’s, once sent.',
          querystring: InstructionQuery,
          response: { 200: InstructionList, ...errors },
        },
      },
      async (req) => ({
        instructions: await deps.stopPayments.instructionsFor(actorOf(req), {
          statuses: parseStatusList(req.query.status, stopPaymentStatuses, ['sent', 'acknowledged']),
          limit: req.query.limit,
        }),
      }),
    );

    app.post(
      '/api/bank/instructions/:id/ack',
      {
        config: { policy: bank, action: 'stop-payment.acknowledge' },
        schema: {
          tags: ['bank'],
          summary: 'Acknowledge receipt (optional before the answer)',
          params: IdParams,
          body: EmptyBody,
          response: { 200: StopPaymentView, ...errors },
        },
      },
      async (req) => deps.stopPayments.acknowledge(ctxOf(req), req.params.id),
    );

    app.post(
      '/api/bank/instructions/:id/result',
      {
        config: { policy: bank, action: 'stop-payment.answer' },
        // The signature covers the answer exactly as sent, before defaults are filled in.
        preValidation: keepRawBody,
        schema: {
          tags: ['bank'],
          summary: 'Answer an instruction: stopped or failed, with onward transfers',
          description:
            'Requires an `Idempotency-Key` header. The same answer again (same key or not) changes nothing and returns ' +
            'the current state; a different answer to an answered instruction is refused (409). Each onward transfer ' +
            'becomes a stop-payment request one layer deeper, sent at once to its bank. A bank system using a key also ' +
            'sends `X-Fanzha-Signature`: Ed25519 (base64) over the canonical JSON of ' +
            '`{ instructionId, idempotencyKey, answer: <the request body as sent> }`.',
          params: IdParams,
          headers: z.object({ 'idempotency-key': z.string().min(1).max(128) }).passthrough(),
          body: InstructionResultRequest,
          response: { 200: StopPaymentView, ...errors },
        },
      },
      async (req) => {
        const key = req.headers['idempotency-key'];
        if (typeof key !== 'string')
          throw new AppError('validation_failed', 'Idempotency-Key header required');
        const actor = actorOf(req);
        // A bank's system signs its answer; a liaison in the console is vouched for by the session.
        if (actor.answerKeyPem) {
          const signature = req.headers['x-fanzha-signature'];
          const signed = { instructionId: req.params.id, idempotencyKey: key, answer: rawBodyOf(req) };
          if (!isValidSignature(actor.answerKeyPem, signed, signature))
            throw new AppError(
              'unauthenticated',
              "The answer's signature does not verify with the key registered for this bank",
            );
        }
        return deps.stopPayments.answer(ctxOf(req), req.params.id, req.body, key);
      },
    );
  };
}
