/**
 * Background traffic of `warn.bench.ts`, in a process of its own: operators' call signals that hit nothing,
 * published on the deployment's signals stream in batches of 1,000 at `BENCH_RATE` signals a second (or as
 * fast as the stream takes them, if slower). Tells its parent what it published when asked.
 */
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { signalStreamNames } from '../packages/server/src/modules/screening/index';
import { natsUrl } from './support';

const BATCH = 1_000;
const IN_FLIGHT = 8;
const rate = Number(process.env.BENCH_RATE);
const subject = signalStreamNames(process.env.BENCH_NS!).subjects.call;
const nc = await connect({ servers: natsUrl });
const js = jetstream(nc);

let published = 0;
let batches = 0;
let isStopping = false;
const startedAt = performance.now();
// Asked, it tells its parent what it has published so far.
process.on('message', (m: { stop?: true; count?: true }) => {
  if (m.stop) isStopping = true;
  if (m.count) process.send!({ published, ms: performance.now() - startedAt });
});

function batchText(b: number): string {
  const at = new Date().toISOString();
  const signals = Array.from({ length: BATCH }, (_, k) => ({
    id: `bg${b}-${k}`,
    at,
    // Nobody the probes warn, calling from numbers that are no indicator.
    subscriber: `+86135${String((b * BATCH + k) % 1e8).padStart(8, '0')}`,
    countyCode: '520102',
    from: `+86133${String((b * 7 + k) % 1e8).padStart(8, '0')}`,
    durationS: 25,
    isInternational: false,
  }));
  return JSON.stringify({ kind: 'call', operator: 'china_mobile', sentAt: at, signals });
}

const inFlight = new Set<Promise<unknown>>();
while (!isStopping) {
  const due = Math.floor((((performance.now() - startedAt) / 1000) * rate) / BATCH);
  if (batches >= due) {
    await new Promise((r) => setTimeout(r, 5));
    continue;
  }
  const p = js.publish(subject, batchText(batches++)).then(() => (published += BATCH));
  inFlight.add(p);
  void p.finally(() => inFlight.delete(p));
  if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
}
await Promise.all(inFlight);
await nc.drain();
process.exit(0);
