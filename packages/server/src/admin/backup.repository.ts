import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema';

/** What a backup's manifest records and a restore checks: read in one go, nothing written. */
export interface DatabaseFacts {
  /** The last schema migration applied; null before any. */
  migration: string | null;
  auditHead: { seq: number; hash: string } | null;
  counts: { reports: number; stopPaymentRequests: number; auditEntries: number };
}

export async function readFacts(db: Kysely<DB>): Promise<DatabaseFacts> {
  return db.transaction().execute(async (trx) => {
    const migration = await sql<{ name: string }>`
      select name from schema_migration order by name desc limit 1`.execute(trx);
    const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirst();
    const counts = await sql<{ reports: number; stop_payments: number; audit_entries: number }>`
      select (select count(*) from report)::int as reports,
             (select count(*) from stop_payment)::int as stop_payments,
             (select count(*) from audit_entry)::int as audit_entries`.execute(trx);
    const c = counts.rows[0]!;
    return {
      migration: migration.rows[0]?.name ?? null,
      auditHead: head ? { seq: Number(head.seq), hash: head.hash } : null,
      counts: { reports: c.reports, stopPaymentRequests: c.stop_payments, auditEntries: c.audit_entries },
    };
  });
}

/** Writes every changed page to the data files, so that the copy taken next needs no WAL replay. */
export async function checkpoint(db: Kysely<DB>): Promise<void> {
  await sql`checkpoint`.execute(db);
}
