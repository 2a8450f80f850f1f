/**
 * Personal data at rest on PostgreSQL:
 *  - field_seal_per_s, field_open_per_s: one field (a victim's name) encrypted or decrypted, one core
 *    (AES-256-GCM, Node's OpenSSL); field_seal_sm4_per_s, field_open_sm4_per_s: the same with SM4-GCM
 *    (FANZHA_CRYPTO=commercial; sm-crypto-v2, pure JavaScript);
 *  - field_backfill_values_per_s: the start-up backfill encrypting values written before encryption;
 *  - field_rotation_values_per_s: `fanzha keys rotate` re-encrypting every value under a new key (batches
 *    of 500, each its own transaction); field_rotation_to_sm4_values_per_s: the same rotation after a switch to
 *    FANZHA_CRYPTO=commercial (AES-256-GCM values re-encrypted with SM4-GCM).
 * FANZHA_BENCH_FIELD_REPORTS (default 20,000) reports, four personal fields each, make the table.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { migrate, openDatabase } from '../packages/server/src/db/database';
import {
  createFieldKeys,
  fieldCipher,
  openFieldKeys,
  withFieldKeys,
} from '../packages/server/src/platform/crypto/field-cipher';
import {
  fieldKeyStatus,
  rotateFieldKeys,
  sealPlaintextFields,
} from '../packages/server/src/platform/crypto/field-rotation';
import { machine, pgUrl, report } from './support';

const REPORTS = Number(process.env.FANZHA_BENCH_FIELD_REPORTS ?? 20_000);

const name = `fanzha_bench_fields_${Date.now()}`;
const admin = new pg.Client({ connectionString: pgUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(pgUrl);
url.pathname = `/${name}`;
const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 });
try {
  console.log(`# ${machine()}; ${REPORTS} reports`);
  await migrate(database.db);
  const keys = createFieldKeys(Buffer.alloc(32, 5));
  await openFieldKeys(database.db, keys, new Date());
  const db = withFieldKeys(database.db, keys);

  const id = randomUUID();
  const sealAndOpen = async (handle: typeof db, suffix: string, n: number) => {
    const cipher = await fieldCipher(handle);
    let t = performance.now();
    let sealed = '';
    for (let i = 0; i < n; i++) sealed = cipher.seal('report.victim_name', [id], '张三丰');
    report(`field_seal${suffix}_per_s`, Math.round(n / ((performance.now() - t) / 1000)), 'values/s');
    t = performance.now();
    for (let i = 0; i < n; i++) cipher.open('report.victim_name', [id], sealed);
    report(`field_open${suffix}_per_s`, Math.round(n / ((performance.now() - t) / 1000)), 'values/s');
  };
  await sealAndOpen(db, '', 50_000);

  // Reports as written before encryption (marked by migration 0011), in chunks.
  const user = randomUUID();
  await sql`insert into app_user (id, username, display_name, role, password_hash)
    values (${user}, 'bench', 'bench', 'supervisor', 'x')`.execute(database.db);
  for (let i = 0; i < REPORTS; i += 1000)
    await sql`insert into report (id, number, version, status, created_by, call_answered_at, victim_name,
        victim_id_number, victim_phone, victim_address, created_at, updated_at)
      select gen_random_uuid(), 'JJ-BENCH-' || g, 1, 'registered', ${user}, now(), 'plain:张三' || g,
        'plain:52010219800101' || lpad(g::text, 4, '0'), 'plain:138' || lpad(g::text, 8, '0'),
        'plain:南明区花果园' || g, now(), now()
      from generate_series(${i}::int, ${Math.min(REPORTS, i + 1000) - 1}::int) as g`.execute(database.db);
  const values = (await fieldKeyStatus(db)).plaintext;

  let t = performance.now();
  await sealPlaintextFields(db);
  report('field_backfill_values_per_s', Math.round(values / ((performance.now() - t) / 1000)), 'values/s');

  t = performance.now();
  const rotated = await rotateFieldKeys(db, new Date());
  report('field_rotation_values_per_s', Math.round(values / ((performance.now() - t) / 1000)), 'values/s');
  const status = await fieldKeyStatus(db);
  const current = status.versions.find((v) => v.isCurrent);
  if (!rotated.isComplete || current?.values !== values || status.plaintext !== 0)
    throw new Error(`rotation left values behind: ${JSON.stringify(status)}`);

  // FANZHA_CRYPTO=commercial on the same database: a new SM4-GCM key, then a rotation onto it.
  const sm4Keys = createFieldKeys(Buffer.alloc(32, 5), 'sm4-gcm');
  await openFieldKeys(database.db, sm4Keys, new Date());
  const sm4 = withFieldKeys(database.db, sm4Keys);
  await sealAndOpen(sm4, '_sm4', 20_000);
  t = performance.now();
  await rotateFieldKeys(sm4, new Date());
  report(
    'field_rotation_to_sm4_values_per_s',
    Math.round(values / ((performance.now() - t) / 1000)),
    'values/s',
  );
  const after = await fieldKeyStatus(sm4);
  if (
    after.versions.find((v) => v.isCurrent)?.cipher !== 'sm4-gcm' ||
    after.versions.find((v) => v.isCurrent)?.values !== values
  )
    throw new Error(`rotation to SM4 left values behind: ${JSON.stringify(after)}`);
} finally {
  await database.close();
  await admin.query(`drop database ${name}`);
  await admin.end();
}
