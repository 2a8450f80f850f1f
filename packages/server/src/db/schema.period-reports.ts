import type { ColumnType } from 'kysely';
import type { Json, Timestamp } from './schema.columns';

/** Period reports (see `modules/period-reports`). Days are read as text (`::text`), never as Dates. */
export interface PeriodReportTable {
  id: string;
  kind: 'daily' | 'weekly' | 'monthly';
  period_from: ColumnType<string, string, string>;
  period_to: ColumnType<string, string, string>;
  county_code: string | null;
  origin: 'schedule' | 'demand';
  figures: Json<unknown>;
  xlsx: ColumnType<Uint8Array, Uint8Array, Uint8Array>;
  pdf: ColumnType<Uint8Array, Uint8Array, Uint8Array>;
  created_at: Timestamp;
  created_by: string | null;
}
