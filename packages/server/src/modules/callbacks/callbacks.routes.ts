import {
  CallbackAttemptRequest,
  CallbackContact,
  CallbackList,
  CallbackQuery,
  CallbackRates,
  CallbackRatesQuery,
  CallbackSettingsBody,
  CallbackView,
  CommandHeaders,
  EmptyBody,
  ErrorBody,
  IdParams,
} from '@fanzha/contracts';
import { validateCountyCode, type Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DB } from '../../db/schema';
import { validationError } from '../../platform/http/errors';
import { actorOf } from '../../platform/http/policy';
import { monthStart } from '../wall/index';
import { callbackRates } from './callbacks.rates';
import type { CallbacksService } from './callbacks.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** Call-takers and the supervisor make the centre's callbacks, whatever the county. */
const callers = { access: 'roles', roles: ['call_taker', 'supervisor'], scope: 'all' } as const;
const supervisor = { access: 'roles', roles: ['supervisor'], scope: 'all' } as const;
const readers = { access: 'roles', roles: ['supervisor', 'analyst', 'wall'], scope: 'all' } as const;
const tags = ['callbacks'];
const MAX_SPAN_MS = 400 * 86_400_000;

export function callbackRoutes(deps: {
  callbacks: CallbacksService;
  db: Kysely<DB>;
  clock: Clock;
}): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  return async (app) => {
    app.get(
      '/api/callbacks',
      {
        config: { policy: callers },
        schema: {
          tags,
          summary: 'The callbacks queue (回访): open ones due first, or the latest closed',
          querystring: CallbackQuery,
          response: { 200: CallbackList, ...errors },
        },
      },
      async (req) => deps.callbacks.list(actorOf(req), req.query),
    );

    app.get(
      '/api/callbacks/rates',
      {
        config: { policy: readers },
        schema: {
          tags,
          summary: 'Callback figures: scheduled, reached, reach rate, mean satisfaction, complaints, by kind',
          description: 'Aggregates only, over the callbacks made in [from, to), of one county if asked.',
          querystring: CallbackRatesQuery,
          response: { 200: CallbackRates, ...errors },
        },
      },
      async (req) => {
        const now = deps.clock.now();
        const from = req.query.from ? new Date(req.query.from) : monthStart(now);
        const to = req.query.to ? new Date(req.query.to) : now;
        if (from >= to)
          throw validationError([
            { field: 'query.from', reason: 'after_to', message: 'from must be before to' },
          ]);
        if (to.getTime() - from.getTime() > MAX_SPAN_MS)
          throw validationError([
            { field: 'query.from', reason: 'too_long', message: 'at most 400 days from from to to' },
          ]);
        // A mistyped county would answer zeros that look like a county with no callbacks.
        const county = req.query.county ? validateCountyCode(req.query.county) : undefined;
        if (county && !county.ok)
          throw validationError([{ field: 'query.county', reason: county.reason, message: county.message }]);
        return callbackRates(deps.db, from, to, req.query.county ?? null);
      },
    );

    app.get(
      '/api/callbacks/settings',
      {
        config: { policy: supervisor },
        schema: {
          tags,
          summary: 'The callbacks’ settings: delay before the first call per kind, retry spacing, attempts',
          response: { 200: CallbackSettingsBody, ...errors },
        },
      },
      async () => deps.callbacks.settings(),
    );

    app.put(
      '/api/callbacks/settings',
      {
        config: { policy: supervisor, action: 'callback.settings' },
        schema: {
          tags,
          summary: 'Tune the callbacks’ settings (audited); callbacks already scheduled keep their times',
          body: CallbackSettingsBody,
          response: { 200: CallbackSettingsBody, ...errors },
        },
      },
      async (req) => deps.callbacks.saveSettings(ctxOf(req), req.body),
    );

    app.get(
      '/api/callbacks/:id',
      {
        config: { policy: callers },
        schema: {
          tags,
          summary: 'One callback: the person (masked), its attempts, and the script to read',
          params: IdParams,
          response: { 200: CallbackView, ...errors },
        },
      },
      async (req) => deps.callbacks.get(actorOf(req), req.params.id),
    );

    app.post(
      '/api/callbacks/:id/contact',
      {
        config: { policy: callers, action: 'callback.contact' },
        schema: {
          tags,
          summary: 'The person’s name and phone in full, to place the call (every read audited)',
          params: IdParams,
          body: EmptyBody,
          response: { 200: CallbackContact, ...errors },
        },
      },
      async (req) => deps.callbacks.contact(ctxOf(req), req.params.id),
    );

    app.post(
      '/api/callbacks/:id/attempts',
      {
        config: { policy: callers, action: 'callback.attempt' },
        schema: {
          tags,
          summary:
            'Record an attempt: reached (satisfaction 1–5, a complaint), no answer, busy, refused, wrong number',
          description:
            'An unanswered attempt schedules a retry, up to the settings’ attempts, then the callback closes as ' +
            'unreachable. A satisfaction ≤ 2 or a complaint becomes a supervision item. `409` once closed; a retry ' +
            'with the same `Idempotency-Key` changes nothing.',
          params: IdParams,
          headers: CommandHeaders,
          body: CallbackAttemptRequest,
          response: { 200: CallbackView, ...errors },
        },
      },
      async (req) =>
        deps.callbacks.attempt(ctxOf(req), req.params.id, req.body, req.headers['idempotency-key']),
    );
  };
}
