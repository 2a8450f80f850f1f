import type { CallbackKind, CallbackOutcome, CallbackStatus } from '@fanzha/domain';
import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './schema.columns';

// Callbacks (回访): owned by `modules/callbacks`.

export interface CallbackTable {
  id: string;
  kind: CallbackKind;
  source_id: string;
  report_id: string | null;
  report_number: string | null;
  episode_id: string | null;
  county_code: string | null;
  /** Sealed (field cipher). */
  person_name: string | null;
  /** Sealed (field cipher). */
  person_phone: string | null;
  status: ColumnType<CallbackStatus, CallbackStatus | undefined, CallbackStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  due_at: NullableTimestamp;
  satisfaction: number | null;
  has_complaint: ColumnType<boolean, boolean | undefined, boolean>;
  source_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: NullableTimestamp;
}

export interface CallbackAttemptTable {
  callback_id: string;
  n: number;
  outcome: CallbackOutcome;
  satisfaction: number | null;
  /** Sealed (field cipher). */
  complaint: string | null;
  /** Sealed (field cipher). */
  note: string | null;
  by_user_id: string;
  by_username: string;
  idempotency_key: string | null;
  at: Timestamp;
}

export interface CallbackSettingsTable {
  id: Generated<boolean>;
  delay_report_closed_min: number;
  delay_money_returned_min: number;
  delay_persuaded_min: number;
  retry_min: number;
  max_attempts: number;
  updated_by: string | null;
  updated_at: NullableTimestamp;
}
