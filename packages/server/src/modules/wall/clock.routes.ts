import { ClockStats, ClockStatsQuery, ErrorBody } from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import { sql, type Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DB } from '../../db/schema';
import { validationError } from '../../platform/http/errors';

export const TARGET_S = 180;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Midnight today in China, whatever the server's time zone. */
export function startOfChinaDay(now: Date): Date {
  const local = new Date(now.getTime() + CHINA_OFFSET_MS);
  return new Date(
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - CHINA_OFFSET_MS,
  );
}

/**
 * Median and p90 of call answered → first account pushed / first instruction sent / first stop result,
 * and the share of reports stopped within three minutes. Aggregates only: no report is named.
 */
export async function clockStats(db: Kysely<DB>, from: Date, to: Date): Promise<ClockStats> {
  const stage = (
    column: 'first_account_pushed_at' | 'first_instruction_sent_at' | 'first_stop_result_at',
  ) => {
    const seconds = sql`extract(epoch from ${sql.ref(column)} - call_answered_at)`;
    return [
      sql<number>`count(${sql.ref(column)})::int`.as(`${column}_n`),
      sql<number | null>`percentile_cont(0.5) within group (order by ${seconds})::float8`.as(`${column}_p50`),
      sql<number | null>`percentile_cont(0.9) within group (order by ${seconds})::float8`.as(`${column}_p90`),
    ];
  };
  const row = await db
    .selectFrom('report')
    .select([
      sql<number>`count(*)::int`.as('reports'),
      ...stage('first_account_pushed_at'),
      ...stage('first_instruction_sent_at'),
      ...stage('first_stop_result_at'),
      sql<number>`count(*) filter (where first_stop_result_at - call_answered_at <= make_interval(secs => ${TARGET_S}))::int`.as(
        'within',
      ),
    ])
    .where('call_answered_at', '>=', from)
    .where('call_answered_at', '<', to)
    .executeTakeFirstOrThrow();
  const r = row as unknown as Record<string, number | null>;
  const round = (v: number | null | undefined) =>
    v === null || v === undefined ? null : Math.round(v * 10) / 10;
  const of = (c: string) => ({
    reached: r[`${c}_n`] ?? 0,
    medianS: round(r[`${c}_p50`]),
    p90S: round(r[`${c}_p90`]),
  });
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    reports: row.reports,
    toFirstPush: of('first_account_pushed_at'),
    toFirstInstruction: of('first_instruction_sent_at'),
    toFirstStopResult: of('first_stop_result_at'),
    withinTargetShare: row.reports > 0 ? Math.round(((r.within ?? 0) / row.reports) * 1000) / 1000 : null,
    targetS: TARGET_S,
  };
}

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
        const from = req.query.from ? new Date(req.query.from) : startOfChinaDay(now);
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
