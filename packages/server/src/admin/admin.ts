import { createPublicKey, type KeyObject } from 'node:crypto';
import { userInfo } from 'node:os';
import type { CreateUserRequest, UserView } from '@fanzha/contracts';
import type { AuditVerification } from '@fanzha/contracts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, loadStorageConfig } from '../config';
import { migrate, openDatabase, type Database } from '../db/database';
import {
  appendAudit,
  auditEntry,
  checkpointAudit,
  checkpointFileLines,
  CheckpointFileError,
  listCheckpointKeys,
  listCheckpoints,
  parseCheckpointFile,
  sealAudit,
  verifyAudit,
  verifyCheckpoints,
  type AuditCheckpoint,
  type AuditContext,
  type CheckpointKey,
  type CheckpointVerification,
} from '../modules/audit/index';
import { loadSecretKey } from '../platform/crypto/secret-key';
import { algorithmOfKey, createSigner, keyIdOf } from '../platform/crypto/signer';
import { suiteAlgorithms } from '../platform/crypto/suites';
import { createUsersService } from '../modules/identity/index';
import { findUserByUsername } from '../modules/identity/users.repository';
import { systemClock } from '../platform/clock';
import { holderOf } from '../platform/data-dir-lock';
import { AppError } from '../platform/http/errors';
import {
  createFieldKeys,
  openFieldKeys,
  withFieldKeys,
  type FieldKeys,
} from '../platform/crypto/field-cipher';
import {
  fieldKeyStatus,
  rotateFieldKeys,
  type KeyStatus,
  type Progress,
  type RotationResult,
} from '../platform/crypto/field-rotation';

/**
 * Maintenance on the database itself, for the `fanzha` command on the server's machine: the first
 * accounts, lock-outs, the audit check, the keys of personal data at rest. Same services and audit as the API; the actor is the operating
 * system user, recorded as the origin. Refuses to open an embedded database that a server holds.
 */
export interface Admin {
  addUser(input: CreateUserRequest): Promise<UserView>;
  listUsers(): Promise<UserView[]>;
  setUser(username: string, action: 'disable' | 'enable' | 'reset-totp'): Promise<UserView>;
  /** The data keys of personal fields and how many values each protects. */
  keyStatus(): Promise<KeyStatus>;
  /** A new data key, every personal value re-encrypted under it in batches, the old key retired; audited. */
  rotateKeys(opts: { batchSize?: number; onProgress?: (p: Progress) => void }): Promise<RotationResult>;
  /** Seals what is unsealed and signs the chain's head now (once per position): before a hand-over or backup. */
  signAuditCheckpoint(): Promise<AuditCheckpoint | null>;
  close(): Promise<void>;
}

/**
 * A maintenance command refused. `exitCode` is the `fanzha` command's status (docs/operations.md, *Exit
 * statuses*): 1 when the answer is no (no such user, a checkpoint file that proves nothing), 2 when the
 * command cannot run as asked (the data folder held, the secret key missing or another, no database there).
 */
export class AdminError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

export async function openAdmin(env: Record<string, string | undefined> = process.env): Promise<Admin> {
  const config = loadConfig(env);
  if (!config.databaseUrl) {
    const holder = holderOf(config.dataDir);
    if (holder)
      throw new AdminError(
        `fanzha is running on ${config.dataDir} (process ${holder}); stop it first, or use the admin console in the web app (for the first admin: start the server with FANZHA_BOOTSTRAP_ADMIN=<name>:<password>)`,
        2,
      );
  }
  const database: Database = await openDatabase(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl, poolSize: 2 }
      : { kind: 'pglite', dataDir: config.dataDir },
  );
  await migrate(database.db);
  // The same secret as the server's: the data keys of personal fields are wrapped under a key derived from it.
  // A database that was used with a secret key is refused when that key is missing or another is given:
  // no new key is made (loadSecretKey).
  let secretKey: Buffer;
  let fieldKeys: FieldKeys;
  try {
    secretKey = config.secretKey ?? (await loadSecretKey(config.dataDir, database.db));
    fieldKeys = createFieldKeys(secretKey, suiteAlgorithms[config.crypto].fieldCipher);
    // A maintenance command does not switch the cipher (a status must change nothing); `keys rotate` does.
    await openFieldKeys(database.db, fieldKeys, systemClock.now(), { isSwitching: false });
  } catch (err) {
    await database.close();
    // As the server's start: a database with a missing or another key cannot be worked on (exit status 2).
    throw new AdminError(err instanceof Error ? err.message : String(err), 2);
  }
  const keyed = withFieldKeys(database.db, fieldKeys);
  const users = createUsersService({ db: database.db });
  const ctx = (): AuditContext => ({
    at: systemClock.now(),
    requestId: null,
    actor: null,
    origin: `cli:${userInfo().username}`,
  });
  const idOf = async (username: string) => {
    const user = await findUserByUsername(database.db, username);
    if (!user) throw new AdminError(`no user named ${username}`, 1);
    return user.id;
  };
  const algorithms = suiteAlgorithms[config.crypto];
  const seal = async () => {
    while ((await sealAudit(database.db, 500, algorithms.hash)) > 0);
  };
  const sealed = async <T>(work: Promise<T>) => {
    const result = await work;
    await seal();
    return result;
  };
  return {
    addUser: (input) => sealed(users.create(ctx(), input)),
    listUsers: () => users.list(),
    async setUser(username, action) {
      const id = await idOf(username);
      if (action === 'disable') return sealed(users.disable(ctx(), id));
      if (action === 'enable') return sealed(users.enable(ctx(), id));
      return sealed(users.resetTotp(ctx(), id));
    },
    keyStatus: () => fieldKeyStatus(keyed),
    async rotateKeys(opts) {
      const at = systemClock.now();
      const result = await rotateFieldKeys(keyed, at, opts);
      // Recorded once the run ends: a rotation is many transactions, and one interrupted is recorded by the
      // run that takes it up (isResumed). Version numbers only, never key material.
      await appendAudit(
        database.db,
        auditEntry(ctx(), {
          action: 'data-key.rotate',
          objectType: 'data_key',
          objectId: String(result.current),
          result: 'success',
          details: {
            version: result.current,
            retired: result.retired,
            isResumed: result.isResumed,
            isComplete: result.isComplete,
          },
        }),
      );
      await seal();
      return result;
    },
    async signAuditCheckpoint() {
      await seal();
      const signer = createSigner(secretKey, 'audit-checkpoints', algorithms.signature);
      return checkpointAudit(database.db, signer, {
        now: systemClock.now(),
        everyMinutes: config.auditCheckpointMinutes,
        everyEntries: config.auditCheckpointEntries,
        force: true,
      });
    },
    close: () => database.close(),
  };
}

