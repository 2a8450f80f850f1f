import type { IndicatorKind, IndicatorRiskLevel, IndicatorStatus } from '@fanzha/domain';
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
