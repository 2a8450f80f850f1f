import {
  EmptyBody,
  ErrorBody,
  SessionInfo,
  SignInRequest,
  SignInResponse,
  VerifyTotpRequest,
} from '@fanzha/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, publicRoute } from '../../platform/http/policy';
import { SESSION_COOKIE } from '../../platform/actor';
import { WALL_SESSION_MAX_MS, type AuthService, type ClientInfo } from './auth.service';

export const clientOf = (req: FastifyRequest): ClientInfo => ({
  requestId: req.id,
  ip: req.ip,
  userAgent: req.headers['user-agent'] ?? null,
});

export function authRoutes(deps: {
  auth: AuthService;
  isCookieSecure: boolean;
  sessionMaxS: number;
}): FastifyPluginAsyncZod {
  const cookie = (reply: FastifyReply, value: string, maxAge: number) =>
    reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${deps.isCookieSecure ? '; Secure' : ''}`,
    );
  const errors = { 400: ErrorBody, 401: ErrorBody, 429: ErrorBody };

  return async (app) => {
    app.post(
      '/api/auth/sign-in',
      {
        config: { ...publicRoute('sign-in'), action: 'auth.sign_in' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in, step 1: username and password',
          description:
            'A right password never opens a session by itself: it returns a challenge for the second factor ' +
            '(a TOTP code), or — for an account without one — an authenticator to enrol. Wrong usernames and wrong ' +
            'passwords get the same answer. Failures are counted in 15-minute windows per username and client address ' +
            '(5), per address (30), per address by different usernames (20) and per username from anywhere (50); ' +
            'reaching a limit answers 429 `rate_limited` with `Retry-After` (seconds) for 15 minutes. Both sign-in ' +
            'steps also share a rate limit per client address (429 with `Retry-After`). A one-time password (reset by an admin) must come with ' +
            '`newPassword`: without it the answer is 400 with reason `password_change_required` on `body.newPassword`.',
          body: SignInRequest,
          response: { 200: SignInResponse, ...errors },
        },
      },
      async (req) =>
        deps.auth.signIn(req.body.username, req.body.password, clientOf(req), req.body.newPassword),
    );

    app.post(
      '/api/auth/verify',
      {
        config: { ...publicRoute('sign-in'), action: 'auth.totp' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in, step 2: the TOTP code',
          description:
            'Opens a session (HttpOnly cookie `fanzha_session`). Each code works once; a challenge allows 5 tries in 5 minutes.',
          body: VerifyTotpRequest,
          response: { 200: SessionInfo, ...errors },
        },
      },
      async (req, reply) => {
        const { token, session } = await deps.auth.verifyTotp(
          req.body.challengeId,
          req.body.code,
          clientOf(req),
        );
        const maxS =
          session.user.role === 'wall'
            ? Math.max(deps.sessionMaxS, WALL_SESSION_MAX_MS / 1000)
            : deps.sessionMaxS;
        cookie(reply, token, maxS);
        return session;
      },
    );

    app.get(
      '/api/auth/session',
      {
        config: { policy: { access: 'signed-in' } },
        schema: {
          tags: ['auth'],
          summary: 'The current session and user',
          response: { 200: SessionInfo, 401: ErrorBody },
        },
      },
      async (req) => deps.auth.sessionInfo(actorOf(req)),
    );

    app.post(
      '/api/auth/sign-out',
      {
        config: { policy: { access: 'signed-in' }, action: 'auth.sign_out' },
        schema: {
          tags: ['auth'],
          summary: 'End the current session',
          body: EmptyBody,
          response: { 204: z.null(), 401: ErrorBody },
        },
      },
      async (req, reply) => {
        await deps.auth.signOut(actorOf(req), clientOf(req));
        cookie(reply, '', 0);
        return reply.status(204).send(null);
      },
    );
  };
}
