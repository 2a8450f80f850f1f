import type { AuditVerification } from '@fanzha/contracts';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { migrate, openDatabase } from '../db/database';
import { migrations } from '../db/migrations/index';
import { verifyAudit } from '../modules/audit/index';
import { systemClock } from '../platform/clock';
import { holderOf } from '../platform/data-dir-lock';
import {
  BackupError,
  DATA_NAME,
  keyIdOf,
  manifestSchema,
  readKeyFile,
  SECRET_KEY_FILE,
  sha256,
  storageOf,
  type BackupManifest,
} from './backup-format';
import { readFacts, type DatabaseFacts } from './backup.repository';
import { readTar, TarError } from './tar';

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
  if (manifest.migration && !Object.hasOwn(migrations, manifest.migration))
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
  const checked = {
    manifest,
    dataDir,
    migrated,
    verification,
    facts,
    isAsBackedUp,
    secretKey: keyStatus,
    isOk,
  };
  if (!isOk) return { ...checked, replacedTo: undefined, leftIn: staging };

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
  return { ...checked, replacedTo, leftIn: undefined };
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
