import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './schema.columns';

/** A person's warning episode (预警事件); personal columns sealed (field cipher), phone and ID number also blind-indexed. */
export interface EpisodeTable {
  id: string;
  person_phone: string | null;
  person_phone_bidx: string | null;
  person_id_number: string | null;
  person_id_number_bidx: string | null;
  person_name: string | null;
  county_code: string | null;
  routed_by: 'signal' | 'id_number' | 'centre';
  grade: 'low' | 'medium' | 'high';
  step: string;
  /** The domain's `LadderState`, dates as ISO strings. */
  ladder: Json<unknown>;
  next_timer_at: NullableTimestamp;
  is_overdue: boolean;
  warning_count: number;
  opened_at: Timestamp;
  last_warning_at: Timestamp;
  taken_by: string | null;
  taken_at: NullableTimestamp;
  close_reason: string | null;
  closed_at: NullableTimestamp;
  intake_draft_wanted_at: NullableTimestamp;
  /** The intake draft opened when the person had already paid (a report of the reports module). */
  intake_report_id: ColumnType<string | null, string | null | undefined, string | null>;
  version: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

/** One screened signal listed in an episode; (source, signal_id) is unique. */
export interface EpisodeWarningTable {
  id: string;
  episode_id: string;
  source: string;
  signal_id: string;
  signal_kind: string;
  indicator_id: number | null;
  indicator_kind: string | null;
  indicator_value: string | null;
  grade: 'low' | 'medium' | 'high';
  score: number;
  factors: Json<Array<{ factor: string; points: number }>>;
  amount_fen: number | null;
  signal_at: Timestamp;
  recorded_at: Timestamp;
  seq: Generated<number>;
}

/** A contact the ladder made (message, call, carrier request, visit), with its verification code. */
export interface EpisodeContactTable {
  id: string;
  episode_id: string;
  step: string;
  channel: 'sms' | 'robot_call' | 'human_call' | 'trusted_contact' | 'carrier_assist' | 'visit';
  verification_code: string | null;
  status: 'pending' | 'sent' | 'failed' | 'assigned' | 'withdrawn';
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  failure: string | null;
  seq: Generated<number>;
}

/** A person's command on an episode (take, outcome, hold), with its idempotency key. */
export interface EpisodeEventTable {
  id: string;
  episode_id: string;
  at: Timestamp;
  event: string;
  step: string;
  by_user: string | null;
  idempotency_key: string | null;
  details: Json<Record<string, unknown>> | null;
}

/** What the follow-up module keeps of an episode, and its checks 7 and 30 days after it closed. */
export interface EpisodeFollowUpTable {
  id: string;
  opened_at: Timestamp;
  closed_at: NullableTimestamp;
  close_reason: string | null;
  grade: string;
  county_code: string | null;
  warning_count: number;
  /** The distinct sources of its warnings (`operator:china_mobile`, `bank:CCB` …). */
  sources: Json<string[]>;
  /** The strongest channel it reached (`strongestChannel`). */
  channel: string | null;
  sms: number;
  robot_call: number;
  human_call: number;
  trusted_contact: number;
  carrier_assist: number;
  visit: number;
  is_held: boolean;
  first_contact_s: number | null;
  check_7_at: NullableTimestamp;
  check_30_at: NullableTimestamp;
  defrauded_7: boolean | null;
  defrauded_30: boolean | null;
  next_check_at: NullableTimestamp;
  checked_at: NullableTimestamp;
  updated_at: Timestamp;
}

/** A carrier assist request (运营商协助) to the person's operator, and its answer. */
export interface CarrierRequestTable {
  id: string;
  episode_id: string;
  contact_id: string;
  operator_code: 'china_mobile' | 'china_unicom' | 'china_telecom' | 'china_broadnet';
  status: 'open' | 'answered';
  answer: 'interrupted' | 'forwarding_cleared' | 'refused' | 'not_our_subscriber' | null;
  reason: string | null;
  answered_by: string | null;
  answered_at: NullableTimestamp;
  created_at: Timestamp;
  seq: Generated<number>;
}
