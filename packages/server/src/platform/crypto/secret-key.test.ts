import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrate, openDatabase, type Database } from '../../db/database';
import { createFieldKeys, openFieldKeys } from './field-cipher';
import { loadSecretKey, SecretKeyError } from './secret-key';

// PGlite on a folder takes seconds to open.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/**
 * The embedded secret key: made once for a new database, and never again for one that was used with a key
 * (a backup restored without it): a new key could open none of its personal data.
 */
describe('the embedded secret key', () => {
  let dir: string;
  let database: Database;
  let key: Buffer;
  const file = () => join(dir, 'secret.key');
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fanzha-secret-key-'));
    database = await openDatabase({ kind: 'pglite', dataDir: dir });
    await migrate(database.db);
  });
  afterAll(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is made for a database no key was used with, owner-only, and read back the same', async () => {
    key = await loadSecretKey(dir, database.db);
    expect(key).toHaveLength(32);
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    // The first start then wraps the first data key under it.
    await openFieldKeys(database.db, createFieldKeys(key), new Date());
    expect((await loadSecretKey(dir, database.db)).equals(key)).toBe(true);
  });

  it('is not made again once the database holds data keys: the start is refused and no key is written', async () => {
    unlinkSync(file());
    const err = await loadSecretKey(dir, database.db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretKeyError);
    expect((err as Error).message).toMatch(/no secret key for this database/);
    expect((err as Error).message).toMatch(/data keys of personal data wrapped with it/);
    expect((err as Error).message).toMatch(/Put back the secret key .* FANZHA_SECRET_KEY/);
    expect(existsSync(file())).toBe(false);
  });

  it('refuses a key that cannot unwrap the data keys, or a file that holds no key, and leaves the file', async () => {
    const other = `${'cd'.repeat(32)}\n`;
    writeFileSync(file(), other, { mode: 0o600 });
    const wrong = await loadSecretKey(dir, database.db).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(SecretKeyError);
    expect((wrong as Error).message).toMatch(
      /secret\.key is not the secret key this database was written with: data key 1 cannot be unwrapped/,
    );
    expect(readFileSync(file(), 'utf8')).toBe(other);

    writeFileSync(file(), 'not a key\n', { mode: 0o600 });
    await expect(loadSecretKey(dir, database.db)).rejects.toThrow(/does not hold a secret key/);

    // The right key put back: read as before.
    writeFileSync(file(), `${key.toString('hex')}\n`, { mode: 0o600 });
    expect((await loadSecretKey(dir, database.db)).equals(key)).toBe(true);
  });
});
