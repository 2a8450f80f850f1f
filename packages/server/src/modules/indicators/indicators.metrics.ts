import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics/metrics';
import type { Skipped } from './indicators.plan';
import type { IndicatorsService } from './indicators.service';

/**
 * The registry's metrics: indicators per status (from the tally the consumer keeps, one small read per
 * scrape) and the values reports and answers named that did not normalise, by kind and reason.
 * Returns what the consumer calls with its skipped values.
 */
export function registerIndicatorMetrics(
  metrics: Metrics,
  deps: { indicators: IndicatorsService; log: Logger },
): (skipped: Skipped[]) => void {
  metrics.gauge({
    name: 'fanzha_indicators',
    help: 'Indicators in the registry, by status (only active ones are matched)',
    labelNames: ['status'],
    async collect() {
      this.reset();
      const rows = await deps.indicators
        .countByStatus()
        .catch((err: unknown) => deps.log.warn({ err }, 'metrics: indicators not counted'));
      for (const r of rows ?? []) this.set({ status: r.status }, r.n);
    },
  });
  const skipped = metrics.counter({
    name: 'fanzha_indicator_values_skipped_total',
    help: 'Values named by reports or bank answers that did not normalise and became no indicator',
    labelNames: ['kind', 'reason'],
  });
  return (list) => {
    for (const s of list) skipped.inc({ kind: s.kind, reason: s.reason });
  };
}
