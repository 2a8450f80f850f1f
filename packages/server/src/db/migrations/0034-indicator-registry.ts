import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// The indicator registry, whole: a risk score that decays and rises when an indicator is seen again, the
// analysts' and operators' decisions with their history, and merges (see docs/warnings.md, *Indicators*).
export async function up(db: Kysely<unknown>): Promise<void> {
  // The score as last computed (its value at `scored_at`, the latest source's time); `regrade_at`: when the
  // level read off it next drops, which the regrading sweep waits for (null: low, nothing to drop to).
  // `decided_at`: an analyst last decided its status (the over-shared guard no longer moves it).
  // `merged_into`: a merged indicator names the one its sources went to.
  await sql`
    alter table indicator
      add column risk_score double precision not null default 0,
      add column scored_at timestamptz,
      add column regrade_at timestamptz,
      add column decided_at timestamptz,
      add column merged_into bigint references indicator (id)`.execute(db);
  await sql`alter table indicator drop constraint indicator_status_check`.execute(db);
  await sql`
    alter table indicator add constraint indicator_status_check
      check (status in ('active', 'shared', 'suspended', 'not_fraud', 'merged'))`.execute(db);
  await sql`insert into indicator_tally (status) values ('merged')`.execute(db);
  // The sweep's queue: only indicators whose level will drop are in it, earliest first.
  await sql`
    create index indicator_regrade on indicator (regrade_at, id) where regrade_at is not null`.execute(db);
  // Indicators already counted: the score of their sources undecayed, graded by the first sweep.
  await sql`
    update indicator set
      risk_score = 12 * (report_count + answer_count),
      scored_at = last_seen_at,
      regrade_at = case when report_count + answer_count > 0 then last_seen_at end`.execute(db);

  // Each decision on an indicator, its history: who (a person, or an operator's system), why, from and to.
  await sql`
    create table indicator_decision (
      id uuid primary key,
      indicator_id bigint not null references indicator (id),
      action text not null
        check (action in ('not_fraud', 'share', 'unshare', 'reinstate', 'reassigned', 'merge')),
      from_status text not null,
      to_status text not null,
      reason text not null,
      -- A merge: the other indicator (on the merged one, where it went; on the survivor, what came in).
      other_indicator_id bigint references indicator (id),
      actor_user_id uuid,
      actor_name text not null,
      -- An operator's report of a reassigned number: the operator (china_mobile …).
      operator_code text,
      decided_at timestamptz not null
    )`.execute(db);
  await sql`
    create index indicator_decision_history on indicator_decision (indicator_id, decided_at desc)`.execute(
    db,
  );
}
