import type { ColumnType, Generated } from 'kysely';
import type { Fen, NullableTimestamp, Timestamp } from './schema.columns';

/**
 * The wall's read model (see `modules/wall`). `day` is read as text (`day::text`), never as a Date. The
 * counters' money is `numeric` (a day's may pass a bigint), read as a number (`fen::float8`).
 */
export interface WallHourTable {
  hour: Timestamp;
  metric: string;
  n: number;
  fen: ColumnType<string, number, number>;
}

export interface WallDayTable {
  day: ColumnType<string, string, string>;
  metric: string;
  key: ColumnType<string, string | undefined, string>;
  n: number;
  fen: ColumnType<string, number, number>;
}

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

export interface WallEpisodeTable {
  id: string;
  warning_count: ColumnType<number, number | undefined, number>;
  is_persuaded: ColumnType<boolean, boolean | undefined, boolean>;
  version: ColumnType<number, number | undefined, number>;
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
