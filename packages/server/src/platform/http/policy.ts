import type { Role } from '@fanzha/domain';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Actor } from '../actor';
import { addressKey, isLoopback } from './client-address';
import { AppError, rateLimited } from './errors';
import type { CredentialLimitClass, LimitClass, PublicLimitClass, RateLimiter } from './rate-limit';

/**
 * Every route declares who may call it:
 * - `public`: health, the API documents, the web app's files, the first sign-in step;
 * - `signed-in`: any signed-in user (their own session);
 * - `roles`: the listed roles; `scope` names the data scope the service applies for bound roles
 *   (a bank liaison sees only their bank's objects, and so on) — enforced in the service layer,
 *   since the embedded database runs as a superuser where row-level security does not apply.
 * A public route also names its rate-limit class (`limit`, see `rate-limit.ts`); the others are limited
 * per session or bank key, whatever the route, and a credentialed route may name a class of its own on top
 * (`limit`, per credential). A route without a policy, or a public one without a limit
 * class, stops the server at start-up. A route that changes state also names the audit `action` written
 * when a request to it fails or is refused (successes are audited by the service, in the transaction of
 * the change).
 */
export type AccessPolicy =
  | { access: 'public'; limit: PublicLimitClass }
  | { access: 'signed-in' }
  /** Only a signal key of this kind of sender (an operator's or an upstream centre's system). */
  | { access: 'signal-key'; sender: SignalKeySender }
  | {
      access: 'roles';
      roles: readonly Role[];
      scope?: 'own-bank' | 'own-operator' | 'own-county' | 'all';
      limit?: CredentialLimitClass;
    };

/** The kinds of systems that send signals with a signal key (`fzs_…`) rather than being a bank. */
export type SignalKeySender = 'operator' | 'upstream';

/**
 * The routes a signal key opens — the one list both the key's authentication (`authenticateSignalKey`) and the
 * OpenAPI document's security requirements (`openapi-security.ts`) read: its sender's signals endpoint and, for
 * an operator's system, the carrier assist queue (read its own operator's requests, answer them signed), its
 * countermeasures and two-cards instructions (read its own, answer them signed) and its reports of reassigned
 * numbers (signed), as its telecom liaison would. Anywhere else a signal key is no credential at all (401).
 */
export const routesOpenedBySignalKey: Record<SignalKeySender, readonly string[]> = {
  operator: [
    '/api/operator/signals',
    '/api/carrier-requests',
    '/api/carrier-requests/:id',
    '/api/carrier-requests/:id/answer',
    '/api/countermeasures',
    '/api/countermeasures/:id',
    '/api/countermeasures/:id/answer',
    '/api/countermeasures/answers',
    '/api/two-cards/instructions',
    '/api/two-cards/instructions/:id',
    '/api/two-cards/instructions/:id/answer',
    '/api/indicators/reassigned',
  ],
  upstream: ['/api/upstream/signals'],
};

/**
 * The role a signal key's system acts in, by its sender: an operator's as that operator's telecom liaison; an
 * upstream centre, which has no role of its own among the centre's people, as an analyst (harmless: its key
 * opens its signals endpoint and nothing else).
 */
export const signalKeyRoles = {
  operator: 'telecom_liaison',
  upstream: 'analyst',
} as const satisfies Record<SignalKeySender, Role>;

/**
 * Whether a signal key of `sender` passes `policy` on the route `url`: the key opens the route, and acts there in
 * a role the policy admits.
 */
export function admitsSignalKey(policy: AccessPolicy, url: string, sender: SignalKeySender): boolean {
  if (!routesOpenedBySignalKey[sender].includes(url)) return false;
  if (policy.access === 'signal-key') return policy.sender === sender;
  if (policy.access === 'roles') return policy.roles.includes(signalKeyRoles[sender]);
  return policy.access === 'signed-in';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: AccessPolicy;
    /** Audit action of a state-changing route, e.g. `user.create`. */
    action?: string;
  }
}

/** The config of a public route, limited per client address in the given class. */
export const publicRoute = <L extends PublicLimitClass>(limit: L) =>
  ({ policy: { access: 'public', limit } }) as const satisfies { policy: AccessPolicy };

