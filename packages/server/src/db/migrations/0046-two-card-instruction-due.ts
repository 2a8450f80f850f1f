import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Two-cards instructions get a deadline: each is due (executed or refused) by `due_at`, and `overdue_at` marks
// the one escalation raised when it was missed. Instructions issued before this have their deadline at their
// issue plus 72 hours (the default of FANZHA_TWO_CARDS_INSTRUCTION_SLA_HOURS). The partial index holds the
// instructions still awaited and not yet escalated: the idle sweep asks it once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table two_card_instruction add column due_at timestamptz`.execute(db);
  await sql`alter table two_card_instruction add column overdue_at timestamptz`.execute(db);
  await sql`update two_card_instruction set due_at = issued_at + interval '72 hours'`.execute(db);
  await sql`alter table two_card_instruction alter column due_at set not null`.execute(db);
  await sql`
    create index two_card_instruction_due on two_card_instruction (due_at)
      where overdue_at is null and status in ('sent', 'acknowledged')
  `.execute(db);
}
