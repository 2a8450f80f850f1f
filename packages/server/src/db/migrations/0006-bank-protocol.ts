import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// The bank protocol: every measure a bank must carry out (emergency stop, freeze, renewal, release, return,
// lapse notice) is a signed instruction in the bank's queue, and the centre's record of a freeze, renewal,
// release or return moves only on the bank's confirmation.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Each bank's change feed: every change to one of its instructions takes the next number under this row's
  // lock, held to commit, so numbers become visible in order and a poller resuming `after` a number misses
  // nothing.
  await sql`
    create table bank_feed (
      bank_code text primary key,
      last_seq bigint not null check (last_seq >= 0)
    )`.execute(db);

  await sql`
    create table bank_instruction (
      id uuid primary key,
      kind text not null check (kind in (
        'emergency_stop_payment', 'freeze', 'freeze_renewal', 'release', 'return', 'stop_lapsed')),
      bank_code text not null,
      seq bigint not null check (seq > 0),
      report_id uuid not null references report (id),
      stop_payment_id uuid not null references stop_payment (id),
      payload jsonb not null,
      signature text not null,
      key_id text not null,
      status text not null check (status in (
        'sent', 'acknowledged', 'stopped', 'frozen', 'renewed', 'released', 'returned', 'lifted', 'failed')),
      issued_at timestamptz not null,
      acknowledged_at timestamptz,
      deadline_at timestamptz,
      amount_fen bigint check (amount_fen >= 0),
      executed_at timestamptz,
      bank_reference text,
      failure_reason text,
      note text,
      answered_at timestamptz,
      answered_by text,
      answer_key text,
      answer_hash text,
      updated_at timestamptz not null,
      unique (bank_code, seq),
      check ((status in ('sent', 'acknowledged')) = (answered_at is null)),
      check ((status in ('sent', 'acknowledged')) = (answer_hash is null)),
      check (status <> 'failed' or failure_reason is not null),
      check (kind <> 'stop_lapsed' or status <> 'failed')
    )`.execute(db);
  await sql`create index bank_instruction_changed on bank_instruction (bank_code, updated_at)`.execute(db);
  // What a bank's console and system poll most: the open instructions, in feed order.
  await sql`
    create index bank_instruction_open on bank_instruction (bank_code, seq)
    where status in ('sent', 'acknowledged')`.execute(db);
  await sql`create index bank_instruction_by_stop on bank_instruction (stop_payment_id)`.execute(db);

  // The emergency stops already sent become the first entries of their banks' feeds, exactly as signed.
  await sql`
    insert into bank_instruction (
      id, kind, bank_code, seq, report_id, stop_payment_id, payload, signature, key_id, status, issued_at,
      acknowledged_at, deadline_at, amount_fen, executed_at, failure_reason, note, answered_at, answered_by,
      answer_key, answer_hash, updated_at)
    select s.id, 'emergency_stop_payment', s.bank_code,
      row_number() over (partition by s.bank_code order by s.sent_at, s.id),
      s.report_id, s.id, s.instruction, s.signature, s.key_id, s.status, s.sent_at,
      s.acknowledged_at, s.expires_at, s.stopped_fen, s.stopped_at, s.failure_reason, s.note, s.answered_at,
      s.answered_by, s.answer_key, coalesce(s.answer_hash, case when s.answered_at is not null then 'legacy' end),
      s.updated_at
    from stop_payment s
    where s.instruction is not null and s.signature is not null and s.status <> 'withdrawn'`.execute(db);
  await sql`
    insert into bank_feed (bank_code, last_seq)
    select bank_code, max(seq) from bank_instruction group by bank_code`.execute(db);

  // Freezes: requested until the bank confirms (then active), or failed.
  await sql`alter table account_freeze drop constraint account_freeze_status_check`.execute(db);
  await sql`
    alter table account_freeze
      add constraint account_freeze_status_check
        check (status in ('requested', 'active', 'released', 'returned', 'expired', 'failed')),
      add column requested_fen bigint check (requested_fen > 0),
      add column confirmed_at timestamptz,
      add column failure_reason text`.execute(db);
  await sql`update account_freeze set requested_fen = amount_fen, confirmed_at = created_at`.execute(db);
  await sql`
    alter table account_freeze
      alter column requested_fen set not null,
      add constraint freeze_within_requested check (amount_fen <= requested_fen),
      add constraint freeze_confirmed check (status in ('requested', 'failed') or confirmed_at is not null),
      add constraint freeze_failure check ((status = 'failed') = (failure_reason is not null))`.execute(db);
  await sql`drop index freeze_one_active`.execute(db);
  await sql`
    create unique index freeze_one_live on account_freeze (stop_payment_id)
    where status in ('requested', 'active')`.execute(db);

  // Renewals: the end moves when the bank confirms.
  await sql`
    alter table freeze_renewal
      add column status text not null default 'confirmed'
        check (status in ('requested', 'confirmed', 'failed')),
      add column instruction_id uuid`.execute(db);
  await sql`alter table freeze_renewal alter column status drop default`.execute(db);

  // Releases and returns: confirmed by the bank for what it actually did, or failed; several may run on one
  // freeze while their amounts fit in what is frozen.
  await sql`alter table fund_decision drop constraint fund_decision_status_check`.execute(db);
  // The unnamed table checks are found by their text, so this does not depend on generated names.
  await sql`
    do $$
    declare c record;
    begin
      for c in select conname from pg_constraint
        where conrelid = 'fund_decision'::regclass and contype = 'c'
          and pg_get_constraintdef(oid) like '%due_at IS NULL%confirmed_at IS NULL%'
      loop
        execute format('alter table fund_decision drop constraint %I', c.conname);
      end loop;
    end $$`.execute(db);
  await sql`
    alter table fund_decision
      add column payee_name text,
      add column payee_bank_code text,
      add column executed_fen bigint check (executed_fen >= 0 and executed_fen <= amount_fen),
      add column failure_reason text`.execute(db);
  await sql`update fund_decision set executed_fen = amount_fen where status = 'confirmed'`.execute(db);
  await sql`
    alter table fund_decision
      add constraint fund_decision_status_check
        check (status in ('proposed', 'approved', 'rejected', 'confirmed', 'failed')),
      add constraint fund_decision_due check (kind = 'return' or due_at is null),
      add constraint fund_decision_failure check ((status = 'failed') = (failure_reason is not null)),
      add constraint fund_decision_executed check ((status = 'confirmed') = (executed_fen is not null))`.execute(
    db,
  );
  await sql`drop index fund_decision_one_open`.execute(db);
  await sql`create index fund_decision_by_freeze on fund_decision (freeze_id)`.execute(db);
  // Open decisions together may not hold more than is frozen.
  await sql`
    create or replace function fund_decision_within_freeze() returns trigger language plpgsql as $$
    begin
      if new.status in ('proposed', 'approved') and
        new.amount_fen + coalesce((select sum(amount_fen) from fund_decision
          where freeze_id = new.freeze_id and id <> new.id and status in ('proposed', 'approved')), 0)
        > (select amount_fen from account_freeze where id = new.freeze_id) then
        raise exception 'open decisions would hold more than the frozen amount'
          using errcode = 'check_violation', constraint = 'fund_decision_within_freeze';
      end if;
      return new;
    end $$`.execute(db);
  await sql`drop trigger fund_decision_within_freeze on fund_decision`.execute(db);
  await sql`
    create trigger fund_decision_within_freeze before insert or update of amount_fen, status on fund_decision
    for each row execute function fund_decision_within_freeze()`.execute(db);
}
