import {
  ErrorBody,
  GeneratePeriodReportRequest,
  IdParams,
  PeriodReportDetail,
  PeriodReportList,
  PeriodReportQuery,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/policy';
import { CONTENT_TYPES, type PeriodReports } from './period-reports.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
/** The supervisor (值班长) and analysts: every scope; county police: their own county's reports only. */
const policy = {
  access: 'roles',
  roles: ['supervisor', 'analyst', 'county_police'],
  scope: 'own-county',
} as const;
const tags = ['period-reports'];

export function periodReportRoutes(deps: { reports: PeriodReports; clock: Clock }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/period-reports',
      {
        config: { policy },
        schema: {
          tags,
          summary: 'Past period reports (日报/周报/月报), newest first',
          querystring: PeriodReportQuery,
          response: { 200: PeriodReportList, ...errors },
        },
      },
      async (req) => ({ reports: await deps.reports.list(actorOf(req), req.query) }),
    );

    app.post(
      '/api/period-reports',
      {
        config: { policy, action: 'period-report.generate' },
        schema: {
          tags,
          summary: 'Generate a report now: the day, week (Mon–Sun) or month of `date`, China time',
          description:
            'A date after today (China time) is refused. The files are kept: a download is always the same bytes.',
          body: GeneratePeriodReportRequest,
          response: { 200: PeriodReportDetail, ...errors },
        },
      },
      async (req) =>
        deps.reports.generate({ at: deps.clock.now(), requestId: req.id, actor: actorOf(req) }, req.body),
    );

    app.get(
      '/api/period-reports/:id',
      {
        config: { policy },
        schema: {
          tags,
          summary: 'One report with its figures',
          params: IdParams,
          response: { 200: PeriodReportDetail, ...errors },
        },
      },
      async (req) => deps.reports.get(actorOf(req), req.params.id),
    );

    // One route per format: the path names the file's kind, and any other is no route (404).
    for (const format of ['xlsx', 'pdf'] as const)
      app.get(
        `/api/period-reports/:id/${format}`,
        {
          config: { policy },
          schema: {
            tags,
            summary: `Download the report as ${format === 'xlsx' ? 'xlsx' : 'PDF'}`,
            params: IdParams,
            produces: [CONTENT_TYPES[format]],
            response: { 200: z.any().describe('The file'), ...errors },
          },
        },
        async (req, reply) => {
          const f = await deps.reports.file(actorOf(req), req.params.id, format);
          return reply.type(f.contentType).header('content-disposition', f.disposition).send(f.bytes);
        },
      );
  };
}
