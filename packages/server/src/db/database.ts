import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index';
import { PGliteDialect } from './pglite-dialect';
import { DEFAULT_POOL_SIZE } from './pool-limits';
import { withPreparedStatements } from './prepared-statements';
import type { DB } from './schema';

export type StorageKind = 'pglite' | 'postgres';

export interface Database {
  readonly kind: StorageKind;
  readonly db: Kysely<DB>;
  close(): Promise<void>;
  /** PGlite in a folder only: the folder as PGlite's own (uncompressed) tarball, for backups. */
  dumpDataDir?(): Promise<Uint8Array>;
}

// Counts and money (in fen) are int8: return them as numbers on both engines. Amounts stay far below 2^53.
const int8AsNumber = (v: string): number => Number(v);
pg.types.setTypeParser(pg.types.builtins.INT8, int8AsNumber);

export type StorageTarget = (
  | {
      kind: 'pglite';
      dataDir?: string;
      /** A tarball from `dumpDataDir` (gzipped or not) to fill a new, empty folder with: a restore. */
      loadDataDir?: Blob;
    }
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /**
       * Connections kept open however long they idle (default none, at most `poolSize`; a server keeps
       * `SERVER_POOL_KEEP_OPEN`): a burst after a quiet spell finds them open with their statements prepared,
       * instead of opening them under load. Those above it close after `idleTimeoutMs` (default 10 s) unused.
       */
      keepOpen?: number;
      idleTimeoutMs?: number;
      /**
       * Names the connections in `pg_stat_activity` (`fanzha api`, `fanzha worker`): who holds how many. An
       * `application_name` in the URL wins (the driver reads the URL over its options): an operator's own.
       */
      applicationName?: string;
    }
) & {
  /** Every transaction read-only: for checks that must change nothing (verifying the audit trail). */
  isReadOnly?: boolean;
};

/**
 * The embedded data folder holds personal data, password hashes and the secret key: it is the owner's
 * only, as `fanzha restore` leaves it. While a database in a folder is open the process's umask withholds
 * every group and other bit, so the folder and each folder PGlite makes in it are 700 and no other user of
 * the machine can reach a file in them. PGlite itself sets each file it creates to 666 (a chmod after
 * creating it, which no umask trims), so the files are made 600 when the database is opened and again when
 * it is closed. A folder found open to others when opened (made by an older fanzha, or copied in) is
 * tightened the same way, and the process says so.
 */
let ownerOnlyHolds = 0;
let umaskBefore = 0;

function holdOwnerOnly(dataDir: string): { release(): void } {
  // The parents as the operator's umask makes them; the folder itself for its owner only.
  if (!existsSync(dataDir)) {
    mkdirSync(dirname(resolve(dataDir)), { recursive: true });
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  }
  const tightened = tightenTree(dataDir);
  if (tightened > 0)
    process.emitWarning(
      `the data folder ${dataDir} was open to other users of this machine (${tightened} files and folders readable or writable by group or others); made it owner-only (folders 700, files 600)`,
      { code: 'FANZHA_DATA_DIR_PERMISSIONS' },
    );
  // Only the main thread may set the umask (a worker thread is refused).
  if (!isMainThread) return { release: () => undefined };
  if (ownerOnlyHolds === 0) {
    umaskBefore = process.umask(0o077);
    process.umask(umaskBefore | 0o077);
  }
  ownerOnlyHolds += 1;
  let isHeld = true;
  return {
    release() {
      if (!isHeld) return;
      isHeld = false;
      ownerOnlyHolds -= 1;
      if (ownerOnlyHolds === 0) process.umask(umaskBefore);
    },
  };
}

/** Takes every group and other bit off a folder and what it holds (links not followed); says how many changed. */
function tightenTree(path: string): number {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return 0;
  let changed = 0;
  if ((stat.mode & 0o077) !== 0) {
    try {
      chmodSync(path, stat.mode & 0o700);
      changed += 1;
    } catch (err) {
      // Another user's file, which only its owner can change: left as it is.
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    }
  }
  if (stat.isDirectory()) for (const name of readdirSync(path)) changed += tightenTree(join(path, name));
  return changed;
}

/** Opens the database (PGlite in a folder, or in memory without one; or a PostgreSQL pool). */
export async function openDatabase(target: StorageTarget): Promise<Database> {
  if (target.kind === 'pglite') {
    const ownerOnly = target.dataDir ? holdOwnerOnly(target.dataDir) : undefined;
    let pglite: PGlite;
    try {
      pglite = await PGlite.create({
        ...(target.dataDir ? { dataDir: target.dataDir } : {}),
        ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
        parsers: { [types.INT8]: int8AsNumber },
      });
    } catch (err) {
      ownerOnly?.release();
      throw err;
    }
    // What PGlite has just made (a new folder's whole database) is tightened too.
    if (target.dataDir) tightenTree(target.dataDir);
    // PGlite is one connection: setting it for the session covers every later statement.
    if (target.isReadOnly) await pglite.exec('set default_transaction_read_only = on');
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    return {
      kind: 'pglite',
      db,
      close: async () => {
        try {
          await db.destroy();
          if (target.dataDir) tightenTree(target.dataDir);
        } finally {
          ownerOnly?.release();
        }
      },
      ...(target.dataDir
        ? { dumpDataDir: async () => new Uint8Array(await (await pglite.dumpDataDir('none')).arrayBuffer()) }
        : {}),
    };
  }
  const max = target.poolSize ?? DEFAULT_POOL_SIZE;
  const pool = new pg.Pool({
    connectionString: target.url,
    max,
    min: Math.min(target.keepOpen ?? 0, max),
    idleTimeoutMillis: target.idleTimeoutMs ?? 10_000,
    ...(target.applicationName ? { application_name: target.applicationName } : {}),
    ...(target.isReadOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle connection the server ends (a restart, a failover, an administrator) is dropped from the
  // pool and replaced on the next query; without a listener it would be an uncaught error and stop the
  // process.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`);
  });
  // The same for a connection that a request holds between two statements (idle in a transaction): the pool
  // listens only to the connections it holds. The transaction's next statement fails, is answered as an
  // error, and the broken connection is dropped when it is released.
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      process.emitWarning(`PostgreSQL closed a connection in use: ${err.message}`);
    });
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool) }) });
  return {
    kind: 'postgres',
    db,
    close: () => db.destroy(),
  };
}

/**
 * Brings the schema up to date, or (`upTo`, tests of a migration on older data) up to that migration. Safe to run
 * from several processes at once (Kysely takes a lock).
 */
export async function migrate(db: Kysely<DB>, upTo?: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'schema_migration',
    migrationLockTableName: 'schema_migration_lock',
  });
  const result = await (upTo === undefined ? migrator.migrateToLatest() : migrator.migrateTo(upTo));
  if (result.error)
    throw result.error instanceof Error ? result.error : new Error(JSON.stringify(result.error));
  return result;
}
