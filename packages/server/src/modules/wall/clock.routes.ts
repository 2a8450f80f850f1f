import { ClockStats, ClockStatsQuery, ErrorBody } from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DB } from '../../db/schema';
import { validationError } from '../../platform/http/errors';
import { dayStart } from './china-time';
import { clockStats } from './clock.service';

export function clockRoutes(deps: { db: Kysely<DB>; clock: Clock }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/stats/clock',
      {
        config: {
          policy: {
            access: 'roles',
            roles: ['supervisor', 'analyst', 'stop_payment_officer', 'wall'],
            scope: 'all',
          },
        },
        schema: {
          tags: ['stats'],
          summary: 'The three-minute clock: median and p90 from call to stop, and the share within target',
          querystring: ClockStatsQuery,
          response: { 200: ClockStats, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (req) => {
        const now = deps.clock.now();
        const from = req.query.from ? new Date(req.query.from) : dayStart(now);
        const to = req.query.to ? new Date(req.query.to) : now;
        if (from >= to)
          throw validationError([
            { field: 'query.from', reason: 'after_to', message: 'from must be before to' },
          ]);
        return clockStats(deps.db, from, to);
      },
    );
  };
}
