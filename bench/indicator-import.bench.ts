/**
 * Indicator exchange: rows per second of an import (the CLI's part — reading the CSV by chunks — and the
 * server's — each chunk of 5,000 checked, merged
 * set-based with one sealed `indicator.imported` event for the chunk), a re-import of the same file (adds
 * nothing), and an export as CSV. Over the service, not HTTP; two chunks in flight, as the CLI sends them,
 * merging at once on two connections.
 *
 * Scale: FANZHA_BENCH_INDICATOR_ROWS (default 1,000,000; target ≥ 100,000 rows/s on PostgreSQL).
 * FANZHA_BENCH_INDICATOR_PGLITE=0 skips PGlite (slow at a million); FANZHA_BENCH_INDICATOR_IN_FLIGHT (2).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IndicatorImportChunkResult } from '@fanzha/contracts';
import { createCsvReader, csvLine, isCsvRecordError, type CsvRecord } from '@fanzha/domain';
import pg from 'pg';
import { migrate, openDatabase, type Database } from '../packages/server/src/db/database';
import {
  createFieldKeys,
  openFieldKeys,
  withFieldKeys,
} from '../packages/server/src/platform/crypto/field-cipher';
import { systemClock } from '../packages/server/src/platform/clock';
import { createIndicatorExchange } from '../packages/server/src/modules/indicators/index';
import { machine, pgUrl, report } from './support';

const ROWS = Number(process.env.FANZHA_BENCH_INDICATOR_ROWS ?? 1_000_000);
const CHUNK = 5_000;
const IN_FLIGHT = Number(process.env.FANZHA_BENCH_INDICATOR_IN_FLIGHT ?? 2);
const HEADER = ['kind', 'value', 'risk', 'first_seen', 'last_seen', 'note'];

/** The file: N distinct mobile numbers, a few domains among them, a bad row every 10,000. */
function* file(): Generator<string> {
  yield csvLine(HEADER);
  let lines: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    if (i % 10_000 === 9_999) lines.push(csvLine(['phone', 'not a number', '', '', '', '']));
    else if (i % 50 === 0)
      lines.push(csvLine(['domain', `evil-bench-${i}.cn`, 'medium', '2026-03-01', '', '']));
    else
      lines.push(
        csvLine(['phone', String(13_800_000_000 + i), i % 3 === 0 ? 'high' : '', '', '', 'bench, row']),
      );
    if (lines.length === 10_000) {
      yield lines.join('');
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join('');
}

async function run(label: string, database: Database): Promise<void> {
  await migrate(database.db);
  const keys = createFieldKeys(randomBytes(32));
  await openFieldKeys(database.db, keys, new Date());
  const db = withFieldKeys(database.db, keys);
  const exchange = createIndicatorExchange({
    db,
    clock: systemClock,
    wake: () => undefined,
  });
  const ctx = {
    at: new Date(),
    requestId: null,
    actor: { userId: randomUUID(), username: 'bench', role: 'analyst' as const, clientAddress: null },
  } as unknown as Parameters<typeof exchange.start>[0];

  async function load(): Promise<{ seconds: number; created: number; rejected: number }> {
    const t0 = performance.now();
    const reader = createCsvReader();
    let id: string | undefined;
    let pending: CsvRecord[] = [];
    let created = 0;
    let rejected = 0;
    // As the CLI does: two chunks in flight, so one is checked and staged while the other merges.
    const inFlight: Array<Promise<IndicatorImportChunkResult>> = [];
    const settle = async () => {
      const r = await inFlight.shift()!;
      created += r.indicatorsCreated;
      rejected += r.rowsRejected;
    };
    const send = async () => {
      if (pending.length === 0) return;
      inFlight.push(exchange.addChunk(ctx, id!, { records: pending }));
      pending = [];
      if (inFlight.length >= IN_FLIGHT) await settle();
    };
    for (const text of file())
      for (const rec of reader.push(text)) {
        if (isCsvRecordError(rec)) continue;
        if (!id) {
          id = (await exchange.start(ctx, { fileName: 'bench.csv', note: '', columns: rec.fields })).id;
          continue;
        }
        pending.push(rec);
        if (pending.length >= CHUNK) await send();
      }
    await send();
    while (inFlight.length > 0) await settle();
    await exchange.finish(ctx, id!, { unreadable: 0 });
    return { seconds: (performance.now() - t0) / 1000, created, rejected };
  }

  const first = await load();
  if (first.created < ROWS * 0.99) throw new Error(`only ${first.created} of ${ROWS} rows created`);
  report(`indicator_import_${label}_rows_per_s`, Math.round(ROWS / first.seconds), 'rows/s');
  // The target is named for PostgreSQL alone.
  if (label === 'postgres') report('indicator_import_rows_per_s', Math.round(ROWS / first.seconds), 'rows/s');
  const again = await load();
  if (again.created !== 0) throw new Error('a re-import created indicators');
  report(`indicator_reimport_${label}_rows_per_s`, Math.round(ROWS / again.seconds), 'rows/s');

  const t0 = performance.now();
  let bytes = 0;
  for await (const chunk of await exchange.export(ctx, 'csv')) bytes += chunk.length;
  const exportS = (performance.now() - t0) / 1000;
  report(`indicator_export_csv_${label}_rows_per_s`, Math.round(ROWS / exportS), 'rows/s');
  if (bytes === 0) throw new Error('empty export');
  await database.close();
}

console.log(`# machine: ${machine()}; ${ROWS} rows`);
if (process.env.FANZHA_BENCH_INDICATOR_PGLITE !== '0')
  await run('pglite', await openDatabase({ kind: 'pglite' }));

const name = `fanzha_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: pgUrl });
await admin.connect();
await admin.query(`create database ${name}`);
try {
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  await run('postgres', await openDatabase({ kind: 'postgres', url: url.toString() }));
} finally {
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
