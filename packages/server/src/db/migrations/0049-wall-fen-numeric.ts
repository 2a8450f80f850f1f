import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// The wall's hour and day counters of money become `numeric`: each amount may be 1e13 fen, so a day of batch
// intakes at the largest amounts could carry a counter past a bigint (9.2e18 fen), after which the rollup
// failed every batch and the wall stood still. Counts of reports stay bigint.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table wall_hour alter column fen type numeric`.execute(db);
  await sql`alter table wall_day alter column fen type numeric`.execute(db);
}
