import {
  CreateUserRequest,
  EmptyBody,
  ErrorBody,
  PasswordReset,
  SetupStatus,
  SetUserRoleRequest,
  UserIdParams,
  UserList,
  UserView,
} from '@fanzha/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '@fanzha/domain';
import { actorOf, publicRoute } from '../../platform/http/policy';
import type { AuditContext } from '../audit/index';
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
      '/api/auth/setup',
      {
        config: publicRoute('public'),
        schema: {
          tags: ['auth'],
          summary: 'Whether the first admin is still to be created',
          description:
            'Public, for the sign-in page: true only while no admin account exists. The first admin is made by ' +
            'starting the server with FANZHA_BOOTSTRAP_ADMIN=username:password, or with `fanzha user add --role admin` ' +
            "run with the server's database settings.",
          response: { 200: SetupStatus },
        },
      },
      async () => ({ needsFirstAdmin: await deps.users.needsFirstAdmin() }),
    );

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

    app.post(
      '/api/users/:id/reset-password',
      {
        config: { policy: adminOnly, action: 'user.reset_password' },
        schema: {
          tags: ['users'],
          summary: 'Reset a password to a one-time password',
          description:
            'The server chooses a one-time password and answers it once. It works for one sign-in, which must ' +
            "set a new password (`newPassword` on sign-in); the user's sessions end; the second factor is kept. " +
            'An admin cannot reset their own password this way (409).',
          params: UserIdParams,
          body: EmptyBody,
          response: { 200: PasswordReset, ...errors },
        },
      },
      async (req) => deps.users.resetPassword(auditContextOf(req, deps.clock), req.params.id),
    );

    app.put(
      '/api/users/:id/role',
      {
        config: { policy: adminOnly, action: 'user.set_role' },
        schema: {
          tags: ['users'],
          summary: "Change a user's role and scope",
          description:
            "Role and scope are replaced as a whole: the scope the role needs and no other. The user's " +
            'sessions end. An admin cannot change their own role (409).',
          params: UserIdParams,
          body: SetUserRoleRequest,
          response: { 200: UserView, ...errors },
        },
      },
      async (req) => deps.users.setRole(auditContextOf(req, deps.clock), req.params.id, req.body),
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
