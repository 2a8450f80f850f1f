import Fastify from 'fastify';
import { installErrorHandler } from '../http/errors';
import type { Logger } from '../logger';
import type { Metrics } from './metrics';

export interface MetricsServer {
  /** Where Prometheus scrapes, e.g. http://127.0.0.1:9464/metrics */
  url: string;
  stop(): Promise<void>;
}

/**
 * The metrics listener: `GET /metrics` and nothing else, on its own port (`FANZHA_METRICS_PORT`), in every
 * role. It is apart from the API's port so that what the process counts (routes, backlogs, consumers) is
 * never served to the API's clients, and a firewall or the loopback default keeps it to the scraper.
 */
export async function startMetricsServer(opts: {
  metrics: Metrics;
  host: string;
  port: number;
  log: Logger;
}): Promise<MetricsServer> {
  const server = Fastify({ logger: false });
  // Other paths answer 404 in the API's one error body.
  installErrorHandler(server);
  server.get('/metrics', async (_req, reply) => {
    const text = await opts.metrics.scrape();
    return reply.type(opts.metrics.contentType).header('cache-control', 'no-store').send(text);
  });
  const address = await server.listen({ port: opts.port, host: opts.host });
  const url = `${address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '[::1]')}/metrics`;
  opts.log.info({ url }, 'metrics listener (FANZHA_METRICS_PORT)');
  return { url, stop: () => server.close() };
}
