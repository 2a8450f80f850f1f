import type { FastifyInstance } from 'fastify';

/**
 * The web app's policy: its own scripts only (Vite emits no inline script), inline styles (Ant Design
 * injects its CSS at run time, index.html has one small style block), pictures and fonts from itself or
 * data: URLs (the API reference's icons), calls to its own API, and never inside another site's frame.
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** API answers are data, never a page: they load nothing and are shown in no frame. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Headers of a response that bypasses Fastify (the event stream), which the hook below cannot reach. */
export const streamSecurityHeaders = {
  'cache-control': 'no-store, no-transform',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': API_CSP,
} as const;

const isApiData = (url: string) =>
  (url === '/api' || url.startsWith('/api/') || url.startsWith('/api?')) && !url.startsWith('/api/docs');

/**
 * Security headers on every response: browsers must not guess content types or frame any page, and API
 * answers — which carry personal data — must not be stored by a browser or a proxy.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    if (isApiData(req.url)) {
      reply.header('cache-control', 'no-store');
      reply.header('content-security-policy', API_CSP);
    } else {
      reply.header('content-security-policy', WEB_CSP);
    }
  });
}
