import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// The decision's SMS to the appellant becomes a duty kept in the database: `pending` from the decision's
// transaction until the gateway takes it, retried by the appeals' sweep, so a failing gateway or a process
// that stops between the decision and the message no longer leaves the appellant untold. Appeals decided
// before keep no state (null): they were told, or audited as not told, at the time.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table appeal
      add column notice_status text check (notice_status in ('pending', 'sent')),
      add column notice_attempts integer not null default 0,
      add column notice_next_at timestamptz,
      add column notice_sent_at timestamptz,
      add constraint appeal_notice_due_check check ((notice_status = 'pending') = (notice_next_at is not null))`.execute(
    db,
  );
  await sql`create index appeal_notice_due on appeal (notice_next_at) where notice_status = 'pending'`.execute(
    db,
  );
}
