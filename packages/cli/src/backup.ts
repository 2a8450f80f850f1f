import { parseArgs } from 'node:util';
import {
  backupEmbedded,
  BackupError,
  restoreEmbedded,
  type BackupManifest,
  type SecretKeyStatus,
} from '@fanzha/server/admin';

/**
 * `fanzha backup FILE` and `fanzha restore FILE`: the embedded database only. Exit status 0 when done,
 * 1 when the archive or the restored data fail a check, 2 for a refusal of how or where it was asked.
 */
export async function runBackup(command: 'backup' | 'restore', args: string[]): Promise<number> {
  let values: { 'with-secret-key'?: boolean; replace?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options:
        command === 'backup' ? { 'with-secret-key': { type: 'boolean' } } : { replace: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usageOf(command)}`);
    return 2;
  }
  if (positionals.length !== 1) {
    console.error(`fanzha ${command} needs one FILE\n\n${usageOf(command)}`);
    return 2;
  }
  try {
    return command === 'backup'
      ? await backup(positionals[0]!, values['with-secret-key'] === true)
      : await restore(positionals[0]!, values.replace === true);
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    console.error(`refused: ${err.message}`);
    return err.exitCode;
  }
}

const usageOf = (command: 'backup' | 'restore') =>
  command === 'backup'
    ? 'usage: fanzha backup FILE [--with-secret-key]'
    : 'usage: fanzha restore FILE [--replace]';

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

function describe(m: Pick<BackupManifest, 'migration' | 'auditHead' | 'counts'>): string {
  const head = m.auditHead ? `${m.auditHead.seq} (${m.auditHead.hash.slice(0, 16)}…)` : 'none';
  return `schema ${m.migration ?? 'none'}; audit head ${head}; ${m.counts.reports} reports, ${m.counts.stopPaymentRequests} stop-payment requests, ${m.counts.auditEntries} audit entries`;
}

async function backup(file: string, hasSecretKey: boolean): Promise<number> {
  const r = await backupEmbedded({ file, hasSecretKey });
  const m = r.manifest;
  console.log(`backup written: ${r.file} (${mb(r.bytes)}, data SHA-256 ${m.archive.sha256})`);
  console.log(`  ${describe(m)}`);
  if (m.secretKey.isIncluded)
    console.log(
      `  the secret key IS in this file (key id ${m.secretKey.keyId}): whoever holds the file can read the authenticator secrets and sign as this centre — keep it as you keep the key`,
    );
  else if (m.secretKey.keyId)
    console.log(
      `  the secret key is NOT in this file: back it up separately (data/secret.key or FANZHA_SECRET_KEY, key id ${m.secretKey.keyId}); without it a restore cannot open the authenticator secrets nor sign as this centre`,
    );
  return 0;
}

const keySaid: Record<SecretKeyStatus, (keyId: string | null, dataDir: string) => string> = {
  from_backup: (id) => `secret key restored from the backup (key id ${id})`,
  damaged_in_backup: (id) => `the secret key in the backup is not the one its manifest names (key id ${id})`,
  from_replaced_folder: (id) => `secret key kept from the replaced folder (key id ${id}, as in the backup)`,
  from_environment: (id) => `secret key: FANZHA_SECRET_KEY${id ? ` (key id ${id}, as in the backup)` : ''}`,
  environment_differs: (id) =>
    `WARNING: FANZHA_SECRET_KEY is not the key this backup was made with (key id ${id}): set that key before starting fanzha; with this one it refuses to start, for this key cannot open the personal data nor the authenticator secrets`,
  missing: (id, dataDir) =>
    `ACTION NEEDED: the backup holds no secret key. Before starting fanzha, put this deployment's secret.key (from its separate backup; key id ${id}) into ${dataDir}/ with mode 600, or set FANZHA_SECRET_KEY. Until then fanzha refuses to start on this folder, and makes no new key: the personal data and authenticator secrets in it open with that key only`,
  none: () => 'no secret key was in use when the backup was made',
};

async function restore(file: string, isReplacing: boolean): Promise<number> {
  const r = await restoreEmbedded({ file, isReplacing });
  const m = r.manifest;
  console.log(`backup of ${m.createdAt} (fanzha ${m.fanzhaVersion}): data SHA-256 checked`);
  console.log(`  migrations run: ${r.migrated.length ? r.migrated.join(', ') : 'none (same schema)'}`);
  const v = r.verification;
  console.log(
    v.isIntact
      ? `  audit trail intact: ${v.checked} entries checked${v.unsealed ? `, ${v.unsealed} not yet sealed` : ''}`
      : `  audit trail BROKEN at entry ${v.firstBroken!.seq}: ${v.firstBroken!.problem} (${v.checked} entries before it are intact)`,
  );
  console.log(`  restored: ${describe(r.facts)}`);
  if (!r.isAsBackedUp) console.log(`  MISMATCH, the backup's manifest says: ${describe(m)}`);
  console.log(`  ${keySaid[r.secretKey](m.secretKey.keyId, r.dataDir)}`);
  if (!r.isOk) {
    console.log(`NOT restored: ${r.dataDir} is unchanged; the restored copy is left in ${r.leftIn}`);
    return 1;
  }
  if (r.replacedTo) console.log(`  the previous folder is kept as ${r.replacedTo}`);
  console.log(`restored into ${r.dataDir}`);
  return 0;
}
