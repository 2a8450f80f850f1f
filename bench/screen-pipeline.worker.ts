/** One worker process of `screen-pipeline.bench.ts`: a matcher, the signals consumer, PostgreSQL. */
import type { IndicatorSnapshot } from '../packages/domain/src/index';
import { openDatabase } from '../packages/server/src/db/database';
import { createScreeningService, startSignalConsumer } from '../packages/server/src/modules/screening/index';
import { systemClock } from '../packages/server/src/platform/clock';
import { createMetrics } from '../packages/server/src/platform/metrics/metrics';
import { recordingWarnings } from '../packages/server/testing/screening-kit';
import { natsUrl } from './support';

const n = Number(process.env.BENCH_INDICATORS);
const snapshot = (id: number): IndicatorSnapshot => ({
  id,
  kind: 'phone',
  value: `+86170${String(id - 1).padStart(8, '0')}`,
  status: 'active',
  riskLevel: 'high',
  reportCount: 2,
  lossFen: 1_000_000,
  lastReportedAt: null,
});
const database = await openDatabase({ kind: 'postgres', url: process.env.BENCH_DB!, poolSize: 8 });
const quiet = { warn() {}, error: (o: unknown) => console.error(o), info() {} };
const screening = createScreeningService({
  db: database.db,
  clock: systemClock,
  indicators: {
    async loadPage(after, limit) {
      const out: IndicatorSnapshot[] = [];
      for (let id = after + 1; id <= Math.min(n, after + limit); id++) out.push(snapshot(id));
      return out;
    },
    async getMany(ids) {
      return ids.filter((id) => id >= 1 && id <= n).map(snapshot);
    },
  },
  warnings: await recordingWarnings(database.db, 'bench_hit'),
  metrics: createMetrics(),
  log: quiet,
});
await screening.loadMatcher();
let handled = 0;
process.send!({ ready: true });
process.on('message', (m: { go?: true; stop?: true }) => void handle(m));
async function handle(m: { go?: true; stop?: true }): Promise<void> {
  if (m.go) {
    cpuAtGo = process.cpuUsage();
    consumer = await startSignalConsumer({
      url: natsUrl,
      namespace: process.env.BENCH_NS!,
      screening: {
        async screen(raw, via) {
          const out = await screening.screen(raw, via);
          handled += out.batch.items.length;
          const cpu = process.cpuUsage(cpuAtGo);
          process.send!({ handled, cpuMs: (cpu.user + cpu.system) / 1000 });
          return out;
        },
        deadLetterBatch: screening.deadLetterBatch,
      },
      log: quiet,
      concurrency: 4,
    });
  }
  if (m.stop) {
    await consumer?.stop();
    await database.close();
    process.exit(0);
  }
}
let cpuAtGo: NodeJS.CpuUsage | undefined;
let consumer: Awaited<ReturnType<typeof startSignalConsumer>> | undefined;
