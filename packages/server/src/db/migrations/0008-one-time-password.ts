import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// A password an admin reset is a one-time password: the user must choose a new one at the next sign-in
// before any second factor or session is granted.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table app_user add column must_change_password boolean not null default false`.execute(db);
}
