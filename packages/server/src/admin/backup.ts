import type { AuditVerification } from '@fanzha/contracts';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { z } from 'zod';
import { ConfigError, loadConfig, loadStorageConfig } from '../config';
import { migrate, openDatabase } from '../db/database';
import { migrations } from '../db/migrations/index';
import { verifyAudit } from '../modules/audit/index';
import { systemClock } from '../platform/clock';
import { createSigner } from '../platform/crypto/signer';
import { claimDataDir, holderOf } from '../platform/data-dir-lock';
import { version } from '../version';
import { checkpoint, readFacts, type DatabaseFacts } from './backup.repository';
import { END_OF_TAR, readTar, TarError, writeTar, type TarEntry } from './tar';

/**
 * Backup and restore of the embedded database (PGlite in FANZHA_DATA_DIR), for `fanzha backup` and
 * `fanzha restore`. A backup is one file: a tarball of `manifest.json` (what was backed up, with the
 * SHA-256 of the data) and `pgdata.tar.gz` (PGlite's own dump of its folder). The secret key stays out
 * unless asked for: a backup copied to another machine or a tape must not carry the key that opens the
 * authenticator secrets and signs instructions to banks. PostgreSQL has its own tools and is refused.
 */
export class BackupError extends Error {
  /** 1: the archive or the restored data failed a check; 2: how it was asked, or where (usage, configuration). */
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

const FORMAT = 'fanzha-backup/1';
const DATA_NAME = 'pgdata.tar.gz';
const SECRET_KEY_FILE = 'secret.key';
/** The server's lock file: it names a process of the machine the backup was made on, never restored. */
const PID_FILE = 'fanzha.pid';

const manifestSchema = z.object({
  format: z.literal(FORMAT),
  fanzhaVersion: z.string(),
  createdAt: z.iso.datetime(),
  migration: z.string().nullable(),
  auditHead: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  counts: z.object({
    reports: z.number().int(),
    stopPaymentRequests: z.number().int(),
    auditEntries: z.number().int(),
  }),
  secretKey: z.object({ isIncluded: z.boolean(), keyId: z.string().nullable() }),
  archive: z.object({ name: z.literal(DATA_NAME), bytes: z.number().int(), sha256: z.string() }),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

const postgresRefusal = (command: string) =>
  `fanzha ${command} is for the embedded database (FANZHA_DATA_DIR); DATABASE_URL is set. Back up PostgreSQL with its own tools: pg_dump / pg_restore, or a base backup with WAL archiving for point-in-time recovery — see "Backups" in docs/operations.md`;

function storageOf(env: Record<string, string | undefined>, command: string) {
  try {
    const storage = loadStorageConfig(env);
    if (storage.databaseUrl) throw new BackupError(postgresRefusal(command), 2);
    // The whole configuration, as the server reads it: FANZHA_SECRET_KEY, if set, is the key in use.
    const config = loadConfig(env);
    return { dataDir: resolve(storage.dataDir), secretKey: config.secretKey };
  } catch (err) {
    if (err instanceof ConfigError) throw new BackupError(err.message, 2);
    throw err;
  }
}

/** The signing key's id (a hash of its public key, which banks hold): names a secret key without revealing it. */
const keyIdOf = (key: Buffer) => createSigner(key).keyId;

function readKeyFile(file: string): Buffer | undefined {
  const hex = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  return /^[0-9a-fA-F]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

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

/** How the restored folder stands for its secret key (see the docs' "Backups"). */
export type SecretKeyStatus =
  /** The backup carried it; placed in the folder (mode 600) and checked against the manifest. */
  | 'from_backup'
  /** The backup says it carries the key, but what it carries is not that key: a failed check. */
  | 'damaged_in_backup'
  /** Copied from the folder that was set aside, whose key is the one the backup was made with. */
  | 'from_replaced_folder'
  /** FANZHA_SECRET_KEY is set and is the key the backup was made with. */
  | 'from_environment'
  /** FANZHA_SECRET_KEY is set but is not the key the backup was made with. */
  | 'environment_differs'
  /** The operator must put the key back (from its own backup) before starting the server. */
  | 'missing'
  /** The database was never started with a key (no key id in the manifest): nothing to restore. */
  | 'none';

export interface RestoreResult {
  manifest: BackupManifest;
  dataDir: string;
  /** Migrations run on the restored data: the backup was made by an older fanzha. */
  migrated: string[];
  verification: AuditVerification;
  facts: DatabaseFacts;
  /** Counts and audit head as the manifest says. */
  isAsBackedUp: boolean;
  secretKey: SecretKeyStatus;
  /** Where the folder that was replaced now is (--replace). */
  replacedTo: string | undefined;
  /** When a check failed: the restored copy, left for inspection and not put in place. */
  leftIn: string | undefined;
  isOk: boolean;
}

/** Reads a backup file and checks it whole: its form, its manifest and its data's digest. */
export function openBackup(file: string): { manifest: BackupManifest; data: Uint8Array } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new BackupError(`cannot read ${file}`, 2);
  }
  try {
    const entries = readTar(bytes);
    const manifestEntry = entries.find((e) => e.name === 'manifest.json');
    const dataEntry = entries.find((e) => e.name === DATA_NAME);
    if (!manifestEntry || !dataEntry) throw new TarError('no manifest.json and pgdata.tar.gz in it');
    const parsed = manifestSchema.safeParse(JSON.parse(Buffer.from(manifestEntry.data).toString('utf8')));
    if (!parsed.success) throw new TarError(`its manifest is not one: ${parsed.error.issues[0]?.message}`);
    const manifest = parsed.data;
    const digest = sha256(dataEntry.data);
    if (digest !== manifest.archive.sha256 || dataEntry.data.length !== manifest.archive.bytes)
      throw new BackupError(
        `${file} is damaged: its data's SHA-256 is ${digest}, the manifest says ${manifest.archive.sha256}; refused`,
        1,
      );
    return { manifest, data: dataEntry.data };
  } catch (err) {
    if (err instanceof TarError || err instanceof SyntaxError)
      throw new BackupError(`${file} is not a fanzha backup, or is damaged (${err.message}); refused`, 1);
    throw err;
  }
}

/** PGlite writes what it loads readable and writable by all; personal data is for the owner only. */
function makeOwnerOnly(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      chmodSync(path, 0o700);
      makeOwnerOnly(path);
    } else chmodSync(path, 0o600);
  }
}

