import type {
  CountermeasureKind,
  CountermeasurePartyKind,
  CountermeasureRefusalReason,
  CountermeasureStatus,
} from '@fanzha/domain';
import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './schema.columns';

// Countermeasures (技术反制): owned by `modules/countermeasures`.

export interface CountermeasureBatchTable {
  id: string;
  idempotency_key: string;
  body_hash: string;
  requested_by: string;
  created_at: Timestamp;
}

export interface CountermeasureTable {
  id: string;
  seq: Generated<string | number>;
  batch_id: string;
  kind: CountermeasureKind;
  party_kind: CountermeasurePartyKind;
  party_code: string;
  indicator_id: ColumnType<string | number | null, number | null, number | null>;
  value: string;
  reason: string;
  status: CountermeasureStatus;
  refusal_reason: CountermeasureRefusalReason | null;
  note: string | null;
  lift_reason: string | null;
  instruction: ColumnType<unknown, string, string>;
  signature: string;
  key_id: string;
  algorithm: string;
  /** The signed lift instruction, once the lift was asked (all four or none). */
  lift_instruction: ColumnType<unknown, string | null, string | null>;
  lift_signature: string | null;
  lift_key_id: string | null;
  lift_algorithm: string | null;
  requested_by: string;
  requested_at: Timestamp;
  acknowledged_at: NullableTimestamp;
  executed_at: NullableTimestamp;
  refused_at: NullableTimestamp;
  lift_requested_at: NullableTimestamp;
  lifted_at: NullableTimestamp;
  due_at: NullableTimestamp;
  overdue_at: NullableTimestamp;
  updated_at: Timestamp;
}

export interface CountermeasureEventTable {
  id: string;
  countermeasure_id: string;
  event: string;
  from_status: string;
  to_status: string;
  at: Timestamp;
  by_username: string;
  idempotency_key: string | null;
  details: ColumnType<unknown, string, string>;
}
