import {
  AppealDecision,
  AppealDetail,
  AppealFiling,
  AppealList,
  AppealQuery,
  AppealReceipt,
  AppealReferenceParams,
  AppealReview,
  AppealStatusQuery,
  AppealView,
  AppealWithdrawal,
  ErrorBody,
  IdParams,
  PublicAppealHeaders,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, publicRoute } from '../../platform/http/policy';
import type { AppealsService } from './appeals.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** Reviewers recommend; supervisors decide (and may review another's appeal). */
const reviewers = { access: 'roles', roles: ['analyst', 'supervisor'], scope: 'all' } as const;
const deciders = { access: 'roles', roles: ['supervisor'], scope: 'all' } as const;
const tags = ['appeals'];

/**
 * Appeals (申诉): filed and checked on the public form without sign-in (limited per client address, the
 * `appeal` class); reviewed by an analyst or supervisor and decided by a different supervisor.
 */
export function appealRoutes(deps: { appeals: AppealsService; clock: Clock }): FastifyPluginAsyncZod {
  const { appeals: svc } = deps;
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  return async (app) => {
    app.post(
      '/api/public/appeals',
      {
        config: publicRoute('appeal'),
        schema: {
          tags: ['public', ...tags],
          summary: 'File an appeal (申诉) against a listing or a measure: answers its reference number',
          description:
            'No sign-in. The subject: a phone number, URL or bank account the registry lists (and any ' +
            'countermeasure executed on it), or an ID number (the two-cards measures against its holder), ' +
            'written any way and normalised; or a bank account (bankCode and number) frozen (freeze) or held ' +
            '(hold). Bad input is `400` naming each field, and nothing is filed. The ' +
            'answer is the reference number, the status and the deadline only. An optional `Idempotency-Key` ' +
            'makes a retry answer the same reference. Limited per client address (the `appeal` class).',
          headers: PublicAppealHeaders,
          body: AppealFiling,
          response: {
            201: AppealReceipt,
            200: AppealReceipt,
            400: ErrorBody,
            409: ErrorBody,
            429: ErrorBody,
          },
        },
      },
      async (req, reply) => {
        const { receipt, isNew } = await svc.file(
          { at: deps.clock.now(), requestId: req.id, actor: null, clientAddress: req.ip },
          req.body,
          req.headers['idempotency-key'],
        );
        return reply.status(isNew ? 201 : 200).send(receipt);
      },
    );

    app.get(
      '/api/public/appeals/:reference',
      {
        config: publicRoute('appeal'),
        schema: {
          tags: ['public', ...tags],
          summary: 'The status of an appeal, by its reference number and the contact phone given',
          description:
            'No sign-in. Status and dates only. An unknown reference and a wrong phone number are the same ' +
            '`404`, so that no one learns which references exist.',
          params: AppealReferenceParams,
          querystring: AppealStatusQuery,
          response: { 200: AppealReceipt, 400: ErrorBody, 404: ErrorBody, 429: ErrorBody },
        },
      },
      async (req) => svc.status(req.params.reference, req.query.phone),
    );

    app.post(
      '/api/public/appeals/:reference/withdraw',
      {
        config: publicRoute('appeal'),
        schema: {
          tags: ['public', ...tags],
          summary: 'Withdraw an appeal (撤回), by its reference number and the contact phone given',
          description:
            'No sign-in. Only before a decision: a granted or denied appeal is `409` `appeal.transition`. An ' +
            'unknown reference and a wrong phone number are the same `404`. A withdrawal sent again answers the ' +
            'withdrawn appeal and changes nothing.',
          params: AppealReferenceParams,
          body: AppealWithdrawal,
          response: { 200: AppealReceipt, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody },
        },
      },
      async (req) =>
        svc.withdraw(
          { at: deps.clock.now(), requestId: req.id, actor: null, clientAddress: req.ip },
          req.params.reference,
          req.body,
        ),
    );

    app.get(
      '/api/appeals',
      {
        config: { policy: reviewers },
        schema: {
          tags,
          summary: 'Appeals, the open ones (filed, under review) by default, in filing order; keyset pages',
          description: 'Contact phones and ID numbers are masked here; open one appeal to see them.',
          querystring: AppealQuery,
          response: { 200: AppealList, ...errors },
        },
      },
      async (req) => svc.list(req.query),
    );

    app.get(
      '/api/appeals/:id',
      {
        config: { policy: reviewers },
        schema: {
          tags,
          summary: 'One appeal, whole (the read is audited), with its subject’s current state',
          params: IdParams,
          response: { 200: AppealDetail, ...errors },
        },
      },
      async (req) => svc.get(ctxOf(req), req.params.id),
    );

    app.post(
      '/api/appeals/:id/review',
      {
        config: { policy: reviewers, action: 'appeal.review' },
        schema: {
          tags,
          summary: 'The first review: a recommendation (grant or deny) with its reason',
          description: 'Only a filed appeal (else `409` `appeal.transition`).',
          params: IdParams,
          body: AppealReview,
          response: { 200: AppealView, ...errors },
        },
      },
      async (req) => svc.review(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/api/appeals/:id/decision',
      {
        config: { policy: deciders, action: 'appeal.decide' },
        schema: {
          tags,
          summary: 'The decision, by a supervisor other than the reviewer: grant or deny',
          description:
            'Only an appeal under review (else `409` `appeal.transition`); the reviewer deciding is `403` ' +
            '`appeal.same_person`. A grant clears the indicator (not fraud), asks the parties to lift every ' +
            'countermeasure executed on the value (reason "appeal granted") and lifts the holder’s two-cards ' +
            'measures; for a freeze it releases the account (when the reviewer recommended the grant, the release ' +
            'proposed in the reviewer’s name and approved in the decider’s, sent to the bank signed; otherwise ' +
            'proposed in the decider’s name and left for a second approver: `release_proposed`), for a ' +
            'protective hold it lifts the hold early. ' +
            '`effects` lists what changed, `effectStates` each effect with its state; a failed one is retried.',
          params: IdParams,
          body: AppealDecision,
          response: { 200: AppealView, ...errors },
        },
      },
      async (req) => svc.decide(ctxOf(req), req.params.id, req.body),
    );
  };
}
