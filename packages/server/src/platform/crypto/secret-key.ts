import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { createFieldKeys, loadDataKeys, SecretKeyError } from './field-cipher';

export { SecretKeyError } from './field-cipher';

/** Where an operator reads how to keep the key and put it back. */
const seeDocs = 'See "Backups" in docs/operations.md.';

/**
 * Embedded mode keeps its secret key in the data folder (created once, readable by the owner only), so
 * `npm start` needs no setup. Scaled-out deployments pass FANZHA_SECRET_KEY instead (config requires it).
 *
 * A key is made only for a database no key has been used with yet. Once the database holds data keys
 * wrapped under a secret key (or authenticator secrets sealed, or checkpoints signed, with one), a new key
 * could open none of it: a missing key file is refused, and no key is written, so that the operator puts
 * the right one back (a restore without its key); a key file that cannot unwrap the data keys is refused
 * too. Both throw `SecretKeyError`. `db` is the folder's database, open and migrated.
 */
export async function loadSecretKey(dataDir: string, db: Kysely<DB>): Promise<Buffer> {
  const file = join(dataDir, 'secret.key');
  const existing = await readKeyFile(file);
  if (existing !== undefined) {
    const text = existing.trim();
    if (!/^[0-9a-fA-F]{64}$/.test(text))
      throw new SecretKeyError(
        `${file} does not hold a secret key (64 hex digits). Put back the secret key this database — or the backup it was restored from — was made with, as ${file} (mode 600), or set FANZHA_SECRET_KEY to it. ${seeDocs}`,
      );
    const key = Buffer.from(text, 'hex');
    await checkAgainst(db, key, file);
    return key;
  }
  const used = await signsOfAKey(db);
  if (used.length > 0)
    throw new SecretKeyError(
      `There is no secret key for this database: ${file} is missing and FANZHA_SECRET_KEY is not set, but the database in ${dataDir} was used with a secret key (it holds ${used.join(', ')}). A new key could open none of it, so none was made, and fanzha does not run on this database without it. Put back the secret key this database — or the backup it was restored from — was made with: copy it into ${file} (mode 600), or set FANZHA_SECRET_KEY to its 64 hex digits. ${seeDocs}`,
    );
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' }).catch(async () => undefined);
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
}

async function readKeyFile(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SecretKeyError(`cannot read the secret key ${file}: ${(err as Error).message}. ${seeDocs}`);
  }
}

/** The key must unwrap every data key the database holds: another key would open nothing. */
async function checkAgainst(db: Kysely<DB>, key: Buffer, file: string): Promise<void> {
  try {
    await loadDataKeys(db, createFieldKeys(key));
  } catch (err) {
    if (!(err instanceof SecretKeyError)) throw err;
    throw new SecretKeyError(
      `${file} is not the secret key this database was written with: data key ${err.dataKeyVersion} cannot be unwrapped with it, and no other key can open the personal data sealed under it. Put back the secret key this database — or the backup it was restored from — was made with, as ${file} (mode 600), or set FANZHA_SECRET_KEY to it. ${seeDocs}`,
      err.dataKeyVersion,
    );
  }
}

/** What in the database was made with a secret key: none on a database that has not been started yet. */
async function signsOfAKey(db: Kysely<DB>): Promise<string[]> {
  const dataKey = await db.selectFrom('data_key').select('version').limit(1).executeTakeFirst();
  const totp = await db
    .selectFrom('app_user')
    .select('id')
    .where((eb) => eb.or([eb('totp_secret_enc', 'is not', null), eb('totp_pending_enc', 'is not', null)]))
    .limit(1)
    .executeTakeFirst();
  const checkpointKey = await db
    .selectFrom('audit_checkpoint_key')
    .select('key_id')
    .limit(1)
    .executeTakeFirst();
  return [
    ...(dataKey ? ['data keys of personal data wrapped with it'] : []),
    ...(totp ? ['authenticator secrets sealed with it'] : []),
    ...(checkpointKey ? ['audit checkpoints signed with a key derived from it'] : []),
  ];
}
