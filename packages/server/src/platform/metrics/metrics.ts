import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/**
 * The process's metrics, in Prometheus' text format, served on the metrics listener only
 * (`FANZHA_METRICS_PORT`, see `metrics-server.ts`), never on the API port.
 *
 * **Adding a metric** (the hook for features): take `metrics: Metrics` in the feature's deps (the app's
 * `Deps` carries one) and ask for it by name where the feature is built:
 *
 * ```ts
 * const sent = deps.metrics.counter({
 *   name: 'fanzha_warnings_sent_total',
 *   help: 'Warnings sent to potential victims, by channel',
 *   labelNames: ['channel'],
 * });
 * sent.inc({ channel: 'sms' });
 * ```
 *
 * Asking again for a name already registered returns the same metric, so a factory may run more than
 * once on one registry. Names start with `fanzha_`, end in their unit (`_seconds`, `_bytes`, `_total` for
 * counters); labels take few values (a route pattern, a subject, a consumer — never an id or a raw URL).
 * List each new metric in docs/operations.md (*Metrics*).
 */
export interface Metrics {
  /** One registry per app: tests build many apps in one process, each counting only its own. */
  readonly registry: Registry;
  counter<L extends string = string>(config: CounterConfiguration<L>): Counter<L>;
  gauge<L extends string = string>(config: GaugeConfiguration<L>): Gauge<L>;
  histogram<L extends string = string>(config: HistogramConfiguration<L>): Histogram<L>;
  /** Every metric, collected now, in the text exposition format. */
  scrape(): Promise<string>;
  /** The Content-Type of `scrape()`'s text. */
  readonly contentType: string;
}

/** Latency buckets (seconds) for requests and sweeps: from a cached read to a slow transaction. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(opts: { withProcessMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  // Memory, CPU, event-loop delay, GC, handles: once per process, by whoever serves the metrics (start.ts),
  // since each call starts its own observers.
  if (opts.withProcessMetrics) collectDefaultMetrics({ register: registry });
  function reuse<M>(name: string, make: () => M): M {
    return (registry.getSingleMetric(name) as M | undefined) ?? make();
  }
  return {
    registry,
    counter: (config) => reuse(config.name, () => new Counter({ ...config, registers: [registry] })),
    gauge: (config) => reuse(config.name, () => new Gauge({ ...config, registers: [registry] })),
    histogram: (config) => reuse(config.name, () => new Histogram({ ...config, registers: [registry] })),
    scrape: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

/**
 * Several gauges filled from one read: each scrape collects every metric at once, so the gauges that
 * share a read get the same promise instead of one query each.
 */
export function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () =>
    (inFlight ??= read().finally(() => {
      inFlight = undefined;
    }));
}
