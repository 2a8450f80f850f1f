import type {
  BankInstructionKind,
  BankInstructionStatus,
  FreezeStatus,
  FundDecisionStatus,
} from '@fanzha/domain';
import type { ColumnType, Generated } from 'kysely';

/**
 * The database's types, one interface per table (tables singular, snake_case). Written by hand beside
 * the migrations; `schema.test.ts` checks that every column named here exists in the migrated database.
 */
export interface DB {
  outbox: OutboxTable;
  processed_event: ProcessedEventTable;
  app_user: AppUserTable;
  sign_in_throttle: SignInThrottleTable;
  sign_in_limit: SignInLimitTable;
  sign_in_refusal: SignInRefusalTable;
  auth_challenge: AuthChallengeTable;
  session: SessionTable;
  audit_entry: AuditEntryTable;
  audit_head: AuditHeadTable;
  report: ReportTable;
  report_transfer: ReportTransferTable;
  stop_payment: StopPaymentTable;
  onward_transfer: OnwardTransferTable;
  api_key: ApiKeyTable;
  account_freeze: FreezeTable;
  freeze_renewal: FreezeRenewalTable;
  fund_decision: FundDecisionTable;
  bank_feed: BankFeedTable;
  bank_instruction: BankInstructionTable;
  county_task: CountyTaskTable;
  alert: AlertTable;
  wall_hour: WallHourTable;
  wall_day: WallDayTable;
  wall_report: WallReportTable;
  wall_stop: WallStopTable;
  wall_task: WallTaskTable;
  wall_ticker: WallTickerTable;
}

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface OutboxTable {
  id: Generated<number>;
  event_id: string;
  subject: string;
  /** The whole event envelope, as JSON text on the way in. */
  envelope: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
}

export interface ProcessedEventTable {
  consumer: string;
  event_id: string;
  processed_at: Timestamp;
}

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface AppUserTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  bank_code: string | null;
  operator_code: string | null;
  county_code: string | null;
  password_hash: string;
  totp_secret_enc: string | null;
  totp_pending_enc: string | null;
  totp_last_step: ColumnType<number, number | undefined, number>;
  is_disabled: ColumnType<boolean, boolean | undefined, boolean>;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  /** Set by an admin's password reset: the password is one-time and must be changed at sign-in. */
  must_change_password: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  last_sign_in_at: NullableTimestamp;
}

export interface SignInThrottleTable {
  username: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: NullableTimestamp;
}

export interface SignInLimitTable {
  scope: 'pair' | 'address' | 'username';
  key: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: NullableTimestamp;
}

export interface SignInRefusalTable {
  action: string;
  username: string;
  address: string;
  reason: string;
  result: 'failure' | 'denied';
  user_id: string | null;
  role: string | null;
  client_address: string | null;
  first_at: Timestamp;
  last_at: Timestamp;
  count: number;
}

export interface AuthChallengeTable {
  id_hash: string;
  user_id: string;
  kind: 'totp' | 'enrol_totp';
  created_at: Timestamp;
  expires_at: Timestamp;
  attempts: ColumnType<number, number | undefined, number>;
  used_at: NullableTimestamp;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  idle_expires_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  client_ip: string | null;
  user_agent: string | null;
}

export interface AuditEntryTable {
  id: Generated<number>;
  seq: number | null;
  at: Timestamp;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  result: 'success' | 'failure' | 'denied';
  request_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  prev_hash: string | null;
  hash: string | null;
  client_address: ColumnType<string | null, string | null | undefined, never>;
}

export interface AuditHeadTable {
  id: ColumnType<boolean, boolean | undefined, never>;
  seq: number;
  hash: string;
}

type Json<T> = ColumnType<T, string, string>;

