import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Embedded mode keeps its secret key in the data folder (created once, readable by the owner only), so
 * `npm start` needs no setup. Scaled-out deployments pass FANZHA_SECRET_KEY instead (config requires it).
 */
export async function loadSecretKey(dataDir: string): Promise<Buffer> {
  const file = join(dataDir, 'secret.key');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return Buffer.from(existing.trim(), 'hex');
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(32);
  await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' }).catch(async () => undefined);
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
}
