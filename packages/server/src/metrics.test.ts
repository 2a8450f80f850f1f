import type { EventEnvelope } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from '../testing/app-harness';
import { sampleValue, scrape, type Sample } from '../testing/prometheus-text';
import { describeEachStorage } from '../testing/test-databases';
import { createMemoryBus } from './platform/bus/memory-bus';
import { newEvent } from './platform/events';
import { startMetricsServer, type MetricsServer } from './platform/metrics/metrics-server';
import { enqueue } from './platform/outbox/outbox';
import { createRelay } from './platform/outbox/relay';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const someId = '6f1c1d2e-0000-4000-8000-000000000001';
const REQUESTS = 'fanzha_http_request_duration_seconds';

/**
 * What a scraper sees on the metrics listener: answers timed by route pattern, the outbox's backlog, the
 * relay's count, consumer lag and the legal timers' sweeps — counted by the app the API serves.
 */
describeEachStorage('metrics', (database) => {
  const bus = createMemoryBus();
  let h: Harness;
  let server: MetricsServer;
  beforeAll(async () => {
    // An api node: no relay of the harness's own, so this test decides when the outbox is published.
    h = await createHarness(database(), { bus, isWorker: false });
    server = await startMetricsServer({ metrics: h.app.metrics, host: '127.0.0.1', port: 0, log: quiet });
  });
  afterAll(async () => {
    await server.stop();
    await h.close();
    await bus.close();
  });

  const count = (samples: Sample[], labels: Record<string, string>) =>
    sampleValue(samples, `${REQUESTS}_count`, labels) ?? 0;

  it('times each answer under its route pattern, method and status class, never its raw URL', async () => {
    const health = { route: '/api/health', method: 'GET', status_class: '2xx' };
    const report = { route: '/api/reports/:id', method: 'GET', status_class: '4xx' };
    const before = await scrape(server.url);
    for (let i = 0; i < 3; i++)
      expect((await h.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    // Without a session: 401, under the route's pattern.
    expect((await h.app.inject({ method: 'GET', url: `/api/reports/${someId}` })).statusCode).toBe(401);
    // No route takes a POST there (the web app takes any GET): one series for every such path.
    const unmatched = await h.app.inject({ method: 'POST', url: `/no/such/${someId}`, payload: {} });
    expect(unmatched.statusCode).toBe(404);
    const after = await scrape(server.url);

    expect(count(after, health) - count(before, health)).toBe(3);
    expect(count(after, report) - count(before, report)).toBe(1);
    expect(count(after, { route: 'unmatched', method: 'POST', status_class: '4xx' })).toBeGreaterThanOrEqual(
      1,
    );
    // Seconds, and a request takes some time but not minutes.
    const sum = sampleValue(after, `${REQUESTS}_sum`, health)!;
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(60);
    // Buckets are cumulative up to +Inf, which holds every answer.
    expect(sampleValue(after, `${REQUESTS}_bucket`, { ...health, le: '+Inf' })).toBe(count(after, health));
    const routes = after.filter((s) => s.name === `${REQUESTS}_count`).map((s) => s.labels.route);
    expect(routes.some((r) => r?.includes(someId))).toBe(false);
  });

  it('shows the outbox backlog until the relay publishes it, then the count published and the consumer lag', async () => {
    const { db } = database();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handled: EventEnvelope[] = [];
    await bus.subscribeBatch(
      { consumer: 'metrics.probe', subjects: ['platform.probe'], maxBatch: 10 },
      async (events) => {
        await gate;
        handled.push(...events);
      },
    );
    const before = await scrape(server.url);
    const backlog = sampleValue(before, 'fanzha_outbox_unpublished')!;
    expect(backlog).toBeGreaterThanOrEqual(0);
    const events = [1, 2, 3].map((seq) => newEvent('platform.probe', { seq, note: 'metrics' }, h.clock));
    await enqueue(db, ...events);

    const waiting = await scrape(server.url);
    expect(sampleValue(waiting, 'fanzha_outbox_unpublished')).toBe(backlog + 3);
    const age = sampleValue(waiting, 'fanzha_outbox_oldest_unpublished_age_seconds')!;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(3600);

    const relay = createRelay({ db, bus, log: quiet, pollMs: 60_000, metrics: h.app.metrics });
    expect(await relay.flush()).toBe(backlog + 3);
    const published = await scrape(server.url);
    expect(sampleValue(published, 'fanzha_outbox_unpublished')).toBe(0);
    expect(sampleValue(published, 'fanzha_outbox_oldest_unpublished_age_seconds')).toBe(0);
    expect(
      sampleValue(published, 'fanzha_outbox_published_events_total', { subject: 'platform.probe' }),
    ).toBe(3);
    // The consumer holds its first batch: all three are behind it, pending or in flight.
    const lag = (samples: Sample[]) =>
      (sampleValue(samples, 'fanzha_consumer_pending', { consumer: 'metrics.probe' }) ?? NaN) +
      (sampleValue(samples, 'fanzha_consumer_in_flight', { consumer: 'metrics.probe' }) ?? NaN);
    expect(lag(published)).toBe(3);
    release();
    await vi.waitFor(() => expect(handled.length).toBe(3), { timeout: 5_000, interval: 10 });
    expect(lag(await scrape(server.url))).toBe(0);
  });

  it('times each sweep of the legal timers and counts them', async () => {
    const sweeps = (samples: Sample[]) =>
      sampleValue(samples, 'fanzha_legal_timer_sweep_duration_seconds_count', { outcome: 'ok' }) ?? 0;
    const before = await scrape(server.url);
    await h.app.services.legalTimers.sweepOnce();
    await h.app.services.legalTimers.sweepOnce();
    const after = await scrape(server.url);
    expect(sweeps(after) - sweeps(before)).toBe(2);
    expect(
      sampleValue(after, 'fanzha_legal_timer_sweep_duration_seconds_sum', { outcome: 'ok' }),
    ).toBeGreaterThan(0);
    expect(sampleValue(after, 'fanzha_legal_timer_changes_total')).toBeGreaterThanOrEqual(0);
  });

  it('serves /metrics on its own listener only: the API port answers 404 in the error body', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      error: { code: 'not_found', requestId: res.headers['x-request-id'] },
    });
    const elsewhere = await fetch(server.url.replace('/metrics', '/api/health'));
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
