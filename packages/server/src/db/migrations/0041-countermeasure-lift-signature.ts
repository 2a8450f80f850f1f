import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// A lift asked of an operator or a bank is signed as the request was: its instruction, the signature over it,
// and the key and algorithm that made it, written once when the lift is asked (all four or none: lifts asked
// before this migration have none).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table countermeasure
      add column lift_instruction jsonb,
      add column lift_signature text,
      add column lift_key_id text,
      add column lift_algorithm text`.execute(db);
  await sql`
    alter table countermeasure add constraint countermeasure_lift_signed check (
      (lift_instruction is null and lift_signature is null and lift_key_id is null and lift_algorithm is null)
      or (lift_instruction is not null and lift_signature is not null and lift_key_id is not null
        and lift_algorithm is not null))`.execute(db);
}
