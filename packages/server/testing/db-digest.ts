import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema';

/**
 * A fingerprint of everything a request could change, to prove that a refused request changed nothing.
 * Rows are hashed whole, except where the platform itself moves them on every request or by itself:
 * sessions (their last use), the outbox (marked once published) and the audit trail, of which only the
 * successes count (a refused change is audited as a failure, by design).
 */
const hashed = [
  'app_user',
  'sign_in_throttle',
  'auth_challenge',
  'report',
  'report_transfer',
  'stop_payment',
  'onward_transfer',
  'api_key',
  'signal_key',
  'account_freeze',
  'freeze_renewal',
  'fund_decision',
  'county_task',
  'alert',
  'processed_event',
] as const satisfies ReadonlyArray<keyof DB>;

export async function digestOf(db: Kysely<DB>): Promise<Record<string, string>> {
  const digest: Record<string, string> = {};
  for (const table of hashed) {
    const { rows } = await sql<{ n: number; h: string | null }>`
      select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as h
      from ${sql.table(table)} t`.execute(db);
    digest[table] = `${rows[0]?.n} ${rows[0]?.h ?? ''}`;
  }
  const counts = await sql<{ sessions: number; events: number; audited: number }>`
    select (select count(*)::int from session) as sessions,
           (select count(*)::int from outbox) as events,
           (select count(*)::int from audit_entry where result = 'success') as audited`.execute(db);
  const c = counts.rows[0]!;
  digest.session = String(c.sessions);
  digest.outbox = String(c.events);
  digest.audit_success = String(c.audited);
  return digest;
}
