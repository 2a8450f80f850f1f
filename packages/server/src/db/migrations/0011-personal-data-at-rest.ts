import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Personal data at rest (MLPS level 3): the victim's name, ID number, phone and address and the names of
// account holders are kept encrypted, field by field, under data keys listed here (each wrapped by a key
// derived from the server's secret key, which a migration does not have). So this migration only marks the
// values written before it as plaintext ('plain:' in front): the server encrypts them at its next start, and
// nothing written earlier, whatever it holds, can pass for a ciphertext. The blind indexes (truncated
// HMACs of the normalised ID number and phone) make equality look-ups possible without the plaintext.
const personal: Array<[table: string, column: string]> = [
  ['report', 'victim_name'],
  ['report', 'victim_id_number'],
  ['report', 'victim_phone'],
  ['report', 'victim_address'],
  ['report_transfer', 'to_name'],
  ['stop_payment', 'account_name'],
  ['onward_transfer', 'account_name'],
  ['fund_decision', 'payee_name'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table data_key (
      version integer primary key check (version > 0),
      cipher text not null,
      wrapped text not null,
      created_at timestamptz not null,
      retired_at timestamptz
    )`.execute(db);
  await sql`alter table report add column victim_id_number_bidx text, add column victim_phone_bidx text`.execute(
    db,
  );
  await sql`create index report_victim_id_number_bidx on report (victim_id_number_bidx)
    where victim_id_number_bidx is not null`.execute(db);
  await sql`create index report_victim_phone_bidx on report (victim_phone_bidx)
    where victim_phone_bidx is not null`.execute(db);
  for (const [table, column] of personal)
    await sql`update ${sql.table(table)} set ${sql.ref(column)} = 'plain:' || ${sql.ref(column)}
      where ${sql.ref(column)} is not null`.execute(db);
}
