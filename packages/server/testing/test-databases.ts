import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { migrate, openDatabase, type Database, type StorageKind } from '../src/db/database';

/**
 * Storage tests run on both engines: a fresh in-memory PGlite, and a fresh database on the real
 * PostgreSQL (FANZHA_TEST_DATABASE_URL, default the machine's 127.0.0.1:5432/test). Where PostgreSQL
 * cannot be reached the PostgreSQL half is skipped with a note — except in CI, where that is a failure.
 */
const adminUrl = process.env.FANZHA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function probe(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (err) {
    if (process.env.CI === 'true')
      throw new Error(`PostgreSQL for tests unreachable at ${adminUrl}`, { cause: err });
    console.warn(
      `[fanzha tests] PostgreSQL unreachable at ${adminUrl}; its half of the storage tests is skipped`,
    );
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const isPostgresAvailable = await probe();
export const storageKinds: StorageKind[] = isPostgresAvailable ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends Database {
  /** Connection string of this test's own PostgreSQL database (undefined on PGlite). */
  readonly url: string | undefined;
}

/** A new, migrated, empty database of the given kind; closing it also drops it. */
export async function freshDatabase(
  kind: StorageKind,
  opts: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openDatabase({ kind: 'pglite' });
    if (opts.migrated !== false) await migrate(database.db);
    return { ...database, url: undefined };
  }
  const name = `fanzha_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 8 });
  if (opts.migrated !== false) await migrate(database.db);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  };
}

/** Declares the same suite once per storage engine, each on its own fresh database. */
export function describeEachStorage(
  name: string,
  suite: (db: () => TestDatabase, kind: StorageKind) => void,
): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    describe.skipIf(!storageKinds.includes(kind))(`${name} [${kind}]`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await freshDatabase(kind);
      });
      afterAll(async () => {
        await database?.close();
      });
      suite(() => {
        if (!database) throw new Error('test database not ready');
        return database;
      }, kind);
    });
  }
}
