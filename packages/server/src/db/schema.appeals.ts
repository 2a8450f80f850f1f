import type { AppealOutcome, AppealStatus, AppealSubjectKind } from '@fanzha/domain';
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
}
