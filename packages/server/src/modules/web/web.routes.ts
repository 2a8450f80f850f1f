import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../platform/http/errors';
import { publicRoute } from '../../platform/http/policy';

const defaultDist = fileURLToPath(new URL('../../../../web/dist', import.meta.url));

const mime: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves the built web app. Any path outside /api that is not a file gets index.html, so the app's own
 * router handles deep links (/intake, /wall …). Hashed assets are cached for a year; index.html never.
 */
export function webRoutes(distDir: string = defaultDist): FastifyPluginAsync {
  return async (app) => {
    app.get('/*', { config: publicRoute, schema: { hide: true } }, async (req, reply) => {
      const path = decodeURIComponent((req.params as { '*': string })['*'] ?? '');
      if (path.startsWith('api/') || path === 'api')
        throw new AppError('not_found', `No route ${req.method} /${path}`);
      if (!existsSync(join(distDir, 'index.html'))) {
        return reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('The web app is not built yet: run `npm run build:web` (npm install does it too).');
      }
      const file = normalize(join(distDir, path));
      const isInside = file.startsWith(distDir + sep);
      if (isInside && path !== '' && extname(file) && existsSync(file)) {
        const isHashed = path.startsWith('assets/');
        return reply
          .type(mime[extname(file)] ?? 'application/octet-stream')
          .header('cache-control', isHashed ? 'public, max-age=31536000, immutable' : 'no-cache')
          .send(await readFile(file));
      }
      return reply
        .type(mime['.html']!)
        .header('cache-control', 'no-cache')
        .send(await readFile(join(distDir, 'index.html')));
    });
  };
}
