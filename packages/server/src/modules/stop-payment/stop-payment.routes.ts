import {
  ErrorBody,
  IdParams,
  InstructionResultRequest,
  RestopRequest,
  SendStopPaymentRequest,
  StopPaymentList,
  StopPaymentQueueQuery,
  StopPaymentView,
} from '@fanzha/contracts';
import { stopPaymentStatuses, type Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../platform/http/errors';
import { actorOf } from '../../platform/http/policy';
import { keepRawBody, rawBodyOf } from '../../platform/http/raw-body';
import { parseStatusList } from '../../platform/http/status-list';
import { IdempotencyHeaders, type BankInstructionService } from '../bank-protocol/index';
import { checkPartySignature } from '../../platform/http/party-signature';
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
  bankInstructions: BankInstructionService;
  clock: Clock;
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
          summary: 'The stop-payment desk queue, a page at a time, most urgent first',
          description:
            'Newest first by creation: follow `nextCursor` as `before` until `hasMore` is false to read all open work.',
          querystring: StopPaymentQueueQuery,
          response: { 200: StopPaymentList, ...errors },
        },
      },
      async (req) => {
        const [ms, id] = req.query.before?.split('.') ?? [];
        return deps.stopPayments.queue(actorOf(req), {
          statuses: parseStatusList(req.query.status, stopPaymentStatuses, openStatuses),
          bank: req.query.bank,
          reportId: req.query.reportId,
          isExpiring: req.query.expiring === 'true',
          before: ms && id ? { createdAt: new Date(Number(ms)), id } : undefined,
          limit: req.query.limit,
        });
      },
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

    app.post(
      '/api/bank/instructions/:id/result',
      {
        config: { policy: bank, action: 'stop-payment.answer' },
        // The signature covers the answer exactly as sent.
        preValidation: keepRawBody,
        schema: {
          tags: ['bank'],
          summary: 'Answer an emergency stop: stopped or failed, with onward transfers',
          description:
            'Requires an `Idempotency-Key` header. The same answer again (same key or not) changes nothing and returns ' +
            'the current state; a different answer to an answered instruction is refused (409). Each onward transfer ' +
            'becomes a stop-payment request one layer deeper, sent at once to its bank. The 48 hours run from ' +
            '`stoppedAt`. A bank system using a key also sends `X-Fanzha-Signature`: Ed25519 (base64) over the ' +
            'canonical JSON of `{ instructionId, idempotencyKey, answer: <the request body as sent> }`. Freezes, ' +
            'renewals, releases, returns and lapse notices are confirmed at `/confirm`.',
          params: IdParams,
          headers: IdempotencyHeaders,
          body: InstructionResultRequest,
          response: { 200: StopPaymentView, ...errors },
        },
      },
      async (req) => {
        const key = req.headers['idempotency-key'];
        const actor = actorOf(req);
        checkPartySignature(
          actor,
          { instructionId: req.params.id, idempotencyKey: key, answer: rawBodyOf(req) },
          req.headers['x-fanzha-signature'],
        );
        return deps.stopPayments
          .answer(ctxOf(req), req.params.id, req.body, key)
          .catch(async (err: unknown) => {
            // Another kind of instruction of this bank: say where it is answered.
            if (err instanceof AppError && err.code === 'not_found') {
              const other = await deps.bankInstructions.get(actor, req.params.id).catch(() => undefined);
              if (other)
                throw new AppError(
                  'conflict',
                  `This is a ${other.kind} instruction: confirm it at POST /api/bank/instructions/{id}/confirm`,
                );
            }
            throw err;
          });
      },
    );
  };
}