export interface ReportTable {
  id: string;
  number: string;
  version: number;
  status: 'draft' | 'registered' | 'routed' | 'accepted' | 'closed';
  created_by: string;
  call_answered_at: Timestamp;
  victim_name: string | null;
  victim_id_number: string | null;
  victim_phone: string | null;
  victim_county_code: string | null;
  victim_address: string | null;
  narrative: string;
  fraud_type: string | null;
  contacts: Json<Array<{ key: string; kind: 'phone' | 'url' | 'app' | 'social' | 'other'; value: string }>>;
  total_loss_fen: number;
  first_account_pushed_at: NullableTimestamp;
  first_instruction_sent_at: NullableTimestamp;
  first_stop_result_at: NullableTimestamp;
  submitted_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  owning_county_code: string | null;
}

export interface ReportTransferTable {
  report_id: string;
  key: string;
  position: number;
  transferred_at: NullableTimestamp;
  amount_fen: number | null;
  victim_account: string | null;
  to_number: string | null;
  to_name: string | null;
  to_bank_code: string | null;
}

export interface StopPaymentTable {
  id: string;
  report_id: string;
  parent_id: string | null;
  layer: number;
  account_number: string;
  account_name: string | null;
  bank_code: string;
  amount_fen: number;
  transferred_at: NullableTimestamp;
  status: 'pending' | 'sent' | 'acknowledged' | 'stopped' | 'failed' | 'withdrawn';
  legal_doc_number: string | null;
  instruction: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  signature: string | null;
  key_id: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  sent_by: string | null;
  acknowledged_at: NullableTimestamp;
  outcome: 'stopped' | 'failed' | null;
  stopped_fen: number | null;
  balance_fen: number | null;
  failure_reason: string | null;
  note: string | null;
  answered_at: NullableTimestamp;
  answered_by: string | null;
  answer_key: string | null;
  answer_hash: string | null;
  updated_at: Timestamp;
  stop_seq: ColumnType<number, number | undefined, number>;
  renews_id: string | null;
  stopped_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  lapsed_at: NullableTimestamp;
  renewed_at: NullableTimestamp;
}

export interface OnwardTransferTable {
  stop_payment_id: string;
  position: number;
  account_number: string;
  account_name: string | null;
  bank_code: string;
  amount_fen: number;
  transferred_at: Timestamp;
  child_id: string;
}

export interface ApiKeyTable {
  id: string;
  key_hash: string;
  name: string;
  bank_code: string;
  public_key_pem: string;
  webhook_url: string | null;
  created_at: Timestamp;
  created_by: string | null;
  revoked_at: NullableTimestamp;
}

export interface FreezeTable {
  id: string;
  stop_payment_id: string;
  report_id: string;
  decision_number: string;
  amount_fen: number;
  starts_at: Timestamp;
  ends_at: Timestamp;
  reason: string;
  appeal_channel: string;
  status: FreezeStatus;
  renewals: ColumnType<number, number | undefined, number>;
  decided_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  requested_fen: number;
  confirmed_at: NullableTimestamp;
  failure_reason: string | null;
}

export interface FreezeRenewalTable {
  freeze_id: string;
  seq: number;
  decision_number: string;
  previous_ends_at: Timestamp;
  ends_at: Timestamp;
  decided_by: string;
  decided_at: Timestamp;
  status: 'requested' | 'confirmed' | 'failed';
  instruction_id: string | null;
}

export interface FundDecisionTable {
  id: string;
  freeze_id: string;
  report_id: string;
  kind: 'release' | 'return';
  amount_fen: number;
  victim_account: string | null;
  decision_number: string;
  reason: string;
  appeal_channel: string;
  status: FundDecisionStatus;
  proposed_by: string;
  proposed_at: Timestamp;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  rejection_reason: string | null;
  due_at: NullableTimestamp;
  confirmed_at: NullableTimestamp;
  confirmed_by: string | null;
  bank_reference: string | null;
  overdue_at: NullableTimestamp;
  updated_at: Timestamp;
  payee_name: string | null;
  payee_bank_code: string | null;
  executed_fen: number | null;
  failure_reason: string | null;
}

export interface BankFeedTable {
  bank_code: string;
  last_seq: number;
}

