import {
  ErrorBody,
  PayeeCheckHeaders,
  PayeeCheckRequest,
  PayeeCheckResult,
  RiskLookupRequest,
  RiskLookupResult,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, publicRoute } from '../../platform/http/policy';
import { keepRawBody, rawBodyOf } from '../../platform/http/raw-body';
import { checkPartySignature } from '../../platform/http/party-signature';
import { PAYEE_CHECK_ACTION, type RiskLookupService } from './risk-lookup.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody };

export function riskLookupRoutes(deps: { lookup: RiskLookupService; clock: Clock }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/public/risk-lookup',
      {
        config: publicRoute('lookup'),
        schema: {
          tags: ['public'],
          summary: 'Check a phone number, URL or bank account: high risk, suspicious, or no record',
          description:
            'No sign-in. One whole value per call, normalised as the registry does (E.164, registrable domain, ' +
            'account digits); no wildcards, prefixes or lists. The answer is a coarse level with what to do next ' +
            'in zh-CN and en, never who reported it or how often. `no_record` does not mean safe. Limited per ' +
            'client address (the `lookup` class): 429 with Retry-After.',
          body: RiskLookupRequest,
          response: { 200: RiskLookupResult, 400: ErrorBody, 429: ErrorBody },
        },
      },
      async (req) => deps.lookup.lookup(req.body),
    );

    app.post(
      '/api/bank/payee-checks',
      {
        config: {
          policy: { access: 'roles', roles: ['bank_liaison'], scope: 'own-bank', limit: 'payee-check' },
          action: PAYEE_CHECK_ACTION,
        },
        // The signature covers the body exactly as sent.
        preValidation: keepRawBody,
        schema: {
          tags: ['bank'],
          summary: "Payment-time check of 1 to 100 payees' accounts: a level and a reason code for each",
          description:
            'Bank key (`Authorization: Bearer fzk_…`) or liaison session. A bank system using a key also sends ' +
            '`X-Fanzha-Signature`: Ed25519 (base64) over the canonical JSON of `{ payeeCheck: <the request body ' +
            'as sent> }`. Every account is checked first: one malformed account or a repeated `ref` refuses the ' +
            'call (400, each problem named) and nothing is looked up. Results come in the order sent. Limited ' +
            'per key (the `payee-check` class) on top of the ceiling per key. One audit entry per call.',
          headers: PayeeCheckHeaders,
          body: PayeeCheckRequest,
          response: { 200: PayeeCheckResult, ...errors },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        checkPartySignature(actor, { payeeCheck: rawBodyOf(req) }, req.headers['x-fanzha-signature']);
        return deps.lookup.checkPayees({ at: deps.clock.now(), requestId: req.id, actor }, req.body);
      },
    );
  };
}
