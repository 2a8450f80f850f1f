import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// A device (its IMEI) becomes an indicator kind: reports that name a fraudster's handset are linked by it and
// the registry keeps it like a phone or an account.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table indicator drop constraint indicator_kind_check`.execute(db);
  await sql`
    alter table indicator add constraint indicator_kind_check
      check (kind in ('phone', 'domain', 'app', 'social', 'account', 'device'))`.execute(db);
}
