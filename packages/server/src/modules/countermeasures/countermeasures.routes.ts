import {
  CountermeasureAnswer,
  CountermeasureBatchAnswer,
  CountermeasureBatchResult,
  CountermeasureBatchView,
  CountermeasureFigures,
  CountermeasureHistory,
  CountermeasureLiftRequest,
  CountermeasureList,
  CountermeasureQuery,
  CountermeasureRequest,
  CountermeasureView,
  ErrorBody,
  IdParams,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/http/policy';
import { keepRawBody, rawBodyOf } from '../../platform/http/raw-body';
import { checkPartySignature } from '../../platform/http/party-signature';
import type { CountermeasuresService } from './countermeasures.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const centre = { access: 'roles', roles: ['analyst', 'supervisor'], scope: 'all' } as const;
/** The centre sees all; an operator's or a bank's liaison (or its system, by its key) only its own. */
const readers = {
  access: 'roles',
  roles: ['analyst', 'supervisor', 'telecom_liaison', 'bank_liaison'],
} as const;
const parties = { access: 'roles', roles: ['telecom_liaison', 'bank_liaison'] } as const;
const figureReaders = { access: 'roles', roles: ['analyst', 'supervisor', 'wall'], scope: 'all' } as const;
const tags = ['countermeasures'];

const KeyHeaders = z
  .object({
    'idempotency-key': z
      .string()
      .min(1)
      .max(128)
      .describe(
        'Unique per request: a retry with the same key and body answers the same and changes nothing',
      ),
  })
  .passthrough();

const SignedKeyHeaders = KeyHeaders.extend({
  'x-fanzha-signature': z
    .string()
    .max(200)
    .optional()
    .describe(
      "Required with an operator's signal key or a bank key: Ed25519 (base64) over the canonical JSON named " +
        'in the description',
    ),
}).passthrough();

/**
 * Countermeasures (技术反制): the centre requests blocks, takedowns and restrictions; operators (their liaison
 * or their system with its signal key) and banks (liaison or bank key) answer theirs, one by one or in batches.
 */
export function countermeasureRoutes(deps: {
  countermeasures: CountermeasuresService;
  clock: Clock;
}): FastifyPluginAsyncZod {
  const { countermeasures: svc } = deps;
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  return async (app) => {
    app.post(
      '/api/countermeasures',
      {
        config: { policy: centre, action: 'countermeasure.request' },
        schema: {
          tags,
          summary: 'Request countermeasures (技术反制), one or a batch of up to 500, each signed',
          description:
            'Each item names its target by `indicatorId` (an indicator of the registry, of the fitting kind) or ' +
            '`value` (normalised), and its party: an operator for `block_phone`, `takedown_url`, `block_app`, a ' +
            'bank for `restrict_account`. All or nothing: any bad item is `400` naming it, and nothing is written. ' +
            'The same `Idempotency-Key` with the same body answers the same batch; with another body `409`.',
          headers: KeyHeaders,
          body: CountermeasureRequest,
          response: { 201: CountermeasureBatchView, 200: CountermeasureBatchView, ...errors },
        },
      },
      async (req, reply) => {
        const out = await svc.request(ctxOf(req), req.body, req.headers['idempotency-key']);
        return reply.status(201).send(out);
      },
    );

    app.get(
      '/api/countermeasures',
      {
        config: { policy: readers },
        schema: {
          tags,
          summary:
            'Countermeasures: a party’s own (its pending ones by default), the centre’s all; keyset pages',
          querystring: CountermeasureQuery,
          response: { 200: CountermeasureList, ...errors },
        },
      },
      async (req) => svc.list(actorOf(req), req.query),
    );

    app.get(
      '/api/countermeasures/figures',
      {
        config: { policy: figureReaders },
        schema: {
          tags,
          summary:
            'Figures per party: requested, executed, refused, open, overdue, numbers shut, median time',
          response: { 200: CountermeasureFigures, ...errors },
        },
      },
      async () => svc.figures(),
    );

    app.get(
      '/api/countermeasures/:id',
      {
        config: { policy: readers },
        schema: {
          tags,
          summary: 'One countermeasure, with its signed instruction (another party’s is 404)',
          params: IdParams,
          response: { 200: CountermeasureView, ...errors },
        },
      },
      async (req) => svc.get(actorOf(req), req.params.id),
    );

    app.get(
      '/api/countermeasures/:id/history',
      {
        config: { policy: readers },
        schema: {
          tags,
          summary:
            'One countermeasure’s history, oldest first: each request, answer and lift, when and by whom',
          description:
            'As recorded with each change (the audit trail holds the same). Another party’s is 404; a party sees ' +
            'its own side’s names, null for the centre’s staff.',
          params: IdParams,
          response: { 200: CountermeasureHistory, ...errors },
        },
      },
      async (req) => svc.history(actorOf(req), req.params.id),
    );

    app.post(
      '/api/countermeasures/:id/answer',
      {
        config: { policy: parties, action: 'countermeasure.answer' },
        preValidation: keepRawBody,
        schema: {
          tags,
          summary: 'Answer a countermeasure: acknowledged, executed, refused (with its reason) or lifted',
          description:
            'As the lifecycle allows (else `409` `countermeasure.transition`). A system answering with its key ' +
            'signs: `X-Fanzha-Signature` over `{ countermeasureId, idempotencyKey, answer: <the body as sent> }`; a ' +
            'missing or wrong signature is `401` and changes nothing.',
          params: IdParams,
          headers: SignedKeyHeaders,
          body: CountermeasureAnswer,
          response: { 200: CountermeasureView, ...errors },
        },
      },
      async (req) => {
        checkPartySignature(
          actorOf(req),
          {
            countermeasureId: req.params.id,
            idempotencyKey: req.headers['idempotency-key'],
            answer: rawBodyOf(req),
          },
          req.headers['x-fanzha-signature'],
        );
        return svc.answer(ctxOf(req), req.params.id, req.body, req.headers['idempotency-key']);
      },
    );

    app.post(
      '/api/countermeasures/answers',
      {
        config: { policy: parties, action: 'countermeasure.answer' },
        preValidation: keepRawBody,
        schema: {
          tags,
          summary: 'Answer a batch of countermeasures (up to 500): each item has its own result',
          description:
            'A bad item (unknown, another party’s, not allowed from its status) is refused in its result, beside ' +
            'the good ones. A system signs `{ idempotencyKey, answers: <the request body as sent> }`.',
          headers: SignedKeyHeaders,
          body: CountermeasureBatchAnswer,
          response: { 200: CountermeasureBatchResult, ...errors },
        },
      },
      async (req) => {
        checkPartySignature(
          actorOf(req),
          { idempotencyKey: req.headers['idempotency-key'], answers: rawBodyOf(req) },
          req.headers['x-fanzha-signature'],
        );
        return svc.answerBatch(ctxOf(req), req.body, req.headers['idempotency-key']);
      },
    );

    app.post(
      '/api/countermeasures/:id/lift',
      {
        config: { policy: centre, action: 'countermeasure.lift' },
        schema: {
          tags,
          summary:
            'Ask the party to lift an executed countermeasure (an appeal granted, a number reassigned)',
          params: IdParams,
          headers: KeyHeaders,
          body: CountermeasureLiftRequest,
          response: { 200: CountermeasureView, ...errors },
        },
      },
      async (req) =>
        svc.requestLift(ctxOf(req), req.params.id, req.body.reason, req.headers['idempotency-key']),
    );
  };
}
