import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// The rules on stopped funds are enforced here as well as in the service, so no other writer (a
// script, a second service, a hand-typed statement) can break them.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Emergency stops: the legal clock of each stopped account. stop_seq counts emergency stops of one
  // account in one case (report): the second is a renewal of the first, and there is no third.
  await sql`
    alter table stop_payment
      add column stop_seq smallint not null default 1 check (stop_seq between 1 and 2),
      add column renews_id uuid references stop_payment (id),
      add column stopped_at timestamptz,
      add column expires_at timestamptz,
      add column lapsed_at timestamptz,
      add column renewed_at timestamptz,
      add constraint stop_payment_renewal check ((stop_seq = 1) = (renews_id is null)),
      add constraint stop_payment_expiry check (
        (expires_at is null and stopped_at is null)
        or (stopped_at is not null and expires_at = stopped_at + interval '48 hours')),
      add constraint stop_payment_lapse check (lapsed_at is null or lapsed_at = expires_at)`.execute(db);
  await sql`
    create unique index stop_payment_per_case on stop_payment (report_id, account_number, stop_seq)
    where status <> 'withdrawn'`.execute(db);
  // Supersedes the first-layer index: a renewal is a second row for the same first-layer account.
  await sql`drop index stop_payment_first_layer`.execute(db);
  await sql`
    create index stop_payment_expiring on stop_payment (expires_at)
    where lapsed_at is null and renewed_at is null`.execute(db);

  await sql`
    create table account_freeze (
      id uuid primary key,
      stop_payment_id uuid not null references stop_payment (id),
      report_id uuid not null references report (id),
      decision_number text not null check (length(decision_number) between 4 and 64),
      amount_fen bigint not null check (amount_fen > 0),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      reason text not null check (length(reason) > 0),
      appeal_channel text not null check (length(appeal_channel) > 0),
      status text not null check (status in ('active', 'released', 'returned', 'expired')),
      renewals integer not null default 0 check (renewals >= 0),
      decided_by uuid not null references app_user (id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check (ends_at > starts_at)
    )`.execute(db);
  await sql`create unique index freeze_one_active on account_freeze (stop_payment_id) where status = 'active'`.execute(
    db,
  );
  await sql`create index freeze_by_report on account_freeze (report_id)`.execute(db);
  await sql`create index freeze_ending on account_freeze (ends_at) where status = 'active'`.execute(db);
  // A freeze may not hold more than the money that reached the account.
  await sql`
    create function freeze_within_involved() returns trigger language plpgsql as $$
    begin
      if new.amount_fen > (select amount_fen from stop_payment where id = new.stop_payment_id) then
        raise exception 'freeze of % fen is above the amount involved', new.amount_fen
          using errcode = 'check_violation', constraint = 'freeze_within_involved';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger freeze_within_involved before insert or update of amount_fen, stop_payment_id on account_freeze
    for each row execute function freeze_within_involved()`.execute(db);

  await sql`
    create table freeze_renewal (
      freeze_id uuid not null references account_freeze (id),
      seq integer not null check (seq >= 1),
      decision_number text not null,
      previous_ends_at timestamptz not null,
      ends_at timestamptz not null check (ends_at > previous_ends_at),
      decided_by uuid not null references app_user (id),
      decided_at timestamptz not null,
      primary key (freeze_id, seq)
    )`.execute(db);

  // Release (解冻) and return (资金返还): two different approvers, and a bank's confirmation of returns.
  await sql`
    create table fund_decision (
      id uuid primary key,
      freeze_id uuid not null references account_freeze (id),
      report_id uuid not null references report (id),
      kind text not null check (kind in ('release', 'return')),
      amount_fen bigint not null check (amount_fen > 0),
      victim_account text,
      decision_number text not null check (length(decision_number) between 4 and 64),
      reason text not null check (length(reason) > 0),
      appeal_channel text not null check (length(appeal_channel) > 0),
      status text not null check (status in ('proposed', 'approved', 'rejected', 'confirmed')),
      proposed_by uuid not null references app_user (id),
      proposed_at timestamptz not null,
      decided_by uuid references app_user (id),
      decided_at timestamptz,
      rejection_reason text,
      due_at timestamptz,
      confirmed_at timestamptz,
      confirmed_by text,
      bank_reference text,
      overdue_at timestamptz,
      updated_at timestamptz not null,
      constraint fund_decision_two_approvers check (decided_by is null or decided_by <> proposed_by),
      check ((status = 'proposed') = (decided_by is null)),
      check (status <> 'rejected' or rejection_reason is not null),
      check ((kind = 'return') = (victim_account is not null)),
      check (kind = 'return' or (due_at is null and confirmed_at is null)),
      check (kind <> 'return' or status not in ('approved', 'confirmed') or due_at is not null),
      check ((status = 'confirmed') = (confirmed_at is not null))
    )`.execute(db);
  await sql`
    create unique index fund_decision_one_open on fund_decision (freeze_id)
    where status in ('proposed', 'approved')`.execute(db);
  await sql`create index fund_decision_by_report on fund_decision (report_id)`.execute(db);
  await sql`create index fund_decision_due on fund_decision (due_at) where status = 'approved'`.execute(db);
  await sql`
    create function fund_decision_within_freeze() returns trigger language plpgsql as $$
    begin
      if new.amount_fen > (select amount_fen from account_freeze where id = new.freeze_id) then
        raise exception 'decision of % fen is above the frozen amount', new.amount_fen
          using errcode = 'check_violation', constraint = 'fund_decision_within_freeze';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger fund_decision_within_freeze before insert or update of amount_fen on fund_decision
    for each row execute function fund_decision_within_freeze()`.execute(db);

  // The hand-off to the county of residence (属地推送).
  await sql`alter table report add column owning_county_code text`.execute(db);
  await sql`create index report_by_owning_county on report (owning_county_code, status)`.execute(db);
  await sql`
    create table county_task (
      id uuid primary key,
      report_id uuid not null references report (id),
      county_code text not null check (county_code ~ '^52[0-9]{4}$'),
      status text not null check (status in ('issued', 'accepted', 'contacted', 'answered', 'transferred')),
      issued_at timestamptz not null,
      accept_due_at timestamptz not null,
      due_at timestamptz not null,
      accepted_at timestamptz,
      accepted_by uuid references app_user (id),
      contacted_at timestamptz,
      case_number text,
      answer text,
      answered_at timestamptz,
      answered_by uuid references app_user (id),
      transferred_from_id uuid references county_task (id),
      transfer_reason text,
      transferred_at timestamptz,
      transferred_by uuid references app_user (id),
      overdue_at timestamptz,
      updated_at timestamptz not null,
      check (accept_due_at > issued_at and due_at >= accept_due_at),
      check (status = 'issued' or status = 'transferred' or accepted_at is not null),
      check (status <> 'answered' or (answer is not null and answered_at is not null and contacted_at is not null)),
      check (status <> 'transferred' or (transfer_reason is not null and transferred_at is not null))
    )`.execute(db);
  await sql`
    create unique index county_task_one_live on county_task (report_id)
    where status in ('issued', 'accepted', 'contacted')`.execute(db);
  await sql`create index county_task_queue on county_task (county_code, status, issued_at)`.execute(db);
  await sql`
    create index county_task_due on county_task (accept_due_at, due_at)
    where status in ('issued', 'accepted', 'contacted') and overdue_at is null`.execute(db);

  // Reminders and escalations (督办): raised once per object and threshold, acknowledged by a person.
  await sql`
    create table alert (
      id uuid primary key,
      kind text not null check (kind in (
        'stop_lapsing', 'stop_lapsed', 'freeze_ending', 'freeze_expired', 'return_overdue', 'task_overdue')),
      threshold text not null,
      level text not null check (level in ('reminder', 'escalation')),
      object_type text not null,
      object_id uuid not null,
      report_id uuid not null references report (id),
      county_code text,
      message text not null,
      due_at timestamptz,
      raised_at timestamptz not null,
      acknowledged_at timestamptz,
      acknowledged_by uuid references app_user (id),
      unique (kind, object_id, threshold)
    )`.execute(db);
  await sql`create index alert_open on alert (raised_at) where acknowledged_at is null`.execute(db);

  // Retention of consumers' markers deletes by age.
  await sql`create index processed_event_age on processed_event (processed_at)`.execute(db);
}
