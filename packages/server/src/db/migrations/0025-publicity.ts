import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Publicity (宣传): the victim's age band on each report (from the ID number's birth date at intake; the band,
// never the date; null until computed — older reports are banded by a start-up backfill), the publicity
// module's weekly rollup (weeks named by their Monday in China, `YYYY-MM-DD` text) (county × fraud type × age band × week → reports, losses) with one narrow row per
// counted report (so a change applies as new − counted), and campaigns: tasks for a county's police.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table report add column victim_age_band text`.execute(db);
  await sql`create index report_age_band_pending on report (id) where victim_age_band is null`.execute(db);
  await sql`
    create table publicity_week (
      week text not null,
      county_code text not null,
      fraud_type text not null,
      age_band text not null,
      reports integer not null default 0,
      loss_fen bigint not null default 0,
      primary key (week, county_code, fraud_type, age_band)
    )`.execute(db);
  await sql`create index publicity_week_county on publicity_week (county_code, week)`.execute(db);
  await sql`
    create table publicity_report (
      report_id uuid primary key,
      week text not null,
      county_code text not null,
      fraud_type text not null,
      age_band text not null,
      loss_fen bigint not null
    )`.execute(db);
  await sql`
    create table publicity_campaign (
      id uuid primary key,
      idempotency_key text not null unique,
      county_code text not null,
      fraud_type text,
      age_band text,
      target_text text,
      channel text not null,
      planned_on text not null,
      due_at timestamptz not null,
      status text not null,
      brief_week text,
      brief_reports integer,
      brief_baseline double precision,
      reach integer,
      note text,
      cancel_reason text,
      created_by uuid not null,
      created_at timestamptz not null,
      accepted_by uuid,
      accepted_at timestamptz,
      done_by uuid,
      done_at timestamptz,
      cancelled_by uuid,
      cancelled_at timestamptz,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index publicity_campaign_county on publicity_campaign (county_code, planned_on)`.execute(
    db,
  );
  await sql`create index publicity_campaign_planned on publicity_campaign (planned_on)`.execute(db);
}
