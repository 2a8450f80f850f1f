import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// A lifted two-cards measure's `apply` instructions its parties had neither executed nor refused stayed open:
// escalated as overdue later, their supervision tasks open, and a party could still execute the apply after
// receiving the lift. From now on the lift withdraws them (`withdrawn`, final, at `withdrawn_at`). This does the
// same for measures lifted before: such instructions are withdrawn at their measure's lift, and their tasks
// in the supervision queue are cancelled as the task report of a withdrawn instruction says.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table two_card_instruction add column withdrawn_at timestamptz`.execute(db);
  await sql`alter table two_card_instruction drop constraint two_card_instruction_status_check`.execute(db);
  await sql`
    alter table two_card_instruction add constraint two_card_instruction_status_check
      check (status in ('sent', 'acknowledged', 'executed', 'refused', 'withdrawn'))
  `.execute(db);
  await sql`
    with withdrawn as (
      update two_card_instruction i
        set status = 'withdrawn', withdrawn_at = m.lifted_at, updated_at = m.lifted_at
      from two_card_measure m
      where m.id = i.measure_id and m.lifted_at is not null
        and i.action = 'apply' and i.status in ('sent', 'acknowledged')
      returning i.id, i.withdrawn_at)
    update task t
      set status = 'cancelled', done_at = w.withdrawn_at, feedback = 'withdrawn',
        source_at = greatest(t.source_at, now()), updated_at = now()
    from withdrawn w
    where t.kind = 'two-card-instruction' and t.source_id = w.id::text and t.status = 'open'
  `.execute(db);
}
