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
  TwoCardInstructionAnswer,
  TwoCardInstructionList,
  TwoCardInstructionQuery,
  TwoCardInstructionView,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/policy';
import { checkPartySignature, PartySignatureHeaders } from '../../platform/http/party-signature';
import { keepRawBody, rawBodyOf } from '../../platform/http/raw-body';
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
/** The parties that carry measures out: a bank's liaison or its system (bank key), an operator's (signal key). */
const parties = { access: 'roles', roles: ['bank_liaison', 'telecom_liaison'] } as const;
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

    app.get(
      '/api/two-cards/instructions',
      {
        config: { policy: parties },
        schema: {
          tags,
          summary: 'A party’s two-cards measures to carry out: its signed instructions (pending by default)',
          description:
            'A bank reads the account measures against holders whose bank cards it opened, an operator the ' +
            'limits on new phone cards; each signed by the centre (verify with `GET /api/bank/signing-key`). ' +
            'Oldest first; `nextCursor` pages on.',
          querystring: TwoCardInstructionQuery,
          response: { 200: TwoCardInstructionList, ...errors },
        },
      },
      async (req) => deps.twoCards.instructions.list(actorOf(req), req.query),
    );

    app.get(
      '/api/two-cards/instructions/:id',
      {
        config: { policy: parties },
        schema: {
          tags,
          summary: 'One two-cards instruction, signed (another party’s is 404)',
          params: IdParams,
          response: { 200: TwoCardInstructionView, ...errors },
        },
      },
      async (req) => deps.twoCards.instructions.get(actorOf(req), req.params.id),
    );

    app.post(
      '/api/two-cards/instructions/:id/answer',
      {
        config: { policy: parties, action: 'two_cards.instruction_answer' },
        preValidation: keepRawBody,
        schema: {
          tags,
          summary: 'Answer a two-cards instruction: acknowledged, executed, or refused with its reason',
          description:
            'As the lifecycle allows (`409` otherwise); the same answer again changes nothing. A system ' +
            'answering with its key signs `{ instructionId, answer: <the body as sent> }` in ' +
            '`X-Fanzha-Signature`; a missing or wrong signature is `401` and changes nothing.',
          params: IdParams,
          headers: PartySignatureHeaders('{ instructionId, answer }'),
          body: TwoCardInstructionAnswer,
          response: { 200: TwoCardInstructionView, ...errors },
        },
      },
      async (req) => {
        checkPartySignature(
          actorOf(req),
          { instructionId: req.params.id, answer: rawBodyOf(req) },
          req.headers['x-fanzha-signature'],
        );
        return deps.twoCards.instructions.answer(ctxOf(req), req.params.id, req.body);
      },
    );
  };
}
