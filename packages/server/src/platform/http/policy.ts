import type { FastifyInstance, RouteOptions } from 'fastify';
import { AppError } from './errors';

/**
 * Every route declares who may call it. `public` is for health, the API documents and the web app's
 * files; everything else names roles. A route without a policy makes the server refuse to start.
 */
export type AccessPolicy = { access: 'public' } | { access: 'roles'; roles: readonly string[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: AccessPolicy;
  }
}

export const publicRoute = { policy: { access: 'public' } } as const satisfies { policy: AccessPolicy };

export interface RegisteredRoute {
  method: string;
  url: string;
  policy: AccessPolicy | undefined;
}

/**
 * Records every route as it is registered, so a test (and start-up) can check each has a policy.
 * Routes that third-party plugins add under `publicPrefixes` (the API reference's assets) are declared
 * public here, in one place, since those plugins cannot carry our route config.
 */
export function trackRoutes(
  app: FastifyInstance,
  opts: { isStrict: boolean; publicPrefixes: string[] },
): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    if (opts.publicPrefixes.some((p) => route.url.startsWith(p)))
      route.config = { ...(route.config as object), ...publicRoute };
    const policy = route.config?.policy;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method, url: route.url, policy });
    if (opts.isStrict && !policy)
      throw new Error(`route ${methods.join(',')} ${route.url} declares no access policy`);
  });
  // Deny by default: until sign-in exists, a route that is not public answers 401 to everyone.
  app.addHook('onRequest', async (req) => {
    const policy = req.routeOptions.config.policy;
    if (policy?.access === 'public') return;
    if (!req.routeOptions.url) return; // not-found: handled by the 404 handler
    throw new AppError('unauthenticated', 'Sign-in required');
  });
  return routes;
}
