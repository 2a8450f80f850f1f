/**
 * Loads indicators into the registry as a partner centre's file is loaded: through the import routes, as the
 * signed-in analyst whose cookie is given (start, one chunk, finish), each step expected to succeed.
 */
import { readCsv, type CsvRecord } from '@fanzha/domain';
import { expect } from 'vitest';
import type { Harness } from './app-harness';

/** Imports `csv` (its first line the header) in one chunk. */
export async function importIndicatorCsv(h: Harness, cookie: string, csv: string): Promise<void> {
  const [header, ...rows] = readCsv(csv) as CsvRecord[];
  const post = (url: string, payload: object) =>
    h.app.inject({ method: 'POST', url, headers: { cookie }, payload });
  const started = await post('/api/indicators/imports', { fileName: 'listed.csv', columns: header!.fields });
  expect(started.statusCode, started.body).toBe(201);
  const importId = started.json<{ id: string }>().id;
  const chunk = await post(`/api/indicators/imports/${importId}/chunks`, { records: rows });
  expect(chunk.statusCode, chunk.body).toBe(200);
  const finished = await post(`/api/indicators/imports/${importId}/finish`, { unreadable: 0 });
  expect(finished.statusCode, finished.body).toBe(200);
}

/** Phone numbers listed by an import, as high risk for fraud calls. */
export const highRiskPhones = (phones: readonly string[]) =>
  `kind,value,risk,first_seen,last_seen,note\n${phones.map((p) => `phone,${p},high,,,fraud calls\n`).join('')}`;
