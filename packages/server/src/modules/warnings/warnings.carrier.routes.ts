import {
  CarrierAnswerRequest,
  CarrierRequestList,
  CarrierRequestQuery,
  CarrierRequestView,
  ErrorBody,
  IdParams,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { checkPartySignature, PartySignatureHeaders } from '../../platform/http/party-signature';
import { actorOf } from '../../platform/http/policy';
import { keepRawBody, rawBodyOf } from '../../platform/http/raw-body';
import type { CarrierDesk } from './warnings.carrier';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** The operator's liaison sees its own operator's requests; the supervisor all (read only). */
const readers = { access: 'roles', roles: ['telecom_liaison', 'supervisor'], scope: 'own-operator' } as const;
const liaison = { access: 'roles', roles: ['telecom_liaison'], scope: 'own-operator' } as const;
const tags = ['warnings'];

const SignedAnswerHeaders = PartySignatureHeaders(
  '`{ carrierRequestId, answer: <the request body as sent> }`',
);

/**
 * Carrier assist (运营商协助): the requests to an operator and its answers, with a liaison's session or the
 * operator's system's signal key (which signs its answers).
 */
export function carrierRoutes(deps: { desk: CarrierDesk; clock: Clock }): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  return async (app) => {
    app.get(
      '/api/carrier-requests',
      {
        config: { policy: readers },
        schema: {
          tags,
          summary:
            'Carrier assist requests (运营商协助) to your operator: open oldest first, or answered newest first',
          description:
            'Each asks the operator to interrupt the subscriber’s line and clear any call forwarding. The ' +
            'subscriber’s number is shown in full (the operator needs it); each page read is audited. Pages: ' +
            'pass `nextCursor` as `after` (the same `status`) until it is null.',
          querystring: CarrierRequestQuery,
          response: { 200: CarrierRequestList, ...errors },
        },
      },
      async (req) => deps.desk.list(ctxOf(req), req.query),
    );

    app.get(
      '/api/carrier-requests/:id',
      {
        config: { policy: readers },
        schema: {
          tags,
          summary: 'One carrier assist request and its answer',
          description: 'The subscriber’s number is shown in full, as in the list; each read is audited.',
          params: IdParams,
          response: { 200: CarrierRequestView, ...errors },
        },
      },
      async (req) => deps.desk.get(ctxOf(req), req.params.id),
    );

    app.post(
      '/api/carrier-requests/:id/answer',
      {
        config: { policy: liaison, action: 'carrier_request.answer' },
        // The signature of an operator's system covers the body exactly as sent.
        preValidation: keepRawBody,
        schema: {
          tags,
          summary:
            'Answer a carrier assist request: interrupted, forwarding cleared, refused (why), not ours',
          description:
            'Once: the same answer again answers `200` and changes nothing; another answer is `409` ' +
            '(`carrier.answered`). `refused` needs a `reason` (`400`). At the carrier step the ladder moves on: ' +
            'interrupted or forwarding cleared → a persuader calls at once; refused or not ours → the visit. ' +
            "An operator's system answers with its signal key (`Authorization: Bearer fzs_…`) and signs: " +
            '`X-Fanzha-Signature` over `{ carrierRequestId, answer: <the request body as sent> }`; a missing or ' +
            'wrong signature is 401 and changes nothing.',
          params: IdParams,
          headers: SignedAnswerHeaders,
          body: CarrierAnswerRequest,
          response: { 200: CarrierRequestView, ...errors },
        },
      },
      async (req) => {
        checkPartySignature(
          actorOf(req),
          { carrierRequestId: req.params.id, answer: rawBodyOf(req) },
          req.headers['x-fanzha-signature'],
        );
        return deps.desk.answer(ctxOf(req), req.params.id, req.body);
      },
    );
  };
}
