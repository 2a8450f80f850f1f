import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// An operator's system may name a webhook with its signal key: fanzha then tells it, signed, of each carrier
// assist request and countermeasure awaiting it, so it need not poll.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table signal_key add column webhook_url text`.execute(db);
}
