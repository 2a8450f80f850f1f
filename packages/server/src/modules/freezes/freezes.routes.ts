import {
  BankReturnList,
  BankReturnQuery,
  EmptyBody,
  ErrorBody,
  FreezeRequest,
  FundDecisionList,
  FundDecisionRequest,
  FundDecisionView,
  IdParams,
  RejectRequest,
  RenewFreezeRequest,
  ReturnConfirmation,
  StopPaymentView,
} from '@fanzha/contracts';
import { fundDecisionStatuses, type Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseStatusList } from '../../platform/http/status-list';
import { checkPartySignature } from '../../platform/http/party-signature';
import { actorOf } from '../../platform/http/policy';
import { keepRawBody, rawBodyOf } from '../../platform/http/raw-body';
import type { FreezesService } from './freezes.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** The case-owning police act on stopped funds; the desk and the supervisor with them. */
const caseOwners = {
  access: 'roles',
  roles: ['stop_payment_officer', 'supervisor', 'county_police'],
  scope: 'own-county',
} as const;
/** The second approver of a release or a return. */
const approvers = { access: 'roles', roles: ['supervisor', 'county_police'], scope: 'own-county' } as const;
const bank = { access: 'roles', roles: ['bank_liaison'], scope: 'own-bank' } as const;
const tags = ['freezes'];

const DecisionQuery = z.strictObject({
  status: z
    .string()
    .regex(/^[a-z]+(,[a-z]+)*$/)
    .optional()
    .describe('Comma-separated statuses; default proposed,approved'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function freezeRoutes(deps: { freezes: FreezesService; clock: Clock }): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  const r = deps.freezes;
  return async (app) => {
    app.post(
      '/api/stop-payments/:id/freeze',
      {
        config: { policy: caseOwners, action: 'freeze.create' },
        schema: {
          tags,
          summary: 'Convert the emergency stop into a freeze (冻结) before it lapses',
          description:
            'By written decision, for at most the amount involved, six months by default (never longer), with the ' +
            'reason and the channel of appeal. The account must have been stopped by its bank.',
          params: IdParams,
          body: FreezeRequest,
          response: { 200: StopPaymentView, ...errors },
        },
      },
      async (req) => r.freeze(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/api/freezes/:id/renew',
      {
        config: { policy: caseOwners, action: 'freeze.renew' },
        schema: {
          tags,
          summary: 'Renew a freeze in force (续冻)',
          params: IdParams,
          body: RenewFreezeRequest,
          response: { 200: StopPaymentView, ...errors },
        },
      },
      async (req) => r.renew(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/api/freezes/:id/decisions',
      {
        config: { policy: caseOwners, action: 'fund-decision.propose' },
        schema: {
          tags,
          summary: 'Propose a release (解冻) or a return of funds to the victim (资金返还)',
          description:
            'The proposer is the first approver; a different person approves or rejects. The same proposal ' +
            'sent again (a retry after a lost answer: the same decision number, kind and amount for this ' +
            'freeze, while the first is not rejected or failed) answers the decision it made and writes nothing.',
          params: IdParams,
          body: FundDecisionRequest,
          response: { 200: FundDecisionView, ...errors },
        },
      },
      async (req) => r.propose(ctxOf(req), req.params.id, req.body),
    );

    app.get(
      '/api/fund-decisions',
      {
        config: { policy: { ...caseOwners, roles: [...caseOwners.roles, 'analyst'] } },
        schema: {
          tags,
          summary: 'Releases and returns, e.g. those awaiting a second approver',
          querystring: DecisionQuery,
          response: { 200: FundDecisionList, ...errors },
        },
      },
      async (req) => ({
        decisions: await r.decisions(actorOf(req), {
          statuses: parseStatusList(req.query.status, fundDecisionStatuses, ['proposed', 'approved']),
          limit: req.query.limit,
        }),
      }),
    );

    app.post(
      '/api/fund-decisions/:id/approve',
      {
        config: { policy: approvers, action: 'fund-decision.approve' },
        schema: {
          tags,
          summary: 'Approve as the second approver (never your own proposal)',
          description:
            'A return is then due from the bank within 3 working days (China public holidays skipped).',
          params: IdParams,
          body: EmptyBody,
          response: { 200: FundDecisionView, ...errors },
        },
      },
      async (req) => r.approve(ctxOf(req), req.params.id),
    );

    app.post(
      '/api/fund-decisions/:id/reject',
      {
        config: { policy: approvers, action: 'fund-decision.reject' },
        schema: {
          tags,
          summary: 'Reject as the second approver, with a reason',
          params: IdParams,
          body: RejectRequest,
          response: { 200: FundDecisionView, ...errors },
        },
      },
      async (req) => r.reject(ctxOf(req), req.params.id, req.body.reason),
    );

    app.get(
      '/api/bank/returns',
      {
        config: { policy: bank },
        schema: {
          tags: ['bank'],
          summary:
            'Returns of funds at your bank, in the order they changed (the return instructions of your feed)',
          description:
            'The earlier form of the return queue: the same returns are `return` instructions in ' +
            '`GET /api/bank/instructions?kind=return`, which also carries the signed instruction.',
          querystring: BankReturnQuery,
          response: { 200: BankReturnList, ...errors },
        },
      },
      async (req) =>
        r.returnsFor(actorOf(req), {
          after: req.query.after ?? null,
          updatedSince: req.query.updatedSince ? new Date(req.query.updatedSince) : null,
          limit: req.query.limit,
        }),
    );

    app.post(
      '/api/bank/returns/:id/confirm',
      {
        config: { policy: bank, action: 'fund-decision.confirm' },
        preValidation: keepRawBody,
        schema: {
          tags: ['bank'],
          summary: 'Confirm the funds were returned to the victim',
          description:
            'The same confirmation again changes nothing. A bank system using a key signs it: `X-Fanzha-Signature`, ' +
            'Ed25519 (base64) over the canonical JSON of `{ decisionId, confirmation: <the request body as sent> }`.',
          params: IdParams,
          body: ReturnConfirmation,
          response: { 200: FundDecisionView, ...errors },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const signed = { decisionId: req.params.id, confirmation: rawBodyOf(req) };
        checkPartySignature(actor, signed, req.headers['x-fanzha-signature']);
        return r.confirmReturn(ctxOf(req), req.params.id, req.body);
      },
    );
  };
}
