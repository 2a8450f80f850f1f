import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// An item's deadline (`bank_instruction.deadline_at`, not part of the signed instruction) was set when the
// instruction was sent and kept when no deadline ran any more: a failed freeze, a stop held or replaced by its
// freeze or by a second stop, a lapsed stop, a measure done, a hold refused or lifted early; a renewal showed
// its new end instead of the freeze's current one. From now on it is kept to the deadline now running; this
// sets what the earlier rows show to that, by the same rule written in SQL as it stands today, and moves each
// item changed to the end of its bank's feed (numbered by the next sweep), so a bank polling on reads it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    with running as (
      select b.id, case b.kind
        when 'emergency_stop_payment' then (
          select s.expires_at from stop_payment s
          where s.id = b.id and b.status = 'stopped' and s.lapsed_at is null and s.renewed_at is null
            and not exists (
              select 1 from account_freeze f
              where f.report_id = s.report_id and f.stop_payment_id = s.id and f.status <> 'failed'))
        when 'freeze' then (
          select f.ends_at from account_freeze f
          where f.id = b.id and b.status <> 'failed' and f.status in ('requested', 'active'))
        when 'freeze_renewal' then (
          select f.ends_at from freeze_renewal r join account_freeze f on f.id = r.freeze_id
          where r.instruction_id = b.id and b.status in ('sent', 'acknowledged')
            and f.status in ('requested', 'active'))
        when 'return' then (
          select d.due_at from fund_decision d where d.id = b.id and b.status in ('sent', 'acknowledged'))
        -- A hold's deadline was its end, as signed, and never changed.
        when 'protective_hold' then case
          when b.status <> 'failed' and not exists (
            select 1 from bank_instruction l
            where l.episode_id = b.episode_id and l.kind = 'protective_hold_release' and l.status = 'lifted')
          then b.deadline_at end
        end as deadline_at
      from bank_instruction b
      where b.deadline_at is not null or b.kind in ('emergency_stop_payment', 'freeze', 'freeze_renewal', 'return'))
    update bank_instruction b set deadline_at = r.deadline_at, pending = true, updated_at = now()
    from running r
    where r.id = b.id and r.deadline_at is distinct from b.deadline_at`.execute(db);
}
