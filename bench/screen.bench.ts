/**
 * The screening matcher, one core: ≥ 10 M indicators loaded into the typed-array table, then signals
 * matched against it (hash the `kind:normal form` key, probe the table). Half the signals hit, half
 * miss, as keys of the same shapes. Also: memory per indicator, build time, 64-bit hash collisions
 * among the loaded keys, a V8 `Set` of strings for comparison, and the normalisers' throughput (a raw
 * signal is normalised before it is matched).
 */
import {
  hash64Into,
  IndicatorTable,
  NOT_FOUND,
  normaliseDomain,
  normalisePhone,
} from '../packages/domain/src/index';
import { machine, report } from './support';

const N = Number(process.env.FANZHA_BENCH_INDICATORS ?? 10_000_000);
const PROBES = 1_000_000;
const ROUNDS = 5;

// Indicator i as a key: five kinds in turn, each with realistic lengths (17–31 characters).
function key(i: number): string {
  const n = String(i).padStart(9, '0');
  switch (i % 5) {
    case 0:
      return `phone:+8613${n}`;
    case 1:
      return `account:62220210${n}`;
    case 2:
      return `domain:pay-${n}.com.cn`;
    case 3:
      return `app:com.loan${n}.app`;
    default:
      return `social:wechat:kf_${n}`;
  }
}

console.log(`# machine: ${machine()}`);
const rssBefore = process.memoryUsage().rss;

const table = new IndicatorTable();
let t0 = performance.now();
for (let i = 0; i < N; i++) table.add(key(i), i);
const buildS = (performance.now() - t0) / 1000;
report('screen_indicators_loaded', table.size, 'indicators');
report('screen_build_s', buildS, 's');
report('screen_build_per_s', Math.round(N / buildS), 'indicators/s');
report('screen_bytes_per_indicator', table.byteLength / table.size, 'B');
report('screen_table_mb', table.byteLength / 2 ** 20, 'MiB');
report('screen_table_load', table.size / table.capacity, 'entries/slot');

// Probe keys: even ones loaded (spread over the whole table), odd ones never loaded.
const probes: string[] = [];
let seed = 12345;
for (let p = 0; p < PROBES; p++) {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  const i = seed % N;
  probes.push(p % 2 === 0 ? key(i) : key(N + i));
}

let hits = 0;
t0 = performance.now();
for (let r = 0; r < ROUNDS; r++)
  for (let p = 0; p < PROBES; p++) if (table.find(probes[p]!) !== NOT_FOUND) hits++;
const matchS = (performance.now() - t0) / 1000;
if (hits !== (ROUNDS * PROBES) / 2) throw new Error(`expected ${(ROUNDS * PROBES) / 2} hits, got ${hits}`);
report('screen_match_per_s_per_core', Math.round((ROUNDS * PROBES) / matchS), 'signals/s');

// The same signals in batches of 1,000, as they arrive from the broker (`findMany`).
const BATCH = 1_000;
const batches = Array.from({ length: PROBES / BATCH }, (_, b) => probes.slice(b * BATCH, (b + 1) * BATCH));
const found = new Float64Array(BATCH);
hits = 0;
t0 = performance.now();
for (let r = 0; r < ROUNDS; r++) {
  for (const batch of batches) {
    table.findMany(batch, found);
    for (let i = 0; i < BATCH; i++) if (found[i] !== NOT_FOUND) hits++;
  }
}
const batchS = (performance.now() - t0) / 1000;
if (hits !== (ROUNDS * PROBES) / 2)
  throw new Error(`batches: expected ${(ROUNDS * PROBES) / 2} hits, got ${hits}`);
report('screen_match_batch_per_s_per_core', Math.round((ROUNDS * PROBES) / batchS), 'signals/s');

// The same lookups with the hashes computed beforehand: how the time splits between hash and probe.
const his = new Uint32Array(PROBES);
const los = new Uint32Array(PROBES);
const out = new Uint32Array(2);
t0 = performance.now();
for (let p = 0; p < PROBES; p++) {
  hash64Into(probes[p]!, out);
  his[p] = out[0]!;
  los[p] = out[1]!;
}
report('screen_hash_per_s', Math.round(PROBES / ((performance.now() - t0) / 1000)), 'keys/s');
hits = 0;
t0 = performance.now();
for (let r = 0; r < ROUNDS; r++)
  for (let p = 0; p < PROBES; p++) if (table.findHash(his[p]!, los[p]!) !== NOT_FOUND) hits++;
report('screen_probe_per_s', Math.round((ROUNDS * PROBES) / ((performance.now() - t0) / 1000)), 'probes/s');
report('screen_rss_mb', (process.memoryUsage().rss - rssBefore) / 2 ** 20, 'MiB');

// Distinct 64-bit hashes among the loaded keys: a collision only adds a candidate the database rejects.
const all = new BigUint64Array(N);
for (let i = 0; i < N; i++) {
  hash64Into(key(i), out);
  all[i] = (BigInt(out[0]!) << 32n) | BigInt(out[1]!);
}
all.sort();
let collisions = 0;
for (let i = 1; i < N; i++) if (all[i] === all[i - 1]) collisions++;
report('screen_hash_collisions', collisions, 'pairs');

// A V8 Set of the key strings, for the ratio (it cannot hold 10 M: 1 M keys here).
const SET_N = 1_000_000;
const set = new Set<string>();
for (let i = 0; i < SET_N; i++) set.add(key(i));
const setProbes = probes.map((_, p) => key(p % 2 === 0 ? (p * 7919) % SET_N : SET_N + p));
hits = 0;
t0 = performance.now();
for (let r = 0; r < ROUNDS; r++) for (const k of setProbes) if (set.has(k)) hits++;
report(
  'screen_js_set_1m_lookup_per_s',
  Math.round((ROUNDS * PROBES) / ((performance.now() - t0) / 1000)),
  'lookups/s',
);

// Raw signal values → normal form, before the match.
const phones = Array.from({ length: 1000 }, (_, i) => `+86 138-${String(i).padStart(4, '0')}-5678`);
const urls = Array.from({ length: 1000 }, (_, i) => `https://www.pay-${i}.com.cn/login?id=${i}`);
const hosts = Array.from({ length: 1000 }, (_, i) => `m.pay-${i}.com.cn`);
for (const [name, inputs, fn] of [
  ['screen_normalise_phone_per_s', phones, normalisePhone],
  ['screen_normalise_url_per_s', urls, normaliseDomain],
  ['screen_normalise_host_per_s', hosts, normaliseDomain],
] as const) {
  const n = 200_000;
  t0 = performance.now();
  for (let i = 0; i < n; i++)
    if (!fn(inputs[i % 1000]!).ok) throw new Error(`${name}: rejected ${inputs[i % 1000]}`);
  report(name, Math.round(n / ((performance.now() - t0) / 1000)), 'inputs/s');
}
