import { z } from 'zod';

export const HealthResponse = z
  .object({
    status: z.enum(['ok', 'degraded']).describe('`degraded` when the database does not answer'),
    version: z.string(),
    storage: z.enum(['pglite', 'postgres']),
    bus: z.enum(['memory', 'nats']),
    role: z.enum(['all', 'api', 'worker']),
    uptimeS: z.number(),
    checks: z.object({
      database: z.enum(['ok', 'error']),
      outboxUnpublished: z.number().int().nullable().describe('Events committed but not yet on the bus'),
      outboxOldestAgeS: z.number().nullable(),
    }),
  })
  .meta({ id: 'HealthResponse' });
export type HealthResponse = z.infer<typeof HealthResponse>;
