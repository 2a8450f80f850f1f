import { HealthResponse } from '@fanzha/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '@fanzha/domain';
import type { ProcessRole } from '../../config';
import type { Database } from '../../db/database';
import type { Bus } from '../../platform/bus/bus';
import type { Logger } from '../../platform/logger';
import { publicRoute } from '../../platform/http/policy';
import { outboxStats } from '../../platform/outbox/outbox';
import { version } from '../../version';
import { pingDatabase } from './health.repository';

/** What the health check reads: nothing of the modules, only the process and its two outside parts. */
export interface HealthDeps {
  database: Pick<Database, 'db' | 'kind'>;
  bus: Pick<Bus, 'kind'>;
  config: { role: ProcessRole };
  clock: Clock;
  log: Logger;
  startedAt: Date;
}

export function healthRoutes(deps: HealthDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/health',
      {
        config: publicRoute('health'),
        schema: {
          tags: ['platform'],
          summary: 'Liveness and readiness',
          description: 'Answers 200 when the database answers, 503 with status `degraded` when it does not.',
          response: { 200: HealthResponse, 503: HealthResponse },
        },
      },
      async (_req, reply) => {
        const base = {
          version,
          storage: deps.database.kind,
          bus: deps.bus.kind,
          role: deps.config.role,
          uptimeS: Math.round((deps.clock.now().getTime() - deps.startedAt.getTime()) / 1000),
        };
        try {
          await pingDatabase(deps.database.db);
          const outbox = await outboxStats(deps.database.db);
          return {
            ...base,
            status: 'ok' as const,
            checks: {
              database: 'ok' as const,
              outboxUnpublished: outbox.unpublished,
              outboxOldestAgeS: outbox.oldestUnpublishedAgeS,
            },
          };
        } catch (err) {
          deps.log.error({ err }, 'health: database check failed');
          return reply.status(503).send({
            ...base,
            status: 'degraded' as const,
            checks: { database: 'error' as const, outboxUnpublished: null, outboxOldestAgeS: null },
          });
        }
      },
    );
  };
}
