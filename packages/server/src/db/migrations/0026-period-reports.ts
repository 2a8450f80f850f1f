import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Period reports (日报/周报/月报): each generated report with its period, scope, origin, the figures it
// showed and the two files as sent, so a download is always the same bytes. One scheduled report per
// kind, period and scope; reports on demand as many as asked.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table period_report (
      id uuid primary key,
      kind text not null check (kind in ('daily', 'weekly', 'monthly')),
      period_from date not null,
      period_to date not null,
      county_code text,
      origin text not null check (origin in ('schedule', 'demand')),
      figures jsonb not null,
      xlsx bytea not null,
      pdf bytea not null,
      created_at timestamptz not null,
      created_by text
    )`.execute(db);
  await sql`create index period_report_recent on period_report (created_at desc)`.execute(db);
  await sql`
    create unique index period_report_scheduled on period_report (kind, period_from, coalesce(county_code, ''))
    where origin = 'schedule'`.execute(db);
  // The hand-offs issued in a period, for the county league (read through the county-tasks module).
  await sql`create index county_task_issued on county_task (issued_at)`.execute(db);
}
