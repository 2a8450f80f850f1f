import type { AgeBand, CampaignChannel, CampaignStatus } from '@fanzha/domain';
import type { ColumnType } from 'kysely';
import type { NullableTimestamp, Timestamp } from './schema.columns';

/** A date (`YYYY-MM-DD`) kept as text. */
type DateText = ColumnType<string, string, string>;

/** Publicity's weekly rollup: reports and losses per China-time week, county, fraud type and age band. */
export interface PublicityWeekTable {
  week: DateText;
  county_code: string;
  fraud_type: string;
  age_band: AgeBand;
  reports: number;
  loss_fen: number;
}

/** What the rollup counts of each submitted report ('' for an unknown county or fraud type). */
export interface PublicityReportTable {
  report_id: string;
  week: DateText;
  county_code: string;
  fraud_type: string;
  age_band: AgeBand;
  loss_fen: number;
}

/** A publicity campaign (宣传活动): a task for one county's police. */
export interface PublicityCampaignTable {
  id: string;
  idempotency_key: string;
  county_code: string;
  fraud_type: string | null;
  age_band: AgeBand | null;
  target_text: string | null;
  channel: CampaignChannel;
  planned_on: DateText;
  due_at: Timestamp;
  status: CampaignStatus;
  brief_week: ColumnType<string | null, string | null, string | null>;
  brief_reports: number | null;
  brief_baseline: number | null;
  reach: number | null;
  note: string | null;
  cancel_reason: string | null;
  created_by: string;
  created_at: Timestamp;
  accepted_by: string | null;
  accepted_at: NullableTimestamp;
  done_by: string | null;
  done_at: NullableTimestamp;
  cancelled_by: string | null;
  cancelled_at: NullableTimestamp;
  updated_at: Timestamp;
}
