import type { NullableTimestamp, Timestamp } from './schema.columns';

/** A holder of cards sold or rented to gangs (卡农); the ID number sealed (see `personalFields`). */
export interface TwoCardHolderTable {
  id: string;
  id_number: string;
  id_number_bidx: string;
  county_code: string | null;
  hand_off_county_code: string | null;
  hand_off_due_at: NullableTimestamp;
  handed_off_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A bank card or SIM found in cases, and where it was opened. */
export interface TwoCardTable {
  id: string;
  kind: 'bank' | 'sim';
  number: string;
  institution: string;
  place_code: string | null;
  place_name: string | null;
  /** YYYY-MM-DD */
  opened_on: string | null;
  holder_id: string | null;
  first_seen_at: Timestamp;
  updated_at: Timestamp;
}

/** A case (report) a card was found in, once per card and report. */
export interface TwoCardCaseTable {
  card_id: string;
  report_id: string;
  source_kind: 'report' | 'bank_answer';
  source_id: string;
  seen_at: Timestamp;
}

/** A measure (惩戒措施) against a holder. */
export interface TwoCardMeasureTable {
  id: string;
  holder_id: string;
  kind: 'no_non_counter_services' | 'no_new_accounts' | 'limit_new_phone_cards';
  starts_at: Timestamp;
  ends_at: Timestamp;
  reason: string;
  deciding_unit: string;
  created_by: string;
  created_at: Timestamp;
  lifted_at: NullableTimestamp;
  lifted_by: string | null;
  lift_reason: string | null;
  idempotency_key: string | null;
}