const stampOf = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
const isEmptyFolder = (dir: string) => !existsSync(dir) || readdirSync(dir).length === 0;

/**
 * Restores a backup into FANZHA_DATA_DIR. Refuses a folder that holds anything unless `isReplacing`, and
 * then keeps the old folder beside it, renamed — never deleted. The data are loaded into a new folder
 * beside the target, brought up to this version's schema, and checked (audit trail, counts, head); only
 * then is it put in place. A failed check leaves the target as it was and the copy for inspection.
 */
export async function restoreEmbedded(opts: {
  file: string;
  isReplacing?: boolean;
  env?: Record<string, string | undefined>;
}): Promise<RestoreResult> {
  const { dataDir, secretKey } = storageOf(opts.env ?? process.env, 'restore');
  const { manifest, data } = openBackup(resolve(opts.file));
  if (manifest.migration && !(manifest.migration in migrations))
    throw new BackupError(
      `this backup was made by a newer fanzha (${manifest.fanzhaVersion}, schema ${manifest.migration}): restore it with that version or a later one`,
      2,
    );
  const refuseIfHeld = () => {
    const holder = holderOf(dataDir);
    if (holder)
      throw new BackupError(`fanzha is running on ${dataDir} (process ${holder}); stop it first`, 2);
  };
  refuseIfHeld();
  const isTargetEmpty = isEmptyFolder(dataDir);
  if (!isTargetEmpty && !opts.isReplacing)
    throw new BackupError(
      `${dataDir} is not empty: restore into an empty or new folder (FANZHA_DATA_DIR), or give --replace to set this one aside (it is renamed, never deleted)`,
      2,
    );

  const stamp = stampOf(systemClock.now());
  const staging = `${dataDir}.restoring-${stamp}`;
  if (existsSync(staging)) throw new BackupError(`${staging} is in the way; move it`, 2);
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  let migrated: string[];
  let verification: AuditVerification;
  let facts: DatabaseFacts;
  try {
    const database = await openDatabase({
      kind: 'pglite',
      dataDir: staging,
      // Gzipped as it is: PGlite unpacks it (one copy of the whole folder in memory fewer).
      loadDataDir: new Blob([new Uint8Array(data)], { type: 'application/x-gzip' }),
    });
    try {
      const result = await migrate(database.db);
      migrated = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
      verification = await verifyAudit(database.db);
      facts = await readFacts(database.db);
    } finally {
      await database.close();
    }
  } catch (err) {
    // Only the new folder, which holds nothing but what failed to load from the backup.
    rmSync(staging, { recursive: true, force: true });
    throw new BackupError(
      `the backup could not be loaded: ${err instanceof Error ? err.message : String(err)}`,
      1,
    );
  }
  makeOwnerOnly(staging);
  const isAsBackedUp =
    JSON.stringify(facts.counts) === JSON.stringify(manifest.counts) &&
    JSON.stringify(facts.auditHead) === JSON.stringify(manifest.auditHead);

  const { status: keyStatus, isKeyIntact } = placeSecretKey({
    manifest,
    staging,
    dataDir,
    secretKey,
    canTakeFromTarget: !isTargetEmpty,
  });
  const isOk = verification.isIntact && isAsBackedUp && isKeyIntact;
  if (!isOk)
    return {
      manifest,
      dataDir,
      migrated,
      verification,
      facts,
      isAsBackedUp,
      secretKey: keyStatus,
      replacedTo: undefined,
      leftIn: staging,
      isOk,
    };

  refuseIfHeld();
  let replacedTo: string | undefined;
  if (existsSync(dataDir)) {
    if (isEmptyFolder(dataDir)) rmdirSync(dataDir);
    else {
      replacedTo = `${dataDir}.replaced-${stamp}`;
      renameSync(dataDir, replacedTo);
    }
  }
  renameSync(staging, dataDir);
  return {
    manifest,
    dataDir,
    migrated,
    verification,
    facts,
    isAsBackedUp,
    secretKey: keyStatus,
    replacedTo,
    leftIn: undefined,
    isOk,
  };
}

