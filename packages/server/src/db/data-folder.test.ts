import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFieldKeys, openFieldKeys } from '../platform/crypto/field-cipher';
import { loadSecretKey } from '../platform/crypto/secret-key';
import { claimDataDir } from '../platform/data-dir-lock';
import { migrate, openDatabase } from '../db/database';

// PGlite on a folder takes seconds to open.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/** Every file and folder under `dir` (itself included) with its permission bits. */
function modes(dir: string): Array<{ path: string; mode: number; isDir: boolean }> {
  const out = [{ path: dir, mode: lstatSync(dir).mode & 0o777, isDir: true }];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) out.push(...modes(path));
    else out.push({ path, mode: stat.mode & 0o777, isDir: false });
  }
  return out;
}
const openToOthers = (dir: string, only: 'folders' | 'all' = 'all') =>
  modes(dir)
    .filter((e) => (only === 'all' || e.isDir) && (e.mode & 0o077) !== 0)
    .map((e) => `${e.path} ${e.mode.toString(8)}`);

/**
 * The embedded data folder holds personal data, password hashes and the secret key: nobody but its owner
 * may read or write any of it, whatever the umask the server was started with.
 */
describe('the embedded data folder', () => {
  let root: string;
  let umask: number;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'fanzha-data-folder-'));
    // The common default: folders 755 and files 644 unless the server sees to it.
    umask = process.umask(0o022);
  });
  afterAll(async () => {
    process.umask(umask);
    await rm(root, { recursive: true, force: true });
  });

  it('is made owner-only by the server’s own steps, the database’s files included', async () => {
    const dir = join(root, 'fresh', 'data');
    // As the server starts: the folder claimed, the database opened and migrated, the key made, data written.
    const release = claimDataDir(dir);
    const database = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      await migrate(database.db);
      const keys = createFieldKeys(await loadSecretKey(dir, database.db));
      await openFieldKeys(database.db, keys, new Date());
      await sql`checkpoint`.execute(database.db);
      // While it runs, no other user can reach a file: every folder is the owner's only.
      expect(openToOthers(dir, 'folders')).toEqual([]);
    } finally {
      await database.close();
      release();
    }
    expect(modes(dir).length).toBeGreaterThan(100);
    expect(openToOthers(dir)).toEqual([]);
    // The process's umask is its own again once the database is closed.
    expect(process.umask(0o022)).toBe(0o022);
    // Only the data folder itself is the owner's only: the folders made above it are as the umask says.
    expect(lstatSync(join(root, 'fresh')).mode & 0o777).toBe(0o755);
  });

  it('is tightened when found open to others (an older fanzha made it), and says so once', async () => {
    const dir = join(root, 'older');
    await (await openDatabase({ kind: 'pglite', dataDir: dir })).close();
    for (const e of modes(dir)) chmodSync(e.path, lstatSync(e.path).isDirectory() ? 0o777 : 0o666);
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const database = await openDatabase({ kind: 'pglite', dataDir: dir });
      await database.close();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/was open to other users.*made it owner-only/);
      expect(openToOthers(dir)).toEqual([]);
      // Tight now: opened again, nothing to say.
      await (await openDatabase({ kind: 'pglite', dataDir: dir })).close();
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });
});
