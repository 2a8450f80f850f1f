import {
  ErrorBody,
  EscalateTaskRequest,
  IdParams,
  ReassignTaskRequest,
  TaskDetail,
  TaskLeague,
  TaskLeagueQuery,
  TaskList,
  TaskQuery,
  TaskView,
  UrgeTaskRequest,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/policy';
import type { TasksService } from './tasks.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** The owners see their unit's tasks (the service narrows each to its scope); the supervisor every one. */
const owners = {
  access: 'roles',
  roles: ['supervisor', 'county_police', 'bank_liaison', 'telecom_liaison'],
} as const;
const supervisor = { access: 'roles', roles: ['supervisor'], scope: 'all' } as const;
const tags = ['tasks'];

export function taskRoutes(deps: { tasks: TasksService; clock: Clock }): FastifyPluginAsyncZod {
  const ctxOf = (req: Parameters<typeof actorOf>[0]) => ({
    at: deps.clock.now(),
    requestId: req.id,
    actor: actorOf(req),
  });
  return async (app) => {
    app.get(
      '/api/tasks',
      {
        config: { policy: owners },
        schema: {
          tags,
          summary: 'The supervision queue (督办): every kind of instruction, overdue first, then by deadline',
          description:
            'County police, bank and operator liaisons see their own unit’s tasks only, whatever the query names.',
          querystring: TaskQuery,
          response: { 200: TaskList, ...errors },
        },
      },
      async (req) => deps.tasks.list(actorOf(req), req.query),
    );

    app.get(
      '/api/tasks/league',
      {
        config: { policy: supervisor },
        schema: {
          tags,
          summary: 'The league of counties, banks or operators: on time, median time to done, overdue now',
          description: 'Weeks start on Monday and months on the 1st, at midnight China time (UTC+8).',
          querystring: TaskLeagueQuery,
          response: { 200: TaskLeague, ...errors },
        },
      },
      async (req) => deps.tasks.league(actorOf(req), req.query),
    );

    app.get(
      '/api/tasks/:id',
      {
        config: { policy: owners },
        schema: {
          tags,
          summary: 'One task with its supervision history',
          params: IdParams,
          response: { 200: TaskDetail, ...errors },
        },
      },
      async (req) => deps.tasks.get(actorOf(req), req.params.id),
    );

    app.post(
      '/api/tasks/:id/urge',
      {
        config: { policy: supervisor, action: 'task.urge' },
        schema: {
          tags,
          summary: 'Urge (催办) the owner, with a note: their console shows it live',
          params: IdParams,
          body: UrgeTaskRequest,
          response: { 200: TaskView, ...errors },
        },
      },
      async (req) => deps.tasks.urge(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/api/tasks/:id/reassign',
      {
        config: { policy: supervisor, action: 'task.reassign' },
        schema: {
          tags,
          summary: 'Give the task to another unit or person, with a reason',
          description:
            'A county hand-off is transferred to the other county (its task ends, the county gets a new one).',
          params: IdParams,
          body: ReassignTaskRequest,
          response: { 200: TaskView, ...errors },
        },
      },
      async (req) => deps.tasks.reassign(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/api/tasks/:id/escalate',
      {
        config: { policy: supervisor, action: 'task.escalate' },
        schema: {
          tags,
          summary: 'Escalate the task to the commander (上报指挥长), with a reason',
          params: IdParams,
          body: EscalateTaskRequest,
          response: { 200: TaskView, ...errors },
        },
      },
      async (req) => deps.tasks.escalate(ctxOf(req), req.params.id, req.body),
    );
  };
}