/**
 * Puts the right secret key in the restored folder, or says why not: the backup's own (checked against
 * its manifest), else the key of the folder being replaced when it is the one the backup was made with.
 */
function placeSecretKey(opts: {
  manifest: BackupManifest;
  staging: string;
  dataDir: string;
  secretKey: Buffer | undefined;
  canTakeFromTarget: boolean;
}): { status: SecretKeyStatus; isKeyIntact: boolean } {
  const expected = opts.manifest.secretKey.keyId;
  const restoredFile = join(opts.staging, SECRET_KEY_FILE);
  if (opts.manifest.secretKey.isIncluded) {
    const key = readKeyFile(restoredFile);
    if (existsSync(restoredFile)) chmodSync(restoredFile, 0o600);
    const isKeyIntact = key !== undefined && keyIdOf(key) === expected;
    return { status: isKeyIntact ? 'from_backup' : 'damaged_in_backup', isKeyIntact };
  }
  if (opts.secretKey)
    return {
      status: !expected || keyIdOf(opts.secretKey) === expected ? 'from_environment' : 'environment_differs',
      isKeyIntact: true,
    };
  if (!expected) return { status: 'none', isKeyIntact: true };
  const oldFile = join(opts.dataDir, SECRET_KEY_FILE);
  const oldKey = opts.canTakeFromTarget ? readKeyFile(oldFile) : undefined;
  if (oldKey && keyIdOf(oldKey) === expected) {
    copyFileSync(oldFile, restoredFile);
    chmodSync(restoredFile, 0o600);
    return { status: 'from_replaced_folder', isKeyIntact: true };
  }
  return { status: 'missing', isKeyIntact: true };
}
