import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Appeals (申诉, Anti-Telecom and Online Fraud Law Art. 32): filed on the public form, found by their
// reference number, reviewed by one person and decided by another. The appellant's name, contact phone,
// statement and the value appealed are sealed at rest (the field cipher); `subject_bidx` finds the appeals
// on one value without opening them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table appeal (
      id uuid primary key,
      seq bigserial not null unique,
      reference text not null unique,
      subject_kind text not null check (subject_kind in ('phone', 'url', 'account', 'id_number')),
      subject_value text not null,
      subject_bidx text not null,
      name text not null,
      contact_phone text not null,
      statement text not null,
      status text not null check (status in ('filed', 'under_review', 'granted', 'denied', 'withdrawn')),
      filed_at timestamptz not null,
      due_at timestamptz not null,
      overdue_at timestamptz,
      recommendation text check (recommendation in ('grant', 'deny')),
      recommendation_reason text,
      reviewed_by uuid references app_user (id),
      reviewed_at timestamptz,
      decided_by uuid references app_user (id),
      decision_reason text,
      decided_at timestamptz,
      effects jsonb not null default '[]',
      idempotency_key text unique,
      body_hash text,
      check (decided_by is null or decided_by <> reviewed_by)
    )`.execute(db);
  await sql`create index appeal_open on appeal (status, seq)`.execute(db);
  await sql`create index appeal_subject on appeal (subject_bidx)`.execute(db);
  // A granted appeal asks the lift of every countermeasure on its value.
  await sql`create index countermeasure_value on countermeasure (value)`.execute(db);
  // The sweep's one statement finds the open appeals past their deadline, not yet escalated.
  await sql`create index appeal_due on appeal (due_at) where overdue_at is null and status in ('filed', 'under_review')`.execute(
    db,
  );
}
