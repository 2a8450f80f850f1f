import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Appeals against a freeze (冻结) and a protective hold (保护性止付), named by their bank and account number;
// the reviewer's role (a grant's release is proposed in the reviewer's name and approved in the decider's);
// and each effect of a grant recorded with its state, applied idempotently and retried by a sweep until done.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table appeal drop constraint appeal_subject_kind_check`.execute(db);
  await sql`alter table appeal add constraint appeal_subject_kind_check
    check (subject_kind in ('phone', 'url', 'account', 'id_number', 'freeze', 'hold'))`.execute(db);
  await sql`alter table appeal add column subject_bank_code text`.execute(db);
  await sql`alter table appeal add column reviewed_role text`.execute(db);
  await sql`alter table appeal add constraint appeal_subject_bank
    check ((subject_kind in ('freeze', 'hold')) = (subject_bank_code is not null))`.execute(db);
  await sql`
    create table appeal_effect (
      appeal_id uuid not null references appeal (id),
      target text not null,
      kind text not null check (kind in ('indicator', 'countermeasure', 'two_card_measure', 'freeze', 'hold')),
      target_id text not null,
      status text not null check (status in ('pending', 'done', 'failed')),
      result text,
      attempts integer not null default 0,
      last_error text,
      next_attempt_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      done_at timestamptz,
      primary key (appeal_id, target),
      check ((status = 'done') = (done_at is not null)),
      check ((status = 'done') = (next_attempt_at is null))
    )`.execute(db);
  // The retry sweep's one statement when idle: the first effect due, not yet done.
  await sql`create index appeal_effect_due on appeal_effect (next_attempt_at) where status <> 'done'`.execute(
    db,
  );
}
