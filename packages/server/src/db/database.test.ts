import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrate } from './database';
import type { DB } from './schema';
import { describeEachStorage, freshDatabase, isPostgresAvailable } from './test-databases';

// The hand-written table types must name real columns: listed here against the types, checked against
// the migrated database below.
const columns = {
  outbox: ['id', 'event_id', 'subject', 'envelope', 'created_at', 'published_at', 'attempts', 'last_error'],
  processed_event: ['consumer', 'event_id', 'processed_at'],
  app_user: [
    'id',
    'username',
    'display_name',
    'role',
    'bank_code',
    'operator_code',
    'county_code',
    'password_hash',
    'totp_secret_enc',
    'totp_pending_enc',
    'totp_last_step',
    'is_disabled',
    'is_demo',
    'created_at',
    'last_sign_in_at',
  ],
  sign_in_throttle: ['username', 'failures', 'window_started_at', 'locked_until'],
  auth_challenge: ['id_hash', 'user_id', 'kind', 'created_at', 'expires_at', 'attempts', 'used_at'],
  session: [
    'id_hash',
    'user_id',
    'created_at',
    'last_seen_at',
    'idle_expires_at',
    'expires_at',
    'revoked_at',
    'client_ip',
    'user_agent',
  ],
  audit_entry: [
    'id',
    'seq',
    'at',
    'user_id',
    'username',
    'role',
    'action',
    'object_type',
    'object_id',
    'result',
    'request_id',
    'details',
    'prev_hash',
    'hash',
  ],
  audit_head: ['id', 'seq', 'hash'],
  report: [
    'id',
    'number',
    'version',
    'status',
    'created_by',
    'call_answered_at',
    'victim_name',
    'victim_id_number',
    'victim_phone',
    'victim_county_code',
    'victim_address',
    'narrative',
    'fraud_type',
    'contacts',
    'total_loss_fen',
    'first_account_pushed_at',
    'first_instruction_sent_at',
    'first_stop_result_at',
    'submitted_at',
    'created_at',
    'updated_at',
  ],
  report_transfer: [
    'report_id',
    'key',
    'position',
    'transferred_at',
    'amount_fen',
    'victim_account',
    'to_number',
    'to_name',
    'to_bank_code',
  ],
  stop_payment: [
    'id',
    'report_id',
    'parent_id',
    'layer',
    'account_number',
    'account_name',
    'bank_code',
    'amount_fen',
    'transferred_at',
    'status',
    'legal_doc_number',
    'instruction',
    'signature',
    'key_id',
    'created_at',
    'sent_at',
    'sent_by',
    'acknowledged_at',
    'outcome',
    'stopped_fen',
    'balance_fen',
    'failure_reason',
    'note',
    'answered_at',
    'answered_by',
    'answer_key',
    'answer_hash',
    'updated_at',
  ],
  onward_transfer: [
    'stop_payment_id',
    'position',
    'account_number',
    'account_name',
    'bank_code',
    'amount_fen',
    'transferred_at',
    'child_id',
  ],
  api_key: [
    'id',
    'key_hash',
    'name',
    'bank_code',
    'public_key_pem',
    'webhook_url',
    'created_at',
    'created_by',
    'revoked_at',
  ],
} satisfies { [T in keyof DB]: Array<keyof DB[T]> };

describeEachStorage('database', (database) => {
  it('has exactly the columns the types describe', async () => {
    const { db } = database();
    for (const [table, expected] of Object.entries(columns)) {
      const rows = await sql<{ column_name: string }>`
        select column_name from information_schema.columns
        where table_schema = current_schema() and table_name = ${table}`.execute(db);
      expect(rows.rows.map((r) => r.column_name).sort(), table).toEqual([...expected].sort());
    }
  });

  it('migrates again without change', async () => {
    const { db } = database();
    const again = await migrate(db);
    expect(again.results).toEqual([]);
  });

  it('returns int8 values as numbers on both engines', async () => {
    const { db } = database();
    const row = await sql<{ n: number }>`select 9007199254740991::int8 as n`.execute(db);
    expect(row.rows[0]?.n).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe.skipIf(!isPostgresAvailable)('migrations on PostgreSQL', () => {
  it('are safe when several processes start at once', async () => {
    const database = await freshDatabase('postgres', { migrated: false });
    try {
      const results = await Promise.all([migrate(database.db), migrate(database.db), migrate(database.db)]);
      const applied = results.flatMap((r) => r.results ?? []).filter((r) => r.status === 'Success');
      expect(applied.map((r) => r.migrationName)).toEqual([
        '0001-platform',
        '0002-identity-audit',
        '0003-core-loop',
      ]);
    } finally {
      await database.close();
    }
  });
});
