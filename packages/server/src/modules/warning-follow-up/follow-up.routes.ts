import { EffectivenessQuery, ErrorBody, WarningEffectiveness } from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DB } from '../../db/schema';
import { validationError } from '../../platform/http/errors';
import { monthStart } from '../wall/index';
import { warningEffectiveness } from './follow-up.service';

const MAX_SPAN_MS = 400 * 86_400_000;

export function followUpRoutes(deps: { db: Kysely<DB>; clock: Clock }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/warnings/effectiveness',
      {
        config: { policy: { access: 'roles', roles: ['supervisor', 'analyst', 'wall'], scope: 'all' } },
        schema: {
          tags: ['stats'],
          summary:
            'Did the warnings work (预警成效): contacts, first contact, persuaded, defrauded after a warning',
          description:
            'Aggregates only. Episodes opened in [from, to) give the contacts, visits, holds and first-contact ' +
            'latency; episodes closed in [from, to) the persuaded share and the follow-up checks — whether the ' +
            'person was the victim of a report filed after the episode opened, 7 and 30 days after it closed — ' +
            'in all, by the strongest channel that reached them and by source (with its precision).',
          querystring: EffectivenessQuery,
          response: { 200: WarningEffectiveness, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
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
        return warningEffectiveness(deps.db, from, to);
      },
    );
  };
}
