import type {
  IndicatorHistoryAction,
  IndicatorKind,
  IndicatorRiskLevel,
  IndicatorStatus,
} from '@fanzha/domain';
import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './schema.columns';

/** The registry of indicators (see `modules/indicators`). */
export interface IndicatorTable {
  id: Generated<number>;
  kind: IndicatorKind;
  value: string;
  status: ColumnType<IndicatorStatus, IndicatorStatus | undefined, IndicatorStatus>;
  risk_level: ColumnType<IndicatorRiskLevel, IndicatorRiskLevel | undefined, IndicatorRiskLevel>;
  report_count: ColumnType<number, number | undefined, number>;
  answer_count: ColumnType<number, number | undefined, number>;
  loss_fen: ColumnType<number, number | undefined, number>;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  last_reported_at: NullableTimestamp;
  hit_count: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  risk_score: ColumnType<number, number | undefined, number>;
  scored_at: NullableTimestamp;
  regrade_at: NullableTimestamp;
  decided_at: NullableTimestamp;
  merged_into: ColumnType<number | null, number | null | undefined, number | null>;
}

/** An indicator's decision history (see `modules/indicators`). */
export interface IndicatorDecisionTable {
  id: string;
  indicator_id: number;
  action: IndicatorHistoryAction;
  from_status: IndicatorStatus;
  to_status: IndicatorStatus;
  reason: string;
  other_indicator_id: number | null;
  actor_user_id: string | null;
  actor_name: string;
  operator_code: string | null;
  decided_at: Timestamp;
}

export interface IndicatorSourceTable {
  indicator_id: number;
  source_kind: 'report' | 'bank_answer';
  source_id: string;
  report_id: string;
  report_number: string;
  loss_fen: ColumnType<number, number | undefined, number>;
  seen_at: Timestamp;
}

export interface IndicatorTallyTable {
  status: IndicatorStatus;
  n: number;
}

/** One import of an exchange file (see `modules/indicators`, `docs/indicator-exchange.md`). */
export interface IndicatorImportTable {
  id: string;
  origin: string;
  file_name: string;
  note: ColumnType<string, string | undefined, string>;
  /** The header's columns, comma-separated. */
  columns: string;
  created_by: string | null;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
  rows_read: ColumnType<number, number | undefined, number>;
  rows_rejected: ColumnType<number, number | undefined, number>;
  indicators_created: ColumnType<number, number | undefined, number>;
  sources_added: ColumnType<number, number | undefined, number>;
}

/** An imported indicator's provenance: once per (indicator, origin). */
export interface IndicatorImportSourceTable {
  indicator_id: number;
  origin: string;
  import_id: string;
  line: number;
  risk_level: IndicatorRiskLevel | null;
  first_seen_at: NullableTimestamp;
  last_seen_at: NullableTimestamp;
  note: ColumnType<string, string | undefined, string>;
  seen_at: Timestamp;
}
