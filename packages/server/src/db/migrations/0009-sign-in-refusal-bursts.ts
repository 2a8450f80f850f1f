import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Refused sign-ins are audited by bursts: the first refusal of a burst is an audit entry at once, the rest
// are counted here, and the burst's total becomes one more entry when it ends. The row is the open burst
// of one kind of refusal; it is deleted when its closing entry is written.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sign_in_refusal (
      action text not null,
      username text not null,
      address text not null,
      reason text not null,
      result text not null check (result in ('failure', 'denied')),
      user_id uuid,
      role text,
      client_address text,
      first_at timestamptz not null,
      last_at timestamptz not null,
      count integer not null,
      primary key (action, username, address, reason)
    )`.execute(db);
  await sql`create index sign_in_refusal_last_at on sign_in_refusal (last_at)`.execute(db);
  await sql`create index sign_in_refusal_first_at on sign_in_refusal (first_at)`.execute(db);
}