/** The bank's queue: every measure sent to a bank, exactly as signed, with the bank's answer. */
export interface BankInstructionTable {
  id: string;
  kind: BankInstructionKind;
  bank_code: string;
  seq: number;
  report_id: string;
  stop_payment_id: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  signature: string;
  key_id: string;
  status: BankInstructionStatus;
  issued_at: Timestamp;
  acknowledged_at: NullableTimestamp;
  deadline_at: NullableTimestamp;
  amount_fen: number | null;
  executed_at: NullableTimestamp;
  bank_reference: string | null;
  failure_reason: string | null;
  note: string | null;
  answered_at: NullableTimestamp;
  answered_by: string | null;
  answer_key: string | null;
  answer_hash: string | null;
  updated_at: Timestamp;
}

export interface CountyTaskTable {
  id: string;
  report_id: string;
  county_code: string;
  status: 'issued' | 'accepted' | 'contacted' | 'answered' | 'transferred';
  issued_at: Timestamp;
  accept_due_at: Timestamp;
  due_at: Timestamp;
  accepted_at: NullableTimestamp;
  accepted_by: string | null;
  contacted_at: NullableTimestamp;
  case_number: string | null;
  answer: string | null;
  answered_at: NullableTimestamp;
  answered_by: string | null;
  transferred_from_id: string | null;
  transfer_reason: string | null;
  transferred_at: NullableTimestamp;
  transferred_by: string | null;
  overdue_at: NullableTimestamp;
  updated_at: Timestamp;
}

export interface AlertTable {
  id: string;
  kind:
    'stop_lapsing' | 'stop_lapsed' | 'freeze_ending' | 'freeze_expired' | 'return_overdue' | 'task_overdue';
  threshold: string;
  level: 'reminder' | 'escalation';
  object_type: string;
  object_id: string;
  report_id: string;
  county_code: string | null;
  message: string;
  due_at: NullableTimestamp;
  raised_at: Timestamp;
  acknowledged_at: NullableTimestamp;
  acknowledged_by: string | null;
}

/** The wall's read model (see `modules/wall`). `day` is read as text (`day::text`), never as a Date. */
export interface WallHourTable {
  hour: Timestamp;
  metric: string;
  n: number;
  fen: number;
}

export interface WallDayTable {
  day: ColumnType<string, string, string>;
  metric: string;
  key: ColumnType<string, string | undefined, string>;
  n: number;
  fen: number;
}

type Fen = ColumnType<number, number | undefined, number>;

export interface WallReportTable {
  report_id: string;
  answered_at: NullableTimestamp;
  is_received: ColumnType<boolean, boolean | undefined, boolean>;
  county_code: string | null;
  fraud_type: string | null;
  loss_fen: Fen;
  to_stop_s: number | null;
  stopped_fen: Fen;
  frozen_fen: Fen;
  returned_fen: Fen;
}

export interface WallStopTable {
  id: string;
  report_id: string | null;
  bank_code: string | null;
  layer: number | null;
  is_stopped: ColumnType<boolean, boolean | undefined, boolean>;
  answered_at: NullableTimestamp;
  response_s: number | null;
  stopped_fen: Fen;
  frozen_fen: Fen;
  returned_fen: Fen;
  is_in_force: ColumnType<boolean, boolean | undefined, boolean>;
  expires_at: NullableTimestamp;
  event_at: NullableTimestamp;
}

export interface WallTaskTable {
  id: string;
  county_code: string | null;
  is_open: ColumnType<boolean, boolean | undefined, boolean>;
  is_overdue: ColumnType<boolean, boolean | undefined, boolean>;
  due_at: NullableTimestamp;
  event_at: NullableTimestamp;
}

export interface WallTickerTable {
  id: Generated<number>;
  at: Timestamp;
  kind: 'received' | 'stopped' | 'frozen' | 'returned';
  county_code: string | null;
  fraud_type: string | null;
  loss_fen: number;
  stopped_fen: number;
  frozen_fen: number;
  returned_fen: number;
  text: string;
}
