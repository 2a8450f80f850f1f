import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * PGlite's folder belongs to one process. The server records its pid there; maintenance commands
 * check it first, so that nobody opens a live embedded database from a second process.
 */
const pidFile = (dataDir: string) => join(dataDir, 'fanzha.pid');

export function holderOf(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile(dataDir), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined; // a stale file from a process that died
  }
}

export function claimDataDir(dataDir: string): () => void {
  const holder = holderOf(dataDir);
  if (holder) throw new Error(`the data folder ${dataDir} is in use by process ${holder}`);
  // A new folder is its owner's only from the start, as the database keeps it (see openDatabase).
  if (!existsSync(dataDir)) {
    mkdirSync(dirname(resolve(dataDir)), { recursive: true });
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  }
  writeFileSync(pidFile(dataDir), `${process.pid}\n`, { mode: 0o600 });
  return () => rmSync(pidFile(dataDir), { force: true });
}
