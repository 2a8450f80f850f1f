import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNatsRequiredForTests, natsUrlForTests } from '../testing/nats-test-env';
import { sampleValue, scrape } from '../testing/prometheus-text';
import { freshDatabase, isPostgresAvailable, type TestDatabase } from '../testing/test-databases';
import { loadConfig } from './config';
import { signalStreamNames } from './modules/screening/index';
import { natsNames } from './platform/bus/nats-bus';
import { start, type Running } from './start';

const natsUrl = await natsUrlForTests();
if (!natsUrl && isNatsRequiredForTests()) throw new Error('NATS with JetStream is required in CI');

/**
 * Scaled out, every process is scraped on its own metrics port: the worker tells its durable consumers'
 * lag from the NATS server, the API process the requests it answered; neither serves them on its API port.
 */
describe.skipIf(!isPostgresAvailable || !natsUrl)('metrics of each process role [postgres + nats]', () => {
  const namespace = `fzmetrics-${randomBytes(4).toString('hex')}`;
  let database: TestDatabase;
  let worker: Running;
  let api: Running;

  beforeAll(async () => {
    database = await freshDatabase('postgres', { migrated: false });
    const env = (role: string) =>
      loadConfig({
        FANZHA_ROLE: role,
        DATABASE_URL: database.url!,
        NATS_URL: natsUrl!,
        FANZHA_NATS_NAMESPACE: namespace,
        FANZHA_SECRET_KEY: '5a'.repeat(32),
        FANZHA_HOST: '127.0.0.1',
        FANZHA_PORT: '0',
        FANZHA_METRICS_PORT: '0',
        FANZHA_SIGNALS_MAX_BYTES: String(8 * 1024 ** 2),
      });
    worker = await start(env('worker'));
    api = await start(env('api'));
  });
  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    const nc = await connect({ servers: natsUrl! });
    // The deployment's events and signals streams go with its database: the NATS server is left as found.
    const jsm = await jetstreamManager(nc);
    for (const stream of [natsNames(namespace).stream, signalStreamNames(namespace).stream])
      await jsm.streams.delete(stream).catch(() => false);
    await nc.close();
    await database?.close();
  });

  it('a worker reports its consumers from JetStream, an api process its requests; the API ports do not serve them', async () => {
    expect((await fetch(`${api.url}/api/health`)).status).toBe(200);
    const onApi = await scrape(api.metricsUrl!);
    expect(
      sampleValue(onApi, 'fanzha_http_request_duration_seconds_count', {
        route: '/api/health',
        status_class: '2xx',
      }),
    ).toBeGreaterThanOrEqual(1);
    // An api process runs no consumer.
    expect(onApi.some((s) => s.name === 'fanzha_consumer_pending')).toBe(false);

    const onWorker = await scrape(worker.metricsUrl!);
    const consumers = onWorker.filter((s) => s.name === 'fanzha_consumer_pending');
    expect(consumers.map((s) => s.labels.consumer)).toContain('wall-rollup');
    for (const s of consumers) expect(s.value).toBeGreaterThanOrEqual(0);
    expect(sampleValue(onWorker, 'fanzha_outbox_unpublished')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(onWorker, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    for (const running of [api, worker]) {
      const res = await fetch(`${running.url}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });
});
