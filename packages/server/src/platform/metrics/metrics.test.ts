import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from '../../../testing/prometheus-text';
import { installRequestMetrics } from './http-metrics';
import { createMetrics } from './metrics';

describe('metrics', () => {
  it('gives a feature the metric already registered under its name, and keeps each registry apart', async () => {
    const metrics = createMetrics();
    const ask = () => metrics.counter({ name: 'fanzha_probe_total', help: 'probes', labelNames: ['kind'] });
    ask().inc({ kind: 'a' });
    ask().inc({ kind: 'a' }, 2);
    expect(ask()).toBe(ask());
    const samples = parsePrometheusText(await metrics.scrape());
    expect(sampleValue(samples, 'fanzha_probe_total', { kind: 'a' })).toBe(3);
    const other = createMetrics();
    expect(await other.scrape()).not.toContain('fanzha_probe_total');
    // Process figures only where asked for (the process that serves them).
    expect(await metrics.scrape()).not.toContain('process_resident_memory_bytes');
    expect(await createMetrics({ withProcessMetrics: true }).scrape()).toContain(
      'process_resident_memory_bytes',
    );
  });

  it('labels requests with the route pattern, never the path with its ids', async () => {
    const metrics = createMetrics();
    const app = Fastify();
    installRequestMetrics(app, metrics);
    app.get('/items/:id', async () => ({ ok: true }));
    app.post('/items/:id', async (_req, reply) => reply.status(503).send({}));
    await app.inject({ method: 'GET', url: '/items/1234' });
    await app.inject({ method: 'GET', url: '/items/5678' });
    await app.inject({ method: 'POST', url: '/items/5678' });
    await app.inject({ method: 'GET', url: '/elsewhere/42' });
    const samples = parsePrometheusText(await metrics.scrape());
    const count = (labels: Record<string, string>) =>
      sampleValue(samples, 'fanzha_http_request_duration_seconds_count', labels);
    expect(count({ route: '/items/:id', method: 'GET', status_class: '2xx' })).toBe(2);
    expect(count({ route: '/items/:id', method: 'POST', status_class: '5xx' })).toBe(1);
    expect(count({ route: 'unmatched', method: 'GET', status_class: '4xx' })).toBe(1);
    expect(samples.some((s) => /\d{2}/.test(s.labels.route ?? ''))).toBe(false);
    await app.close();
  });
});