export interface RegisteredRoute {
  method: string;
  url: string;
  policy: AccessPolicy | undefined;
  action: string | undefined;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isStateChanging = (method: string) => !safeMethods.has(method);

export interface PolicyOptions {
  isStrict: boolean;
  /**
   * Routes that third-party plugins add under these prefixes (the API reference's assets) are public, in
   * the given limit class.
   */
  publicPrefixes: Array<{ prefix: string; limit: PublicLimitClass }>;
  /** Finds the actor behind the request's credentials, or undefined. */
  authenticate?: (req: FastifyRequest) => Promise<Actor | undefined>;
  /** Rate limits, by the route's policy; none without it. */
  limiter?: RateLimiter;
}

/**
 * The credentials of an `Authorization: Bearer …` header, whatever the case of its scheme (`bearer`, `BEARER`:
 * RFC 7235 makes it case-insensitive) and however many spaces follow it; undefined for any other header.
 */
export function bearerTokenOf(header: string | undefined): string | undefined {
  return /^bearer +(\S+) *$/i.exec(header ?? '')?.[1];
}

const tooMany = (waitS: number) =>
  rateLimited(`Too many requests; try again in ${Math.max(1, Math.ceil(waitS))} second(s)`, waitS);

/** Records every route (so a test and start-up can check each has a policy) and enforces the policies. */
export function installPolicies(app: FastifyInstance, opts: PolicyOptions): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  app.decorateRequest('actor', undefined);
  app.addHook('onRoute', (route: RouteOptions) => {
    const prefix = opts.publicPrefixes.find((p) => route.url.startsWith(p.prefix));
    if (prefix) route.config = { ...(route.config as object), ...publicRoute(prefix.limit) };
    const config = route.config;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      routes.push({ method, url: route.url, policy: config?.policy, action: config?.action });
    if (!opts.isStrict) return;
    if (!config?.policy) throw new Error(`route ${methods.join(',')} ${route.url} declares no access policy`);
    if (config.policy.access === 'public' && !config.policy.limit)
      throw new Error(`public route ${methods.join(',')} ${route.url} declares no rate-limit class`);
    if (config.policy.access !== 'public' && methods.some(isStateChanging) && !config.action)
      throw new Error(`route ${methods.join(',')} ${route.url} changes state but declares no audit action`);
  });

  const { limiter } = opts;
  const limit = (limitClass: LimitClass, key: string) => {
    const waitS = limiter?.take(limitClass, key);
    if (waitS !== undefined) throw tooMany(waitS);
  };

  app.addHook('onRequest', async (req, reply) => {
    const policy = req.routeOptions.config.policy;
    if (!req.routeOptions.url) return; // not found: the 404 handler answers
    const address = addressKey(req.ip);
    if (policy?.access === 'public') {
      // A load balancer's checks have a bucket of their own; a probe on this machine is never refused.
      if (!(policy.limit === 'health' && isLoopback(req.ip))) limit(policy.limit, address);
      return;
    }
    // With cookie sessions, a state change must come as JSON: a cross-site form cannot send that.
    const type = req.headers['content-type'];
    if (isStateChanging(req.method) && type !== undefined && !type.startsWith('application/json'))
      throw new AppError('validation_failed', 'Send state changes as application/json', [
        { field: 'header.content-type', reason: 'unsupported', message: 'must be application/json' },
      ]);
    req.actor = opts.authenticate ? await opts.authenticate(req) : undefined;
    // Requests without a valid credential are limited per address; a valid one is never refused because
    // others at the same address (an office behind one NAT) keep failing.
    if (!req.actor) {
      limit('unauthenticated', address);
      throw new AppError('unauthenticated', 'Sign-in required');
    }
    // A bank's system (its key) or a person (their session): a ceiling per credential, whatever the route.
    if (req.actor.sessionIdHash === '') limit('bank-key', req.actor.userId);
    else limit('session', req.actor.sessionIdHash);
    // Every answer tells the web app when its session ends, so it can warn before, not after.
    if (req.actor.sessionIdHash !== '')
      void reply
        .header('x-session-idle-expires-at', req.actor.idleExpiresAt.toISOString())
        .header('x-session-expires-at', req.actor.expiresAt.toISOString());
    if (policy?.access === 'roles' && !policy.roles.includes(req.actor.role))
      throw new AppError('forbidden', `The role ${req.actor.role} may not do this`);
    if (policy?.access === 'roles' && policy.limit)
      limit(policy.limit, req.actor.sessionIdHash === '' ? req.actor.userId : req.actor.sessionIdHash);
    if (policy?.access === 'signal-key' && !req.actor.signalSource?.startsWith(`${policy.sender}:`))
      throw new AppError(
        'forbidden',
        policy.sender === 'operator'
          ? "Signals are sent by an operator's system with its signal key, not from a session"
          : "Warnings are sent by an upstream centre's system with its signal key, not from a session",
      );
  });
  return routes;
}

/** The actor of a route whose policy requires sign-in (the hook has already refused anyone else). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated', 'Sign-in required');
  return req.actor;
}
