import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Did the warning work? (预警成效) One row per warning episode, kept by the follow-up module: what the
// supervisor's figures count of it (when it opened and closed, how, its sources, the contacts by channel, the
// first call or visit, whether a protective hold was approved) and the two checks against later reports about
// the same person, 7 and 30 days after it closed (null until done). No personal data: the person is looked up
// through the warnings module at each check, never copied here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table episode_follow_up (
      id uuid primary key,
      opened_at timestamptz not null,
      closed_at timestamptz,
      close_reason text,
      grade text not null,
      county_code text,
      warning_count integer not null default 0,
      sources jsonb not null default '[]',
      channel text,
      sms integer not null default 0,
      robot_call integer not null default 0,
      human_call integer not null default 0,
      trusted_contact integer not null default 0,
      carrier_assist integer not null default 0,
      visit integer not null default 0,
      is_held boolean not null default false,
      first_contact_s double precision,
      check_7_at timestamptz,
      check_30_at timestamptz,
      defrauded_7 boolean,
      defrauded_30 boolean,
      next_check_at timestamptz,
      checked_at timestamptz,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index episode_follow_up_opened on episode_follow_up (opened_at)`.execute(db);
  await sql`create index episode_follow_up_closed on episode_follow_up (closed_at)
    where closed_at is not null`.execute(db);
  await sql`create index episode_follow_up_due on episode_follow_up (next_check_at)
    where next_check_at is not null`.execute(db);
}
