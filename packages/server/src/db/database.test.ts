import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrate } from './database';
import { migrations } from './migrations/index';
import type { DB } from './schema';
import { describeEachStorage, freshDatabase, isPostgresAvailable } from '../../testing/test-databases';

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
    'must_change_password',
    'created_at',
    'last_sign_in_at',
  ],
  sign_in_throttle: ['username', 'failures', 'window_started_at', 'locked_until'],
  sign_in_limit: ['scope', 'key', 'failures', 'window_started_at', 'locked_until'],
  sign_in_refusal: [
    'action',
    'username',
    'address',
    'reason',
    'result',
    'user_id',
    'role',
    'client_address',
    'first_at',
    'last_at',
    'count',
    'usernames',
    'unlisted_count',
  ],
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
    'client_address',
    'hash_alg',
  ],
  audit_head: ['id', 'seq', 'hash'],
  audit_checkpoint: ['seq', 'entry_id', 'head_hash', 'entry_count', 'at', 'algorithm', 'key_id', 'signature'],
  audit_checkpoint_key: ['key_id', 'algorithm', 'public_key_pem', 'first_used_at'],
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
    'owning_county_code',
    'victim_id_number_bidx',
    'victim_phone_bidx',
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
    'signature_alg',
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
    'stop_seq',
    'renews_id',
    'stopped_at',
    'expires_at',
    'lapsed_at',
    'renewed_at',
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
  account_freeze: [
    'id',
    'stop_payment_id',
    'report_id',
    'decision_number',
    'amount_fen',
    'starts_at',
    'ends_at',
    'reason',
    'appeal_channel',
    'status',
    'renewals',
    'decided_by',
    'created_at',
    'updated_at',
    'requested_fen',
    'confirmed_at',
    'failure_reason',
  ],
  freeze_renewal: [
    'freeze_id',
    'seq',
    'decision_number',
    'previous_ends_at',
    'ends_at',
    'decided_by',
    'decided_at',
    'status',
    'instruction_id',
  ],
  fund_decision: [
    'id',
    'freeze_id',
    'report_id',
    'kind',
    'amount_fen',
    'victim_account',
    'decision_number',
    'reason',
    'appeal_channel',
    'status',
    'proposed_by',
    'proposed_at',
    'decided_by',
    'decided_at',
    'rejection_reason',
    'due_at',
    'confirmed_at',
    'confirmed_by',
    'bank_reference',
    'overdue_at',
    'updated_at',
    'payee_name',
    'payee_bank_code',
    'executed_fen',
    'failure_reason',
  ],
  county_task: [
    'id',
    'report_id',
    'county_code',
    'status',
    'issued_at',
    'accept_due_at',
    'due_at',
    'accepted_at',
    'accepted_by',
    'contacted_at',
    'case_number',
    'answer',
    'answered_at',
    'answered_by',
    'transferred_from_id',
    'transfer_reason',
    'transferred_at',
    'transferred_by',
    'overdue_at',
    'updated_at',
  ],
  alert: [
    'id',
    'kind',
    'threshold',
    'level',
    'object_type',
    'object_id',
    'report_id',
    'county_code',
    'message',
    'due_at',
    'raised_at',
    'acknowledged_at',
    'acknowledged_by',
  ],
  bank_feed: ['bank_code', 'last_seq'],
  bank_instruction: [
    'id',
    'kind',
    'bank_code',
    'seq',
    'report_id',
    'stop_payment_id',
    'payload',
    'signature',
    'key_id',
    'signature_alg',
    'status',
    'issued_at',
    'acknowledged_at',
    'deadline_at',
    'amount_fen',
    'executed_at',
    'bank_reference',
    'failure_reason',
    'note',
    'answered_at',
    'answered_by',
    'answer_key',
    'answer_hash',
    'updated_at',
    'pending',
  ],
  data_key: ['version', 'cipher', 'wrapped', 'created_at', 'retired_at'],
  wall_hour: ['hour', 'metric', 'n', 'fen'],
  wall_day: ['day', 'metric', 'key', 'n', 'fen'],
  wall_report: [
    'report_id',
    'answered_at',
    'is_received',
    'county_code',
    'fraud_type',
    'loss_fen',
    'to_stop_s',
    'stopped_fen',
    'frozen_fen',
    'returned_fen',
  ],
  wall_stop: [
    'id',
    'report_id',
    'bank_code',
    'layer',
    'is_stopped',
    'answered_at',
    'response_s',
    'stopped_fen',
    'frozen_fen',
    'returned_fen',
    'is_in_force',
    'expires_at',
    'event_at',
  ],
  wall_task: ['id', 'county_code', 'is_open', 'is_overdue', 'due_at', 'event_at'],
  wall_ticker: [
    'id',
    'at',
    'kind',
    'county_code',
    'fraud_type',
    'loss_fen',
    'stopped_fen',
    'frozen_fen',
    'returned_fen',
    'text',
  ],
  indicator: [
    'id',
    'kind',
    'value',
    'status',
    'risk_level',
    'report_count',
    'answer_count',
    'loss_fen',
    'first_seen_at',
    'last_seen_at',
    'last_reported_at',
    'hit_count',
    'created_at',
    'updated_at',
  ],
  indicator_source: [
    'indicator_id',
    'source_kind',
    'source_id',
    'report_id',
    'report_number',
    'loss_fen',
    'seen_at',
  ],
  indicator_tally: ['status', 'n'],
  signal_dead_letter: [
    'id',
    'received_at',
    'via',
    'kind',
    'source',
    'signal_id',
    'problems',
    'excerpt',
    'dedupe_key',
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
      // Each applied exactly once across the three racing processes.
      expect(applied.map((r) => r.migrationName)).toEqual(Object.keys(migrations));
    } finally {
      await database.close();
    }
  });
});

describe.skipIf(!isPostgresAvailable)('the PostgreSQL pool', () => {
  it('survives the server ending an idle connection, and the next query gets a new one', async () => {
    const database = await freshDatabase('postgres');
    try {
      const pid = async () =>
        (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!.pid;
      const first = await pid();
      const killer = await freshDatabase('postgres', { migrated: false });
      await sql`select pg_terminate_backend(${first})`.execute(killer.db);
      await killer.close();
      await new Promise((r) => setTimeout(r, 200));
      expect(await pid()).not.toBe(first);
    } finally {
      await database.close();
    }
  });
});
