import type { ColumnType } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './schema.columns';

/** A column with a default on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** A task in the supervision queue (督办), kept by the tasks module from the instruction modules' events. */
export interface TaskTable {
  id: string;
  kind: string;
  source_id: string;
  title: string;
  report_id: string | null;
  owner_unit_kind: 'centre' | 'county' | 'bank' | 'operator';
  owner_unit_code: string;
  owner_user_id: string | null;
  is_reassigned: Defaulted<boolean>;
  opened_at: Timestamp;
  due_at: NullableTimestamp;
  status: 'open' | 'done' | 'cancelled';
  done_at: NullableTimestamp;
  feedback: string | null;
  urge_count: Defaulted<number>;
  last_urged_at: NullableTimestamp;
  last_urged_by: string | null;
  last_urge_note: string | null;
  escalation_level: Defaulted<number>;
  escalated_at: NullableTimestamp;
  /** The time of the event the task was last taken from: older events change nothing. */
  source_at: Timestamp;
  updated_at: Timestamp;
}

export interface TaskOwnerJson {
  unitKind: 'centre' | 'county' | 'bank' | 'operator';
  unitCode: string;
  userId: string | null;
}

/** One supervision action on a task: urge (催办), reassign, escalate. */
export interface TaskActionTable {
  id: string;
  task_id: string;
  action: 'urge' | 'reassign' | 'escalate';
  at: Timestamp;
  by_user_id: string;
  by_username: string;
  note: string;
  from_owner: Json<TaskOwnerJson> | null;
  to_owner: Json<TaskOwnerJson> | null;
  level: number | null;
  key: string | null;
}
