import type { Generated } from 'kysely';
import type { Timestamp } from './schema.columns';

export type AccountUseColumn = 'merchant' | 'payroll' | 'business' | 'personal';

/** An account of the money graph (see `modules/money-graph`). */
export interface MoneyAccountTable {
  key: string;
  bank_code: string | null;
  number: string | null;
  account_use: AccountUseColumn | null;
  first_seen_at: Timestamp;
  updated_at: Timestamp;
}

/** A transfer of the money graph, once per (from, to, amount, time, report). */
export interface MoneyTransferTable {
  id: Generated<number>;
  from_key: string;
  to_key: string;
  amount_fen: number;
  at: Timestamp;
  report_id: string;
  source_kind: 'report' | 'bank_answer';
  source_id: string;
  recorded_at: Timestamp;
}
