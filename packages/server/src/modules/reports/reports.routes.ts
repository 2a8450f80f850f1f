import {
  ErrorBody,
  ReportDraftInput,
  ReportIdParams,
  ReportList,
  ReportListQuery,
  ReportView,
  SubmitReportRequest,
  UnmaskRequest,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/policy';
import type { ReportsService } from './reports.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const intake = {
  access: 'roles',
  roles: ['call_taker', 'stop_payment_officer', 'supervisor'],
  scope: 'all',
} as const;
const readers = {
  access: 'roles',
  roles: ['call_taker', 'stop_payment_officer', 'supervisor', 'analyst', 'county_police'],
  scope: 'own-county',
} as const;
const unmaskers = {
  access: 'roles',
  roles: ['stop_payment_officer', 'supervisor', 'analyst'],
  scope: 'all',
} as const;

export function reportsRoutes(deps: { reports: ReportsService; clock: Clock }): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  return async (app) => {
    app.put(
      '/api/reports/:id',
      {
        config: { policy: intake, action: 'report.save_draft' },
        schema: {
          tags: ['intake'],
          summary: 'Save the intake draft (autosave); creates it with version 0',
          description:
            'The client chooses the report id (a UUID), so a retried save never makes two reports. Every fraudster ' +
            'account that is a valid card number appears at the stop-payment desk at once, before submission; ' +
            'corrections and removals follow. A stale `version` is refused (409).',
          params: ReportIdParams,
          body: ReportDraftInput,
          response: { 200: ReportView, ...errors },
        },
      },
      async (req) => deps.reports.saveDraft(ctxOf(req), req.params.id, req.body),
    );

    app.get(
      '/api/reports',
      {
        config: { policy: readers },
        schema: {
          tags: ['intake'],
          summary: 'Reports I may see, newest first',
          querystring: ReportListQuery,
          response: { 200: ReportList, ...errors },
        },
      },
      async (req) =>
        deps.reports.list(actorOf(req), {
          status: req.query.status,
          mine: req.query.mine === 'true',
          limit: req.query.limit,
        }),
    );

    app.get(
      '/api/reports/:id',
      {
        config: { policy: readers },
        schema: {
          tags: ['intake'],
          summary: 'One report (personal data masked unless the role needs it)',
          params: ReportIdParams,
          response: { 200: ReportView, ...errors },
        },
      },
      async (req) => deps.reports.get(actorOf(req), req.params.id),
    );

    app.post(
      '/api/reports/:id/unmask',
      {
        config: { policy: unmaskers, action: 'report.unmask' },
        schema: {
          tags: ['intake'],
          summary: "Show the victim's personal data in full, with a reason (audited)",
          params: ReportIdParams,
          body: UnmaskRequest,
          response: { 200: ReportView, ...errors },
        },
      },
      async (req) => deps.reports.unmask(ctxOf(req), req.params.id, req.body.reason),
    );

    app.post(
      '/api/reports/:id/submit',
      {
        config: { policy: intake, action: 'report.submit' },
        schema: {
          tags: ['intake'],
          summary: 'Submit the report (refused, with every problem, while any remain)',
          params: ReportIdParams,
          body: SubmitReportRequest,
          response: { 200: ReportView, ...errors },
        },
      },
      async (req) => deps.reports.submit(ctxOf(req), req.params.id, req.body.version),
    );
  };
}
