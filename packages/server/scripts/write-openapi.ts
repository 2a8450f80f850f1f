/**
 * Writes the OpenAPI document the server serves to packages/contracts/openapi.json, where it is committed
 * for integrators and reviewers. `--check` fails instead of writing when the committed copy is stale.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { createMemoryBus } from '../src/platform/bus/memory-bus';
import { systemClock } from '../src/platform/clock';
import { createSecretBox } from '../src/platform/crypto/secret-box';
import { createSigner } from '../src/platform/crypto/signer';

const target = fileURLToPath(new URL('../../contracts/openapi.json', import.meta.url));
const isCheck = process.argv.includes('--check');

const database = await openDatabase({ kind: 'pglite' });
const app = await buildApp({
  config: loadConfig({}),
  database,
  bus: createMemoryBus(),
  clock: systemClock,
  secretBox: createSecretBox(randomBytes(32)),
  signer: createSigner(randomBytes(32)),
  wakeRelay: () => undefined,
  startedAt: systemClock.now(),
});
const text = `${JSON.stringify(app.swagger(), null, 2)}\n`;
await app.close();
await database.close();

const committed = await readFile(target, 'utf8').catch(() => '');
if (isCheck) {
  if (committed !== text) {
    console.error('packages/contracts/openapi.json is out of date: run `npm run openapi` and commit it');
    process.exit(1);
  }
  console.log('openapi.json is up to date');
} else {
  await writeFile(target, text);
  console.log(`wrote ${target}`);
}
