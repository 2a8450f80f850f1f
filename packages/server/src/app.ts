import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Clock } from '@fanzha/domain';
import type { Config } from './config';
import type { Database } from './db/database';
import { healthRoutes } from './modules/health/index';
import { webRoutes } from './modules/web/index';
import type { Bus } from './platform/bus/bus';
import { installErrorHandler } from './platform/http/errors';
import { publicRoute, trackRoutes, type RegisteredRoute } from './platform/http/policy';
import type { Logger } from './platform/logger';
import { version } from './version';

/** What every module's routes and services are built from: explicit, small, typed. */
export interface Deps {
  config: Config;
  database: Database;
  bus: Bus;
  clock: Clock;
  log: Logger;
  startedAt: Date;
}

export type App = FastifyInstance & { registeredRoutes: RegisteredRoute[] };

const requestIdPattern = /^[A-Za-z0-9._:-]{8,64}$/;

/** Builds the HTTP app. It does not listen: `main.ts` does, and tests use `app.inject()`. */
export async function buildApp(
  deps: Omit<Deps, 'log'>,
  opts: { logger?: boolean | object } = {},
): Promise<App> {
  const app = Fastify({
    logger: opts.logger ?? false,
    // An upstream request id (from a telephony system or a bank gateway) is kept, so logs join up.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  const registeredRoutes = trackRoutes(app, { isStrict: true, publicPrefixes: ['/api/docs'] });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'fanzha API',
        version,
        description:
          'API of fanzha, the anti-telecom-fraud command centre: intake, stop-payment, bank and operator ' +
          'integration, tasks, warnings and the command wall. Errors always answer with `ErrorBody`.',
      },
      tags: [{ name: 'platform', description: 'Health and documents' }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.get('/api/openapi.json', { config: publicRoute, schema: { hide: true } }, async () => app.swagger());
  const full: Deps = { ...deps, log: app.log };
  await app.register(healthRoutes(full));
  await app.register(webRoutes());
  await app.ready();
  return Object.assign(app, { registeredRoutes });
}
