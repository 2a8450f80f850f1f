import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { createGzip } from 'node:zlib';
import { openDatabase } from '../db/database';
import { systemClock } from '../platform/clock';
import { claimDataDir, holderOf } from '../platform/data-dir-lock';
import { version } from '../version';
import {
  BackupError,
  DATA_NAME,
  FORMAT,
  keyIdOf,
  PID_FILE,
  readKeyFile,
  SECRET_KEY_FILE,
  sha256,
  storageOf,
  type BackupManifest,
} from './backup-format';
import { checkpoint, readFacts, type DatabaseFacts } from './backup.repository';
import { END_OF_TAR, readTar, writeTar, type TarEntry } from './tar';

/** Writes the file whole or not at all: a temporary file beside it, flushed, then renamed over it. */
function writeAtomically(file: string, bytes: Uint8Array): void {
  const temporary = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(temporary, file);
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** The entries as one gzipped tarball, compressed as they come: no second copy of the dump in memory. */
async function gzipTar(entries: TarEntry[]): Promise<Buffer> {
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = once(gzip, 'end');
  for (const entry of entries) if (!gzip.write(entry.blocks)) await once(gzip, 'drain');
  gzip.end(END_OF_TAR);
  await ended;
  return Buffer.concat(chunks);
}

const isInside = (folder: string, path: string) => {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
};

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

/**
 * Backs the embedded database up into `file`. Refuses while a server holds the folder, and holds it
 * itself meanwhile so that none starts; the database is checkpointed first, so the copy is consistent.
 */
export async function backupEmbedded(opts: {
  file: string;
  hasSecretKey?: boolean;
  env?: Record<string, string | undefined>;
}): Promise<BackupResult> {
  const { dataDir, secretKey } = storageOf(opts.env ?? process.env, 'backup');
  const file = resolve(opts.file);
  if (!existsSync(join(dataDir, 'PG_VERSION')))
    throw new BackupError(`no fanzha database in ${dataDir} (FANZHA_DATA_DIR)`, 2);
  if (isInside(dataDir, file))
    throw new BackupError(`the backup must be written outside the data folder ${dataDir}`, 2);
  if (!existsSync(dirname(file)) || !statSync(dirname(file)).isDirectory())
    throw new BackupError(`no folder ${dirname(file)} to write the backup into`, 2);
  if (opts.hasSecretKey && secretKey)
    throw new BackupError(
      'FANZHA_SECRET_KEY is set, so the key in use is not in the data folder: --with-secret-key has nothing to include; keep the key where you keep that setting',
      2,
    );
  const keyFile = readKeyFile(join(dataDir, SECRET_KEY_FILE));
  if (opts.hasSecretKey && !keyFile)
    throw new BackupError(`--with-secret-key: there is no ${SECRET_KEY_FILE} in ${dataDir}`, 2);
  const key = secretKey ?? keyFile;

  const holder = holderOf(dataDir);
  if (holder)
    throw new BackupError(
      `fanzha is running on ${dataDir} (process ${holder}); stop it first (the embedded database belongs to one process)`,
      2,
    );
  const release = claimDataDir(dataDir);
  let facts: DatabaseFacts;
  let dump: Uint8Array;
  try {
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      facts = await readFacts(database.db);
      await checkpoint(database.db);
      dump = await database.dumpDataDir!();
    } finally {
      await database.close();
    }
  } finally {
    release();
  }

  const skipped = new Set([PID_FILE, ...(opts.hasSecretKey ? [] : [SECRET_KEY_FILE])]);
  const data = await gzipTar(readTar(dump).filter((e) => !skipped.has(e.name)));
  const createdAt = systemClock.now();
  const manifest: BackupManifest = {
    format: FORMAT,
    fanzhaVersion: version,
    createdAt: createdAt.toISOString(),
    ...facts,
    secretKey: { isIncluded: opts.hasSecretKey === true, keyId: key ? keyIdOf(key) : null },
    archive: { name: DATA_NAME, bytes: data.length, sha256: sha256(data) },
  };
  const archive = writeTar([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), mtime: createdAt },
    { name: DATA_NAME, data, mtime: createdAt },
  ]);
  writeAtomically(file, archive);
  return { file, bytes: archive.length, manifest };
}
