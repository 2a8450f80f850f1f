import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// More personal data encrypted at rest (as 0011): the report's narrative (the victim's account of the call, in
// their words) and the victim's own account number (on a report's transfers and on a return decision). As in
// 0011, a migration has no key: it marks the values written before it as plaintext ('plain:' in front), and the
// server encrypts them at its next start. The signed instructions (`stop_payment.instruction`,
// `bank_instruction.payload`) and the outbox's events (`outbox.envelope`) are jsonb documents: one written
// before encryption is still an object, which the server tells from a ciphertext (a JSON string) without a mark.
const personal: Array<[table: string, column: string]> = [
  ['report', 'narrative'],
  ['report_transfer', 'victim_account'],
  ['fund_decision', 'victim_account'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of personal)
    await sql`update ${sql.table(table)} set ${sql.ref(column)} = 'plain:' || ${sql.ref(column)}
      where ${sql.ref(column)} is not null`.execute(db);
}
