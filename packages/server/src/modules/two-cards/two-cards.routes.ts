import {
  CommandHeaders,
  ErrorBody,
  HandOffTwoCardHolderRequest,
  IdParams,
  LiftTwoCardMeasureRequest,
  RecordTwoCardMeasureRequest,
  TwoCardHolderDetail,
  TwoCardHolderList,
  TwoCardHolderQuery,
  TwoCardHolderSummary,
  TwoCardImportRequest,
  TwoCardImportResult,
  TwoCardLeague,
  TwoCardLeagueQuery,
  TwoCardMeasureList,
  TwoCardMeasureQuery,
  TwoCardMeasureView,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/policy';
import type { TwoCardsService } from './two-cards.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** The centre's analysts and the supervisor read holders and decide measures and hand-offs. */
const analysts = { access: 'roles', roles: ['supervisor', 'analyst'], scope: 'all' } as const;
/** The league: the centre's staff all of it; a bank's or operator's liaison only their own institution's rows. */
const league = {
  access: 'roles',
  roles: ['supervisor', 'analyst', 'bank_liaison', 'telecom_liaison'],
  scope: 'all',
} as const;
const tags = ['two-cards'];

export function twoCardRoutes(deps: { twoCards: TwoCardsService; clock: Clock }): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  return async (app) => {
    app.get(
      '/api/two-cards/holders',
      {
        config: { policy: analysts },
        schema: {
          tags,
          summary: 'Holders (卡农) whose cards were found in cases, most cases first',
          querystring: TwoCardHolderQuery,
          response: { 200: TwoCardHolderList, ...errors },
        },
      },
      async (req) => deps.twoCards.holders(req.query),
    );

    app.get(
      '/api/two-cards/holders/:id',
      {
        config: { policy: analysts },
        schema: {
          tags,
          summary:
            'One holder: the whole ID number, their cards and the cases each was found in, their measures',
          params: IdParams,
          response: { 200: TwoCardHolderDetail, ...errors },
        },
      },
      async (req) => deps.twoCards.holder(req.params.id),
    );

    app.get(
      '/api/two-cards/league',
      {
        config: { policy: league },
        schema: {
          tags,
          summary:
            'Where the cards found in cases were opened: bank branches or operators’ outlets, most first',
          description:
            'For the regulators. A bank liaison reads the bank league of their own bank only, an operator ' +
            'liaison the operator league of their own operator only (403 otherwise).',
          querystring: TwoCardLeagueQuery,
          response: { 200: TwoCardLeague, ...errors },
        },
      },
      async (req) => deps.twoCards.league(actorOf(req), req.query),
    );

    app.post(
      '/api/two-cards/imports',
      {
        bodyLimit: 6 * 1024 * 1024,
        config: { policy: analysts, action: 'two_cards.import' },
        schema: {
          tags,
          summary: 'Import cards with their holders and opening branches or outlets (CSV or JSON rows)',
          description:
            'Good rows are taken (a known card takes the row’s holder, place and date); each bad row is ' +
            'reported by line with its field and reason, and does not stop the others.',
          body: TwoCardImportRequest,
          response: { 200: TwoCardImportResult, ...errors },
        },
      },
      async (req) => deps.twoCards.importCards(ctxOf(req), req.body),
    );

    app.post(
      '/api/two-cards/holders/:id/measures',
      {
        config: { policy: analysts, action: 'two_cards.measure_record' },
        schema: {
          tags,
          summary: 'Record a measure (惩戒措施) against the holder; it ends after the configured period',
          description:
            'A retry with the same `Idempotency-Key` records nothing more and answers the measure.',
          params: IdParams,
          headers: CommandHeaders,
          body: RecordTwoCardMeasureRequest,
          response: { 200: TwoCardMeasureView, ...errors },
        },
      },
      async (req) =>
        deps.twoCards.recordMeasure(ctxOf(req), req.params.id, req.body, req.headers['idempotency-key']),
    );

    app.get(
      '/api/two-cards/measures',
      {
        config: { policy: analysts },
        schema: {
          tags,
          summary: 'Measures, the latest started first; by holder and state',
          querystring: TwoCardMeasureQuery,
          response: { 200: TwoCardMeasureList, ...errors },
        },
      },
      async (req) => deps.twoCards.measures(req.query),
    );

    app.post(
      '/api/two-cards/measures/:id/lift',
      {
        config: { policy: analysts, action: 'two_cards.measure_lift' },
        schema: {
          tags,
          summary: 'Lift a measure pending or in force, with a reason (`409` once lifted or ended)',
          params: IdParams,
          body: LiftTwoCardMeasureRequest,
          response: { 200: TwoCardMeasureView, ...errors },
        },
      },
      async (req) => deps.twoCards.liftMeasure(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/api/two-cards/holders/:id/hand-off',
      {
        config: { policy: analysts, action: 'two_cards.hand_off' },
        schema: {
          tags,
          summary:
            'Hand the holder to their county’s police: a task with a deadline in the supervision queue',
          description: 'A second hand-off moves the task to the new county and deadline.',
          params: IdParams,
          body: HandOffTwoCardHolderRequest,
          response: { 200: TwoCardHolderSummary, ...errors },
        },
      },
      async (req) => deps.twoCards.handOff(ctxOf(req), req.params.id, req.body),
    );
  };
}