/**
 * Opens the database for an auditor: read access only. It needs where the data is and nothing else — not the
 * secret key from which the signing keys are derived, which an auditor must not hold — and neither migrates
 * nor seals (entries not yet sealed are counted, for the server seals them).
 */
async function withAuditorDatabase<T>(
  env: Record<string, string | undefined>,
  work: (db: Database['db']) => Promise<T>,
): Promise<T> {
  const storage = loadStorageConfig(env);
  if (!storage.databaseUrl) {
    const holder = holderOf(storage.dataDir);
    if (holder)
      throw new AdminError(
        `fanzha is running on ${storage.dataDir} (process ${holder}); stop it first, or verify in the web app (auditor)`,
        2,
      );
    if (!existsSync(join(storage.dataDir, 'PG_VERSION')))
      throw new AdminError(`no fanzha database in ${storage.dataDir} (FANZHA_DATA_DIR)`, 2);
  }
  const database = await openDatabase(
    storage.databaseUrl
      ? { kind: 'postgres', url: storage.databaseUrl, poolSize: 1, isReadOnly: true }
      : { kind: 'pglite', dataDir: storage.dataDir, isReadOnly: true },
  );
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** Checks the audit trail's hash chain with read access only. */
export async function verifyAuditTrail(
  env: Record<string, string | undefined> = process.env,
): Promise<AuditVerification> {
  return withAuditorDatabase(env, (db) => verifyAudit(db));
}

/**
 * Checks the chain and, against it, signed checkpoints kept outside the database (an export file's text):
 * each signature with the public key given — or, without one, the keys in the file — and the live trail
 * still reaching each signed head.
 */
export async function verifyAuditTrailAgainst(
  checkpointFile: string,
  opts: { publicKeyPem?: string | undefined } = {},
  env: Record<string, string | undefined> = process.env,
): Promise<{ chain: AuditVerification; checkpoints: CheckpointVerification }> {
  let file: ReturnType<typeof parseCheckpointFile>;
  try {
    file = parseCheckpointFile(checkpointFile);
  } catch (err) {
    // A damaged file is failed evidence, as a damaged backup is: nothing of the trail is proven by it.
    if (err instanceof CheckpointFileError) throw new AdminError(`checkpoint file: ${err.message}`, 1);
    throw err;
  }
  const trusted = opts.publicKeyPem ? [trustedKey(opts.publicKeyPem)] : file.keys;
  if (trusted.length === 0)
    throw new AdminError('checkpoint file: no public key in it; give one with --public-key', 1);
  return withAuditorDatabase(env, async (db) => ({
    chain: await verifyAudit(db),
    checkpoints: await verifyCheckpoints(db, file.checkpoints, trusted),
  }));
}

function trustedKey(pem: string): CheckpointKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new AdminError('--public-key: not a public key in PEM form', 2);
  }
  return {
    keyId: keyIdOf(key),
    algorithm: algorithmOfKey(key) ?? key.asymmetricKeyType ?? 'unknown',
    publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The checkpoints and their public keys as JSON lines, for an auditor to keep outside fanzha. Read only. */
export async function exportAuditCheckpoints(
  env: Record<string, string | undefined> = process.env,
): Promise<{ text: string; keys: number; checkpoints: number }> {
  return withAuditorDatabase(env, async (db) => {
    const keys = await listCheckpointKeys(db);
    const checkpoints: AuditCheckpoint[] = [];
    for (;;) {
      const page = await listCheckpoints(db, { afterSeq: checkpoints.at(-1)?.seq, limit: 5000 });
      checkpoints.push(...page);
      if (page.length < 5000) break;
    }
    const lines = checkpointFileLines(keys, checkpoints);
    return { text: lines.map((l) => `${l}\n`).join(''), keys: keys.length, checkpoints: checkpoints.length };
  });
}

export { AppError };
