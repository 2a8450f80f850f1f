import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf, draft } from '../../../testing/core-loop-fixtures';
import { parsePrometheusText, sampleValue } from '../../../testing/prometheus-text';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { createMemoryBus } from '../../platform/bus/memory-bus';
import { registerIndicatorMetrics, startIndicatorConsumer } from './index';

describeEachStorage('the indicators consumer on the bus', (database) => {
  let h: Harness;
  let bus: Bus;
  let consumer: Subscription;
  const c: Record<string, string> = {};

  beforeAll(async () => {
    bus = createMemoryBus();
    h = await createHarness(database(), { bus });
    consumer = await startIndicatorConsumer({
      db: database().db,
      bus,
      clock: h.clock,
      log: h.app.log,
      sharedReports: 50,
      wake: () => bus.signal('outbox'),
      onSkipped: registerIndicatorMetrics(h.app.metrics, {
        indicators: h.app.services.indicators,
        log: h.app.log,
      }),
    });
    const users = [['taker', 'call_taker', {}]] as const;
    await createCast(h, users);
    Object.assign(c, await signInCast(h, users));
  });
  afterAll(async () => {
    await consumer.stop();
    await h.close();
    await bus.close();
  });

  it('turns a submitted report into indicator.changed events on the bus, and counts what it skipped', async () => {
    const heard: Array<EventEnvelope<'indicator.changed'>> = [];
    let done: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const live = await bus.listen(['indicator.changed'], (e) => {
      heard.push(e as EventEnvelope<'indicator.changed'>);
      if (heard.length === 2) done();
    });
    try {
      const card = cardOf('ABC', 31337);
      const body = draft({
        at: h.clock.now(),
        transfers: [{ number: card, amountFen: 300_000 }],
        complete: true,
      });
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/reports',
        headers: { cookie: c.taker! },
        payload: {
          ...body,
          id: randomUUID(),
          version: undefined,
          contacts: [
            { key: 'a', kind: 'phone', value: '0851-86888888' },
            { key: 'b', kind: 'phone', value: '12345' },
          ],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      await all;
      expect(heard.map((e) => `${e.data.kind}:${e.data.value}`).sort()).toEqual([
        `account:${card}`,
        'phone:+8685186888888',
      ]);
      const samples = parsePrometheusText(await h.app.metrics.scrape());
      expect(sampleValue(samples, 'fanzha_indicators', { status: 'active' })).toBe(2);
      expect(sampleValue(samples, 'fanzha_indicator_values_skipped_total', { kind: 'phone' })).toBe(1);
    } finally {
      await live.stop();
    }
  });
});
