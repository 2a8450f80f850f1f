import type {
  BankInstructionKind,
  BankInstructionStatus,
  FreezeStatus,
  FundDecisionStatus,
} from '@fanzha/domain';
import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './schema.columns';

// The case's tables: reports and their transfers, stop-payments, freezes, fund decisions, the banks'
// queue, county tasks and alerts.

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
  contacts: Json<
    Array<{ key: string; kind: 'phone' | 'url' | 'app' | 'social' | 'device' | 'other'; value: string }>
  >;
  total_loss_fen: number;
  first_account_pushed_at: NullableTimestamp;
  first_instruction_sent_at: NullableTimestamp;
  first_stop_result_at: NullableTimestamp;
  submitted_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  owning_county_code: string | null;
  /** The warning episode an intake draft was opened from (the person had already paid). */
  from_episode_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** In every call-taker's intake queue until one takes it up (a draft opened from an episode). */
  in_intake_queue: ColumnType<boolean, boolean | undefined, boolean>;
  /** Blind indexes: truncated HMACs of the normalised ID number and phone, for equality look-ups. */
  victim_id_number_bidx: ColumnType<string | null, string | null | undefined, string | null>;
  victim_phone_bidx: ColumnType<string | null, string | null | undefined, string | null>;
  /** The victim's age band at the call (publicity), from the ID number; null until computed. */
  victim_age_band: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** null: Ed25519 (signed before the algorithm was recorded). */
  signature_alg: ColumnType<
    'ed25519' | 'sm2' | null,
    'ed25519' | 'sm2' | null | undefined,
    'ed25519' | 'sm2' | null
  >;
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
  /** The bank's word on what the account is used for, given with its answer (null: not said). */
  account_use: ColumnType<
    'merchant' | 'payroll' | 'business' | 'personal' | null,
    'merchant' | 'payroll' | 'business' | 'personal' | null | undefined,
    'merchant' | 'payroll' | 'business' | 'personal' | null
  >;
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

/** The data keys of personal fields, each wrapped by a key derived from the server's secret key. */
export interface DataKeyTable {
  version: number;
  cipher: string;
  wrapped: string;
  created_at: Timestamp;
  retired_at: NullableTimestamp;
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
  /** Position in the bank's feed; null until the feed sequencer numbers a new instruction. */
  seq: number | null;
  /** Changed and not yet (re)numbered: the feed sequencer numbers it and announces the change. */
  pending: Generated<boolean>;
  /** Null for a protective hold's instructions, which belong to an episode. */
  report_id: string | null;
  stop_payment_id: string | null;
  /** The warning episode of a protective hold's instructions; null for every other kind. */
  episode_id: string | null;
  payload: ColumnType<Record<string, unknown>, string, string>;
  signature: string;
  key_id: string;
  /** null: Ed25519 (signed before the algorithm was recorded). */
  signature_alg: ColumnType<
    'ed25519' | 'sm2' | null,
    'ed25519' | 'sm2' | null | undefined,
    'ed25519' | 'sm2' | null
  >;
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
    | 'stop_lapsing'
    | 'stop_lapsed'
    | 'freeze_ending'
    | 'freeze_expired'
    | 'return_overdue'
    | 'task_overdue'
    | 'cluster_grown'
    | 'countermeasure_overdue';
  threshold: string;
  level: 'reminder' | 'escalation';
  object_type: string;
  object_id: string;
  /** Null for an alert with no report behind it (a countermeasure past its SLA). */
  report_id: string | null;
  county_code: string | null;
  message: string;
  due_at: NullableTimestamp;
  raised_at: Timestamp;
  acknowledged_at: NullableTimestamp;
  acknowledged_by: string | null;
}
