import {
  AnswerTaskRequest,
  ContactVictimRequest,
  CountyTaskList,
  CountyTaskQuery,
  CountyTaskView,
  EmptyBody,
  ErrorBody,
  IdParams,
  TransferTaskRequest,
} from '@fanzha/contracts';
import { countyTaskStatuses, type Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/policy';
import { parseStatusList } from '../../platform/http/status-list';
import { liveTaskStatuses, type CountyTasksService } from './county-tasks.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const county = { access: 'roles', roles: ['county_police', 'supervisor'], scope: 'own-county' } as const;
const tags = ['county-tasks'];

export function countyTaskRoutes(deps: { tasks: CountyTasksService; clock: Clock }): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  return async (app) => {
    app.get(
      '/api/county-tasks',
      {
        config: { policy: county },
        schema: {
          tags,
          summary: 'Hand-off tasks: county police see their county’s, the supervisor every county’s',
          querystring: CountyTaskQuery,
          response: { 200: CountyTaskList, ...errors },
        },
      },
      async (req) => ({
        tasks: await deps.tasks.list(actorOf(req), {
          statuses: parseStatusList(req.query.status, countyTaskStatuses, liveTaskStatuses),
          county: req.query.county,
          ...(req.query.overdue ? { overdue: req.query.overdue === 'true' } : {}),
          ...(req.query.reportId ? { reportId: req.query.reportId } : {}),
          limit: req.query.limit,
        }),
      }),
    );

    app.get(
      '/api/county-tasks/:id',
      {
        config: { policy: county },
        schema: { tags, summary: 'One task', params: IdParams, response: { 200: CountyTaskView, ...errors } },
      },
      async (req) => deps.tasks.get(actorOf(req), req.params.id),
    );

    app.post(
      '/api/county-tasks/:id/accept',
      {
        config: { policy: county, action: 'county-task.accept' },
        schema: {
          tags,
          summary: 'Accept (签收) the task: the county now owns the case',
          params: IdParams,
          body: EmptyBody,
          response: { 200: CountyTaskView, ...errors },
        },
      },
      async (req) => deps.tasks.accept(ctxOf(req), req.params.id),
    );

    app.post(
      '/api/county-tasks/:id/contact',
      {
        config: { policy: county, action: 'county-task.contact' },
        schema: {
          tags,
          summary: 'Record that the victim was contacted',
          params: IdParams,
          body: ContactVictimRequest,
          response: { 200: CountyTaskView, ...errors },
        },
      },
      async (req) => deps.tasks.contact(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/api/county-tasks/:id/answer',
      {
        config: { policy: county, action: 'county-task.answer' },
        schema: {
          tags,
          summary: 'Answer (反馈) with what was done',
          params: IdParams,
          body: AnswerTaskRequest,
          response: { 200: CountyTaskView, ...errors },
        },
      },
      async (req) => deps.tasks.answer(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/api/county-tasks/:id/transfer',
      {
        config: { policy: county, action: 'county-task.transfer' },
        schema: {
          tags,
          summary: 'Transfer the case to another county, with a reason',
          description:
            'The other county receives a new task with fresh deadlines; this one ends as transferred.',
          params: IdParams,
          body: TransferTaskRequest,
          response: { 200: CountyTaskView, ...errors },
        },
      },
      async (req) => deps.tasks.transfer(ctxOf(req), req.params.id, req.body),
    );
  };
}
