import type {
  AppealEffectKind,
  AppealEffectStatus,
  AppealOutcome,
  AppealStatus,
  AppealSubjectKind,
} from '@fanzha/domain';
import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './schema.columns';

// Appeals (申诉): owned by `modules/appeals`.

export interface AppealTable {
  id: string;
  seq: Generated<string | number>;
  reference: string;
  subject_kind: AppealSubjectKind;
  subject_value: string;
  subject_bidx: string;
  name: string;
  contact_phone: string;
  statement: string;
  status: AppealStatus;
  filed_at: Timestamp;
  due_at: Timestamp;
  overdue_at: NullableTimestamp;
  recommendation: AppealOutcome | null;
  recommendation_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: NullableTimestamp;
  decided_by: string | null;
  decision_reason: string | null;
  decided_at: NullableTimestamp;
  effects: ColumnType<unknown, string | undefined, string>;
  idempotency_key: string | null;
  body_hash: string | null;
  /** The bank of the account appealed (freeze, hold); null for the other subjects. */
  subject_bank_code: string | null;
  /** The reviewer's role when they reviewed: the release of a freeze is proposed in their name. */
  reviewed_role: string | null;
  /** The decision's SMS to the appellant: pending from the decision until the gateway takes it; null before. */
  notice_status: 'pending' | 'sent' | null;
  notice_attempts: Generated<number>;
  /** When a pending notice is tried next (by the appeals' sweep); null once sent. */
  notice_next_at: NullableTimestamp;
  notice_sent_at: NullableTimestamp;
}

/** One effect of a granted appeal, with its state: applied idempotently, retried by a sweep until done. */
export interface AppealEffectTable {
  appeal_id: string;
  /** `<kind>:<target id>`, one per thing the grant changes. */
  target: string;
  kind: AppealEffectKind;
  target_id: string;
  status: AppealEffectStatus;
  /**
   * What the effect did when done: `not_fraud`, `lift_requested`, `lifted`, `release_approved`,
   * `release_proposed` (awaiting a second approver in the freezes' queue), `released`, `kept`.
   */
  result: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  next_attempt_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  done_at: NullableTimestamp;
}
