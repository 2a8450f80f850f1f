import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from './db/database';

/**
 * `npm start` on an embedded data folder, as an operator runs it: the folder is the owner's only, and a
 * folder whose secret key is missing or another (a backup restored without it) is refused with a message
 * and exit status 2 — never given a new key, which could open none of its personal data.
 */
// Each start is a new process opening PGlite on a folder: seconds.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = fileURLToPath(new URL('./main.ts', import.meta.url));

interface Outcome {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Starts the server on `dataDir`; once it serves, notes what in the folder is open to others and stops it
 * (SIGTERM); resolves when it has exited.
 */
function startServer(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<Outcome & { served: boolean; seen: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: root,
    env: {
      ...process.env,
      FANZHA_DATA_DIR: dataDir,
      FANZHA_PORT: '0',
      FANZHA_HOST: '127.0.0.1',
      FANZHA_DEMO: 'false',
      DATABASE_URL: '',
      NATS_URL: '',
      FANZHA_SECRET_KEY: '',
      FANZHA_METRICS_PORT: '',
      ...env,
    },
  });
  let out = '';
  let err = '';
  let served = false;
  let seen: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    // The notice printed once it serves (after it, the server stops cleanly on SIGTERM).
    if (!served && /health {9}http:\/\/127\.0\.0\.1:\d+\/api\/health/.test(out)) {
      served = true;
      // What another user of the machine could reach while it runs.
      seen = openToOthers(dataDir);
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  return new Promise((done) => child.on('exit', (code) => done({ code, out, err, served, seen })));
}

function openToOthers(dir: string): string[] {
  const mode = lstatSync(dir).mode & 0o777;
  return [
    ...((mode & 0o077) !== 0 ? [`${dir} ${mode.toString(8)}`] : []),
    ...readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (lstatSync(path).isDirectory()) return openToOthers(path);
      const m = lstatSync(path).mode & 0o777;
      return (m & 0o077) !== 0 ? [`${path} ${m.toString(8)}`] : [];
    }),
  ];
}

describe('npm start on an embedded data folder', () => {
  let dir: string;
  let parent: string;
  let umask: number;
  let key: string;
  const keyFile = () => join(dir, 'secret.key');
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'fanzha-main-'));
    dir = join(parent, 'data');
    // The common default, inherited by the server: folders 755 and files 644 unless it sees to it.
    umask = process.umask(0o022);
  });
  afterAll(async () => {
    process.umask(umask);
    await rm(parent, { recursive: true, force: true });
  });

  it('makes a new folder and keeps it owner-only: nothing in it readable or writable by others', async () => {
    const first = await startServer(dir);
    expect(first.served, first.err).toBe(true);
    expect(first.seen).toEqual([]);
    key = readFileSync(keyFile(), 'utf8');
    expect(openToOthers(dir)).toEqual([]);
  });

  it('refuses to start without the key the database was used with, and writes no key', async () => {
    renameSync(keyFile(), join(parent, 'kept.key'));
    const r = await startServer(dir);
    expect(r.served).toBe(false);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/There is no secret key for this database: .*secret\.key is missing/);
    expect(r.err).toMatch(/Put back the secret key this database .* was made with/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(keyFile())).toBe(false);
  });

  it('refuses another key, in the folder or in FANZHA_SECRET_KEY, with a message rather than a stack trace', async () => {
    const other = `${'cd'.repeat(32)}\n`;
    writeFileSync(keyFile(), other, { mode: 0o600 });
    const inFolder = await startServer(dir);
    expect(inFolder.code).toBe(2);
    expect(inFolder.err).toMatch(/secret\.key is not the secret key this database was written with/);
    expect(inFolder.err).not.toMatch(/\n\s+at /);
    expect(readFileSync(keyFile(), 'utf8')).toBe(other);

    renameSync(keyFile(), join(parent, 'other.key'));
    const inEnvironment = await startServer(dir, { FANZHA_SECRET_KEY: 'cd'.repeat(32) });
    expect(inEnvironment.code).toBe(2);
    expect(inEnvironment.err).toMatch(
      /not the key this database was written with: data key 1 cannot be unwrapped/,
    );
    expect(inEnvironment.err).not.toMatch(/\n\s+at /);
    expect(existsSync(keyFile())).toBe(false);
  });

  it('starts again once the right key is back, its data keys as they were', async () => {
    writeFileSync(keyFile(), key, { mode: 0o600 });
    const again = await startServer(dir);
    expect(again.served, again.err).toBe(true);
    const database = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      const keys = await database.db.selectFrom('data_key').select('version').execute();
      expect(keys).toEqual([{ version: 1 }]);
    } finally {
      await database.close();
    }
  });
});
