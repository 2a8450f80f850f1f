import { CreateUserRequest, EmptyBody, ErrorBody, UserIdParams, UserList, UserView } from '@fanzha/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '@fanzha/domain';
import { actorOf } from '../../platform/http/policy';
import type { AuditContext } from '../audit/audit-context';
import type { UsersService } from './users.service';

export function auditContextOf(req: FastifyRequest, clock: Clock): AuditContext {
  const actor = actorOf(req);
  return { at: clock.now(), requestId: req.id, actor };
}

const adminOnly = { access: 'roles', roles: ['admin'] } as const;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function usersRoutes(deps: { users: UsersService; clock: Clock }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/users',
      {
        config: { policy: adminOnly },
        schema: { tags: ['users'], summary: 'All accounts', response: { 200: UserList, ...errors } },
      },
      async () => ({ users: await deps.users.list() }),
    );

    app.post(
      '/api/users',
      {
        config: { policy: adminOnly, action: 'user.create' },
        schema: {
          tags: ['users'],
          summary: 'Create an account',
          description: 'The new user enrols an authenticator at first sign-in.',
          body: CreateUserRequest,
          response: { 201: UserView, ...errors },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await deps.users.create(auditContextOf(req, deps.clock), req.body)),
    );

    const actions = [
      ['disable', 'user.disable', 'Disable an account and end its sessions'],
      ['enable', 'user.enable', 'Enable a disabled account'],
      [
        'reset-totp',
        'user.reset_totp',
        'Remove the second factor: the user enrols a new one at next sign-in; sessions end',
      ],
    ] as const;
    for (const [path, action, summary] of actions) {
      app.post(
        `/api/users/:id/${path}`,
        {
          config: { policy: adminOnly, action },
          schema: {
            tags: ['users'],
            summary,
            params: UserIdParams,
            body: EmptyBody,
            response: { 200: UserView, ...errors },
          },
        },
        async (req) => {
          const ctx = auditContextOf(req, deps.clock);
          if (path === 'disable') return deps.users.disable(ctx, req.params.id);
          if (path === 'enable') return deps.users.enable(ctx, req.params.id);
          return deps.users.resetTotp(ctx, req.params.id);
        },
      );
    }
  };
}
