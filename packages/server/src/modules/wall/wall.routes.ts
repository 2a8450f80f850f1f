import { ErrorBody, WallSummary } from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DB } from '../../db/schema';
import type { WallLoopSources } from './wall.loop';
import { wallSummary } from './wall.service';

/** The roles whose consoles include the wall; all of them see the whole province, in aggregates only. */
export const WALL_READERS = ['wall', 'supervisor', 'analyst', 'stop_payment_officer', 'call_taker'] as const;

export function wallRoutes(deps: {
  db: Kysely<DB>;
  clock: Clock;
  loop?: WallLoopSources;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/wall/summary',
      {
        config: { policy: { access: 'roles', roles: WALL_READERS, scope: 'all' } },
        schema: {
          tags: ['stats'],
          summary: 'The command wall (质态云图): every figure, from rollups kept as events happen',
          description:
            'Aggregates only: counties, fraud types, banks, amounts and times — never a name, a phone or ID ' +
            'number, or an account. Live changes arrive on `/api/stream` as `wall` messages (wall, supervisor and ' +
            'analyst roles); fetch this again on each.',
          response: { 200: WallSummary, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async () => wallSummary(deps.db, deps.clock.now(), deps.loop),
    );
  };
}
