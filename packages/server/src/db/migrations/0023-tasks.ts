import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// One supervision queue (督办): every instruction the centre gives, whichever module gives it, as a task with
// one owner (a unit, and a person when one holds it), a deadline and a feedback, kept by the tasks module from
// the instruction modules' events; `source_at` is the time of the event it was last taken from, so that an
// older event arriving late changes nothing. The supervision on each task (urges, reassignments, escalations)
// is kept beside it, each action once (`key`: a retried request finds its first answer).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table task (
      id uuid primary key,
      kind text not null,
      source_id text not null,
      title text not null,
      report_id uuid,
      owner_unit_kind text not null,
      owner_unit_code text not null,
      owner_user_id text,
      is_reassigned boolean not null default false,
      opened_at timestamptz not null,
      due_at timestamptz,
      status text not null,
      done_at timestamptz,
      feedback text,
      urge_count integer not null default 0,
      last_urged_at timestamptz,
      last_urged_by text,
      last_urge_note text,
      escalation_level integer not null default 0,
      escalated_at timestamptz,
      source_at timestamptz not null,
      updated_at timestamptz not null,
      unique (kind, source_id)
    )`.execute(db);
  // The queue: open tasks by deadline (overdue first is "due_at < now" among them), then the rest.
  await sql`create index task_open_due on task (due_at) where status = 'open'`.execute(db);
  await sql`create index task_owner on task (owner_unit_kind, owner_unit_code, status, due_at)`.execute(db);
  await sql`create index task_report on task (report_id) where report_id is not null`.execute(db);
  // The league: tasks due in a period, per unit.
  await sql`create index task_league on task (owner_unit_kind, due_at)`.execute(db);
  await sql`
    create table task_action (
      id uuid primary key,
      task_id uuid not null references task (id),
      action text not null,
      at timestamptz not null,
      by_user_id text not null,
      by_username text not null,
      note text not null,
      from_owner jsonb,
      to_owner jsonb,
      level integer,
      key text
    )`.execute(db);
  await sql`create index task_action_task on task_action (task_id, at)`.execute(db);
  await sql`create unique index task_action_key on task_action (task_id, action, key) where key is not null`.execute(
    db,
  );
}
