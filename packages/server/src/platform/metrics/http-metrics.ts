import type { FastifyInstance } from 'fastify';
import { LATENCY_BUCKETS, type Metrics } from './metrics';

/**
 * Times every answer by the route's pattern (`/api/reports/:id`), method and status class. Never the raw
 * URL: ids would make a series per report. Requests that match no route share `route="unmatched"`.
 */
export function installRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  const duration = metrics.histogram({
    name: 'fanzha_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern, method and status class (2xx, 4xx, 5xx …)',
    labelNames: ['route', 'method', 'status_class'],
    buckets: LATENCY_BUCKETS,
  });
  app.addHook('onResponse', async (req, reply) => {
    duration.observe(
      {
        route: req.routeOptions.url ?? 'unmatched',
        method: req.method,
        status_class: `${Math.floor(reply.statusCode / 100)}xx`,
      },
      reply.elapsedTime / 1000,
    );
  });
}
