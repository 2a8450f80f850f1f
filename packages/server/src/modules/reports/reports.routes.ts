import {
  ErrorBody,
  IntakeBatchRequest,
  IntakeBatchResult,
  IntakeReportInput,
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
import type { IntakeInput } from './reports.intake';
import type { ReportsService } from './reports.service';

const ctxFor = (req: Parameters<typeof actorOf>[0], clock: Clock) => ({
  at: clock.now(),
  requestId: req.id,
  actor: actorOf(req),
});

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

export function reportsRoutes(deps: {
  reports: ReportsService;
  clock: Clock;
  intake: (
    ctx: ReturnType<typeof ctxFor>,
    inputs: IntakeInput[],
    prefix: (i: number) => string,
  ) => Promise<IntakeBatchResult>;
}): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ctxFor(req, deps.clock);
  return async (app) => {
    app.post(
      '/api/reports',
      {
        config: { policy: intake, action: 'report.intake' },
        schema: {
          tags: ['intake'],
          summary: 'Register a whole report in one request',
          description:
            'For telephony and 110 systems that take the call themselves, and for bulk forwarding. The report must be ' +
            'complete (every problem is named otherwise, 400); it is registered at once and its accounts go to the ' +
            'stop-payment desk. The caller chooses `id`: sending the same report again returns the first registration; ' +
            'the id of a draft, or of a report with other content, is refused (409, `body.id`).',
          body: IntakeReportInput,
          response: {
            201: IntakeBatchResult.shape.reports.element,
            200: IntakeBatchResult.shape.reports.element,
            ...errors,
          },
        },
      },
      async (req, reply) => {
        const [one] = (await deps.intake(ctxOf(req), [req.body], () => 'body.')).reports;
        return reply.status(one!.isNew ? 201 : 200).send(one!);
      },
    );

    app.post(
      '/api/reports/batch',
      {
        config: { policy: intake, action: 'report.intake' },
        schema: {
          tags: ['intake'],
          summary: 'Register up to 500 whole reports in one transaction',
          description:
            'All or nothing: every problem of every report is named (`body.reports.<i>.…`). Retried ids are returned ' +
            'unchanged; an id twice in the batch is 400, a draft’s id or a retry with other content 409.',
          body: IntakeBatchRequest,
          response: { 200: IntakeBatchResult, ...errors },
        },
      },
      async (req) => deps.intake(ctxOf(req), req.body.reports, (i) => `body.reports.${i}.`),
    );

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
