import type { ClusterStatus, LinkKind } from '@fanzha/domain';
import type { Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './schema.columns';

/** A value a submitted report (or a bank's answer about it) named: the linker's index by value. */
export interface LinkValueTable {
  kind: LinkKind;
  value: string;
  report_id: string;
  /** For an account: the layer the money reached it (1: the victim's payee). */
  layer: number | null;
  seen_at: Timestamp;
}

/** A cluster (团伙) of linked reports. */
export interface ClusterTable {
  id: string;
  status: ClusterStatus;
  report_count: number;
  merged_into: string | null;
  alerted_at: NullableTimestamp;
  hand_off_unit_kind: 'county' | 'centre' | null;
  hand_off_unit_code: string | null;
  hand_off_due_at: NullableTimestamp;
  handed_off_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Which cluster a linked report is in (a report linked to nothing has no row). */
export interface ClusterReportTable {
  report_id: string;
  cluster_id: string;
  joined_at: Timestamp;
}

/** A link between two reports (`report_a` < `report_b`) with its evidence: the value both named. */
export interface ReportLinkTable {
  report_a: string;
  report_b: string;
  kind: LinkKind;
  value: string;
  status: 'active' | 'severed';
  linked_at: Timestamp;
  severed_at: NullableTimestamp;
}

/** A cluster's history: the linker's changes and the analysts' decisions. */
export interface ClusterEventTable {
  id: string;
  /** The order of the history (several entries of one transaction share their time). */
  seq: Generated<number>;
  cluster_id: string;
  kind: string;
  at: Timestamp;
  actor_id: string | null;
  reason: string | null;
  details: Json<Record<string, unknown>>;
  idempotency_key: string | null;
}
