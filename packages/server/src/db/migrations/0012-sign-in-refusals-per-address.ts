import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Refused sign-ins are gathered per client address, whatever the usernames typed: one address trying many
// usernames is one burst, with how many refusals each username had (the first 20 usernames; refusals under
// the others are counted in `unlisted_count`). Such a burst's row has '' as its `username` key, so that
// the key stays (action, username, address, reason) and processes of the previous version, which write
// one row per username during a rolling upgrade, go on working beside it.
// An address that fails with many different usernames is locked too: sign_in_limit's scope 'usernames'.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sign_in_refusal add column usernames jsonb not null default '{}'::jsonb`.execute(db);
  await sql`alter table sign_in_refusal add column unlisted_count integer not null default 0`.execute(db);
  await sql`alter table sign_in_limit drop constraint sign_in_limit_scope_check`.execute(db);
  await sql`
    alter table sign_in_limit add constraint sign_in_limit_scope_check
      check (scope in ('pair', 'address', 'username', 'usernames'))`.execute(db);
}
