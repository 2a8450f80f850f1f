import type { ColumnType, Generated } from 'kysely';
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

/**
 * A measure's signed instruction to one party (a bank or an operator), for one action (applied or lifted), and
 * the party's answer. `instruction` is the signed document, sealed (it names the holder's ID number).
 */
export interface TwoCardInstructionTable {
  id: string;
  seq: Generated<string | number>;
  measure_id: string;
  action: 'apply' | 'lift';
  /** The measure's kind, as signed. */
  kind: TwoCardMeasureTable['kind'];
  party_kind: 'bank' | 'operator';
  party_code: string;
  status: 'sent' | 'acknowledged' | 'executed' | 'refused' | 'withdrawn';
  refusal_reason: string | null;
  note: string | null;
  instruction: ColumnType<unknown, string, string>;
  signature: string;
  key_id: string;
  algorithm: string;
  issued_at: Timestamp;
  acknowledged_at: NullableTimestamp;
  executed_at: NullableTimestamp;
  refused_at: NullableTimestamp;
  /** When the measure's lift withdrew this `apply` before its party executed or refused it (migration 0053). */
  withdrawn_at: NullableTimestamp;
  updated_at: Timestamp;
  /** Executed or refused by then (FANZHA_TWO_CARDS_INSTRUCTION_SLA_HOURS after its issue). */
  due_at: Timestamp;
  /** When the sweep found it past its deadline unanswered and escalated it (once). */
  overdue_at: NullableTimestamp;
}
