import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// What the wall's rollups last counted of each warning episode: the warnings listed in it (预警) and whether
// it closed persuaded (劝阻), with the version of the episode's event that said so. A change is applied as
// (new − counted), so a redelivered or reordered event changes nothing twice. No personal data.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table wall_episode (
      id uuid primary key,
      warning_count integer not null default 0,
      is_persuaded boolean not null default false,
      version integer not null default 0
    )`.execute(db);
}
