import type { FieldProblem } from '@fanzha/contracts';
import type { Generated } from 'kysely';
import type { Json, Timestamp } from './schema.columns';

/** A signal batch or signal screening could not read (see `modules/screening`). */
export interface SignalDeadLetterTable {
  id: Generated<number>;
  received_at: Timestamp;
  via: 'nats' | 'http' | 'in_process';
  kind: string | null;
  source: string | null;
  signal_id: string | null;
  problems: Json<FieldProblem[]>;
  excerpt: string;
  dedupe_key: string;
}
