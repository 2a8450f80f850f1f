import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
//
// The persuasion ladder's hand-offs to other parties.
// 1. Carrier assist (运营商协助): one request per carrier-assist contact to the person's operator — interrupt
//    the line, clear call forwarding — with the operator's answer. The phone is not copied: it is read,
//    sealed, from the episode. Owned by the warnings module.
// 2. Already paid: the intake draft a warning episode opened, linked both ways — the report names the episode
//    it came from (at most one report per episode), the episode the report.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table carrier_request (
      id uuid primary key,
      episode_id uuid not null references episode (id),
      contact_id uuid not null unique references episode_contact (id),
      operator_code text not null check (operator_code in ('china_mobile', 'china_unicom', 'china_telecom',
        'china_broadnet')),
      status text not null check (status in ('open', 'answered')),
      answer text check (answer in ('interrupted', 'forwarding_cleared', 'refused', 'not_our_subscriber')),
      reason text check (length(reason) <= 500),
      answered_by text,
      answered_at timestamptz,
      created_at timestamptz not null,
      seq bigint generated always as identity,
      check ((status = 'answered') = (answer is not null)),
      check (answer <> 'refused' or reason is not null)
    )`.execute(db);
  // The liaison's queue: one operator's open requests, oldest first; answered ones newest first.
  await sql`create index carrier_request_queue on carrier_request (operator_code, status, seq)`.execute(db);
  await sql`create index carrier_request_episode on carrier_request (episode_id)`.execute(db);

  // A draft opened from an episode waits in every call-taker's intake queue (`in_intake_queue`) until one
  // takes it up.
  await sql`alter table report add column from_episode_id uuid references episode (id),
    add column in_intake_queue boolean not null default false`.execute(db);
  await sql`create unique index report_from_episode on report (from_episode_id)
    where from_episode_id is not null`.execute(db);
  // Call-takers' intake queue: the drafts opened from episodes, not yet taken up.
  await sql`create index report_intake_queue on report (updated_at) where in_intake_queue`.execute(db);
  await sql`alter table episode add column intake_report_id uuid`.execute(db);
}
