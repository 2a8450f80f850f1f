import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// The sweep sent an episode's pending SMS and robot calls even after the episode had closed (cleared as
// `not_fraud` or `duplicate`, persuaded, already paid, its hold ended): the person was warned of fraud after
// the centre had closed the matter. From now on a close withdraws them (`withdrawn`, never sent, with the
// close's reason in `failure`) and the sweep never sends a contact of a closed episode. This withdraws the
// contacts older code left pending on episodes already closed. They were never counted by the follow-up
// (it counts `sent` and `assigned`), so nothing there changes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table episode_contact drop constraint episode_contact_status_check`.execute(db);
  await sql`
    alter table episode_contact add constraint episode_contact_status_check
      check (status in ('pending', 'sent', 'failed', 'assigned', 'withdrawn'))
  `.execute(db);
  await sql`
    update episode_contact c
      set status = 'withdrawn',
        failure = 'episode closed (' || coalesce(e.close_reason, 'closed') || ') before it was sent'
    from episode e
    where e.id = c.episode_id and e.closed_at is not null and c.status = 'pending'
  `.execute(db);
}
