import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, loadConfig, loadStorageConfig } from '../config';
import { createSigner } from '../platform/crypto/signer';

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

export const FORMAT = 'fanzha-backup/1';
export const DATA_NAME = 'pgdata.tar.gz';
export const SECRET_KEY_FILE = 'secret.key';
/** The server's lock file: it names a process of the machine the backup was made on, never restored. */
export const PID_FILE = 'fanzha.pid';

export const manifestSchema = z.object({
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

export function storageOf(env: Record<string, string | undefined>, command: string) {
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
export const keyIdOf = (key: Buffer) => createSigner(key).keyId;

export function readKeyFile(file: string): Buffer | undefined {
  const hex = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  return /^[0-9a-fA-F]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
