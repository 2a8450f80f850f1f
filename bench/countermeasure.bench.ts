/**
 * A countermeasure's round trip, over real HTTP against a started server (target:
 * `countermeasure_round_trip_p99_ms` < 250):
 *  - countermeasure_round_trip_p50/p99_ms: an analyst's request (`POST /api/countermeasures`, one
 *    `block_phone` item naming a new number) is sent → the operator's liaison console's live stream
 *    (`GET /api/stream`, SSE, as the `telecom_liaison` of the party) receives that countermeasure's event.
 *    One request at a time, each with its own Idempotency-Key and number, from the moment the request goes
 *    out to the moment the liaison's stream has read the event (same process, same clock);
 *  - countermeasure_request_p50/p99_ms: the request's own answer (`201`), for comparison.
 * Runs embedded (PGlite + in-process bus) and on PostgreSQL + NATS JetStream (`BENCH_MODE=embedded` or
 * `postgres` runs one). FANZHA_BENCH_COUNTERMEASURES (default 300) sets the number of round trips, after
 * 20 to warm up.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { CountermeasureBatchView } from '../packages/contracts/src/index';
import type { Running } from '../packages/server/src/start';
import { openStream } from '../packages/server/testing/sse';
import { signInCookie } from './server-process';
import { onEachEngine } from './in-process';
import { machine, percentile, report } from './support';

const COUNT = Number(process.env.FANZHA_BENCH_COUNTERMEASURES ?? 300);
const WARMUP = 20;
const PASSWORD = 'Countermeasure-Bench-Passw0rd-2026';
const PARTY = 'china_unicom';

async function bench(label: string, running: Running): Promise<void> {
  const { url } = running;
  const tag = randomBytes(3).toString('hex');
  const ctx = { at: new Date(), requestId: null, actor: null };
  const users = running.app.services.users;
  const analyst = `cm-analyst-${tag}`;
  const liaison = `cm-liaison-${tag}`;
  await users.create(ctx, { username: analyst, displayName: analyst, role: 'analyst', password: PASSWORD });
  await users.create(ctx, {
    username: liaison,
    displayName: liaison,
    role: 'telecom_liaison',
    operatorCode: PARTY,
    password: PASSWORD,
  });
  const analystCookie = await signInCookie(url, analyst, PASSWORD);
  const stream = await openStream(`${url}/api/stream`, await signInCookie(url, liaison, PASSWORD));

  // Numbers no earlier run named: a few digits of this run in each.
  const runDigits = String(Math.floor(Math.random() * 1e4)).padStart(4, '0');
  const request = async (k: number) => {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/countermeasures`, {
      method: 'POST',
      headers: {
        cookie: analystCookie,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({
        items: [
          {
            kind: 'block_phone',
            value: `171${runDigits}${String(k).padStart(4, '0')}`,
            partyCode: PARTY,
            reason: '涉诈号码 基准测试',
          },
        ],
      }),
    });
    if (res.status !== 201) throw new Error(`request ${k}: ${res.status} ${await res.text()}`);
    const answered = performance.now();
    const id = ((await res.json()) as CountermeasureBatchView).items[0]!.id;
    const seen = await stream.waitFor((m) => m.type === 'countermeasure' && m.item.id === id, 10_000);
    return { request: answered - t0, roundTrip: seen.at - t0 };
  };

  try {
    for (let k = 0; k < WARMUP; k++) await request(k);
    const roundTrips: number[] = [];
    const requests: number[] = [];
    for (let k = WARMUP; k < WARMUP + COUNT; k++) {
      const r = await request(k);
      roundTrips.push(r.roundTrip);
      requests.push(r.request);
    }
    roundTrips.sort((a, b) => a - b);
    requests.sort((a, b) => a - b);
    report(`${label}_countermeasure_round_trip_p50_ms`, percentile(roundTrips, 50), 'ms');
    report(`${label}_countermeasure_round_trip_p99_ms`, percentile(roundTrips, 99), 'ms');
    report(`${label}_countermeasure_request_p50_ms`, percentile(requests, 50), 'ms');
    report(`${label}_countermeasure_request_p99_ms`, percentile(requests, 99), 'ms');
  } finally {
    stream.close();
  }
}

console.log(`# machine: ${machine()}; ${COUNT} round trips`);
await onEachEngine(bench);
