import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../platform/http/errors';
import { publicRoute } from '../../platform/http/policy';
import { pickEncoding, type Encoding } from './accept-encoding';

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

const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

/**
 * Serves the built web app. Any path outside /api that is not a file gets index.html, so the app's own
 * router handles deep links (/intake, /wall …). Hashed assets are cached for a year; index.html never,
 * so a release is picked up on the next load. The build writes brotli and gzip copies beside each text
 * file; the one the browser accepts is sent as it is, so nothing is compressed per request.
 */
export function webRoutes(distDir: string = defaultDist): FastifyPluginAsync {
  return async (app) => {
    app.get('/*', { config: publicRoute('static'), schema: { hide: true } }, async (req, reply) => {
      const path = decodeURIComponent((req.params as { '*': string })['*'] ?? '');
      // Metrics have a listener of their own (FANZHA_METRICS_PORT): here they are an unknown path, not the app.
      if (path.startsWith('api/') || path === 'api' || path === 'metrics')
        throw new AppError('not_found', `No route ${req.method} /${path}`);
      if (!existsSync(join(distDir, 'index.html'))) {
        return reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('The web app is not built yet: run `npm run build:web` (npm install does it too).');
      }
      const file = normalize(join(distDir, path));
      const isInside = file.startsWith(distDir + sep);
      const isAsset = isInside && path !== '' && extname(file) !== '' && existsSync(file);
      const served = isAsset ? file : join(distDir, 'index.html');
      const isHashed = isAsset && path.startsWith('assets/');
      reply
        .type(mime[extname(served)] ?? 'application/octet-stream')
        .header('cache-control', isHashed ? 'public, max-age=31536000, immutable' : 'no-cache');

      const hasCopies = existsSync(served + SUFFIX.br) || existsSync(served + SUFFIX.gzip);
      if (hasCopies) {
        // A cache must keep each encoding apart, whichever one this browser gets.
        reply.header('vary', 'accept-encoding');
        const encoding = pickEncoding(req.headers['accept-encoding'], (candidate) =>
          existsSync(served + SUFFIX[candidate]),
        );
        if (encoding) {
          return reply.header('content-encoding', encoding).send(await readFile(served + SUFFIX[encoding]));
        }
      }
      return reply.send(await readFile(served));
    });
  };
}
