import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Protective holds (保护性止付) reach the warned person's own bank as instructions of two new kinds: the hold,
// confirmed `held` (or refused, `failed`), and its early release, confirmed `lifted` (it cannot fail). They
// belong to a warning episode, not to a report or a stop-payment request: those two columns become nullable
// and `episode_id` names the episode; every instruction has either both of the former or the latter. An
// episode has at most one hold and one release, whatever the number of processes approving at once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table bank_instruction
      alter column report_id drop not null,
      alter column stop_payment_id drop not null,
      add column episode_id uuid references episode (id)`.execute(db);
  await sql`alter table bank_instruction drop constraint bank_instruction_kind_check`.execute(db);
  await sql`alter table bank_instruction drop constraint bank_instruction_status_check`.execute(db);
  await sql`
    alter table bank_instruction
      add constraint bank_instruction_kind_check check (kind in (
        'emergency_stop_payment', 'freeze', 'freeze_renewal', 'release', 'return', 'stop_lapsed',
        'protective_hold', 'protective_hold_release')),
      add constraint bank_instruction_status_check check (status in (
        'sent', 'acknowledged', 'stopped', 'frozen', 'renewed', 'released', 'returned', 'lifted', 'held',
        'failed')),
      add constraint bank_instruction_owner check (
        case when kind in ('protective_hold', 'protective_hold_release')
          then episode_id is not null and report_id is null and stop_payment_id is null
          else episode_id is null and report_id is not null and stop_payment_id is not null end),
      add constraint bank_instruction_release_cannot_fail check (
        kind <> 'protective_hold_release' or status <> 'failed')`.execute(db);
  await sql`
    create unique index bank_instruction_by_episode on bank_instruction (episode_id, kind)
    where episode_id is not null`.execute(db);
}
