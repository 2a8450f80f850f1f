import {
  ErrorBody,
  IndicatorDecisionRequest,
  IndicatorHistory,
  IndicatorIdParams,
  IndicatorMergeRequest,
  IndicatorReassignedRequest,
  IndicatorReassignedResult,
  IndicatorView,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { checkPartySignature, PartySignatureHeaders } from '../../platform/http/party-signature';
import { actorOf } from '../../platform/http/policy';
import { keepRawBody, rawBodyOf } from '../../platform/http/raw-body';
import type { IndicatorDecisions } from './indicators.decisions';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** Analysts and supervisors decide (研判). */
const deciders = { access: 'roles', roles: ['analyst', 'supervisor'] } as const;
/** The operator's liaison in the console, or the operator's system with its signal key. */
const operators = { access: 'roles', roles: ['telecom_liaison'], scope: 'own-operator' } as const;
const tags = ['indicators'];

/** The registry's decisions: analysts' on one indicator, merges, and operators' reassigned numbers. */
export function indicatorDecisionRoutes(deps: {
  decisions: IndicatorDecisions;
  clock: Clock;
}): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  return async (app) => {
    app.post(
      '/api/indicators/:id/decisions',
      {
        config: { policy: deciders, action: 'indicator.decide' },
        schema: {
          tags,
          summary: 'Decide on an indicator: not fraud, shared, unshared, reinstated — with a reason',
          description:
            'Recorded in the indicator’s history and audited; screening stops (or starts again) matching it at ' +
            'once. The same decision again answers `200` and changes nothing; a decision its status does not ' +
            'allow is `409` (`indicators.transition`).',
          params: IndicatorIdParams,
          body: IndicatorDecisionRequest,
          response: { 200: IndicatorView, ...errors },
        },
      },
      async (req) => deps.decisions.decide(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/api/indicators/:id/merge',
      {
        config: { policy: deciders, action: 'indicator.merge' },
        schema: {
          tags,
          summary: 'Merge this indicator into another of the same kind (its sources move there)',
          description:
            'The merged indicator keeps its value (the key stays unique) with status `merged` and `mergedInto`; ' +
            'a later report naming it counts on the survivor. Answers the survivor. Merging again into the same ' +
            'one changes nothing.',
          params: IndicatorIdParams,
          body: IndicatorMergeRequest,
          response: { 200: IndicatorView, ...errors },
        },
      },
      async (req) => deps.decisions.merge(ctxOf(req), req.params.id, req.body),
    );

    app.get(
      '/api/indicators/:id/history',
      {
        config: { policy: deciders },
        schema: {
          tags,
          summary: 'An indicator’s decisions, latest first: who, why, from and to',
          params: IndicatorIdParams,
          response: { 200: IndicatorHistory, ...errors },
        },
      },
      async (req) => deps.decisions.history(req.params.id),
    );

    app.post(
      '/api/indicators/reassigned',
      {
        config: { policy: operators, action: 'indicator.reassigned' },
        preValidation: keepRawBody,
        schema: {
          tags,
          summary: 'An operator reports a number reassigned to a new subscriber: its indicator is suspended',
          description:
            'Suspended, not blocked: screening stops matching the number and the public lookup says no record. ' +
            'A number the registry does not have answers `indicator: null` and changes nothing. An operator’s ' +
            'system uses its signal key (`Authorization: Bearer fzs_…`) and signs: `X-Fanzha-Signature` over ' +
            '`{ reassigned: <the request body as sent> }`.',
          headers: PartySignatureHeaders('`{ reassigned: <the request body as sent> }`'),
          body: IndicatorReassignedRequest,
          response: { 200: IndicatorReassignedResult, ...errors },
        },
      },
      async (req) => {
        checkPartySignature(actorOf(req), { reassigned: rawBodyOf(req) }, req.headers['x-fanzha-signature']);
        return deps.decisions.reassigned(ctxOf(req), req.body);
      },
    );
  };
}
