import {
  CommandHeaders,
  EmptyBody,
  EpisodeList,
  EpisodeQuery,
  EpisodeView,
  ErrorBody,
  HoldRequest,
  IdParams,
  OutcomeRequest,
  VerifyAnswer,
  VerifyParams,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, publicRoute } from '../../platform/http/policy';
import type { WarningsConsole } from './warnings.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** Persuaders see their county's episodes (the centre's desk, without a county, all); the supervisor all. */
const desk = { access: 'roles', roles: ['persuader', 'supervisor'], scope: 'own-county' } as const;
const tags = ['warnings'];

export function warningRoutes(deps: { console: WarningsConsole; clock: Clock }): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  const keyOf = (req: { headers: { 'idempotency-key'?: string | undefined } }) =>
    req.headers['idempotency-key'];
  return async (app) => {
    app.get(
      '/api/episodes',
      {
        config: { policy: desk },
        schema: {
          tags,
          summary: 'Warning episodes (预警事件): open first, then grade, overdue, oldest; keyset pages',
          querystring: EpisodeQuery,
          response: { 200: EpisodeList, ...errors },
        },
      },
      async (req) => deps.console.list(actorOf(req), req.query),
    );

    app.get(
      '/api/episodes/:id',
      {
        config: { policy: desk },
        schema: {
          tags,
          summary:
            'One episode: the person, warnings with their grading, contacts, the ladder and its history',
          params: IdParams,
          response: { 200: EpisodeView, ...errors },
        },
      },
      async (req) => deps.console.get(actorOf(req), req.params.id),
    );

    app.post(
      '/api/episodes/:id/take',
      {
        config: { policy: desk, action: 'episode.take' },
        schema: {
          tags,
          summary: 'Take the episode: it is yours to work',
          params: IdParams,
          body: EmptyBody,
          response: { 200: EpisodeView, ...errors },
        },
      },
      async (req) => deps.console.take(ctxOf(req), req.params.id),
    );

    app.post(
      '/api/episodes/:id/outcome',
      {
        config: { policy: desk, action: 'episode.outcome' },
        schema: {
          tags,
          summary: 'Record how a contact ended; the ladder moves on (or the episode closes)',
          description:
            '`409` when the ladder does not take this outcome at its step. The same closing outcome again, or a ' +
            'retry with the same `Idempotency-Key`, changes nothing.',
          params: IdParams,
          headers: CommandHeaders,
          body: OutcomeRequest,
          response: { 200: EpisodeView, ...errors },
        },
      },
      async (req) => deps.console.outcome(ctxOf(req), req.params.id, req.body, keyOf(req)),
    );

    app.post(
      '/api/episodes/:id/hold',
      {
        config: { policy: desk, action: 'episode.request_hold' },
        schema: {
          tags,
          summary: 'Request a protective hold (保护性止付) of the person’s own transfers, 1–72 h',
          description: 'From carrier assist or the visit only; another person must approve it.',
          params: IdParams,
          headers: CommandHeaders,
          body: HoldRequest,
          response: { 200: EpisodeView, ...errors },
        },
      },
      async (req) => deps.console.requestHold(ctxOf(req), req.params.id, req.body, keyOf(req)),
    );

    for (const [path, action, summary, run] of [
      [
        'approve',
        'episode.approve_hold',
        'Approve the hold (not the requester): it starts now and lapses at its end',
        deps.console.approveHold,
      ],
      [
        'reject',
        'episode.reject_hold',
        'Reject the hold request: back to the visit',
        deps.console.rejectHold,
      ],
      [
        'release',
        'episode.release_hold',
        'Release the hold early: the episode closes',
        deps.console.releaseHold,
      ],
    ] as const) {
      app.post(
        `/api/episodes/:id/hold/${path}`,
        {
          config: { policy: desk, action },
          schema: {
            tags,
            summary,
            params: IdParams,
            headers: CommandHeaders,
            body: EmptyBody,
            response: { 200: EpisodeView, ...errors },
          },
        },
        async (req) => run(ctxOf(req), req.params.id, keyOf(req)),
      );
    }

    app.get(
      '/api/public/verify/:code',
      {
        config: publicRoute('public'),
        schema: {
          tags,
          summary: 'Check a verification code (核验码): did this SMS or call really come from the centre?',
          description:
            'Public and rate-limited. A code with a wrong check character is refused (`400`, reason `code.check`) ' +
            'without a lookup; an unknown code answers `isGenuine: false`. Nothing about the person is told.',
          params: VerifyParams,
          response: { 200: VerifyAnswer, 400: ErrorBody, 429: ErrorBody },
        },
      },
      async (req) => deps.console.verify(req.params.code),
    );
  };
}
