import type { ColumnType, Generated } from 'kysely';

/**
 * The database's types, one interface per table (tables singular, snake_case). Written by hand beside
 * the migrations; `schema.test.ts` checks that every column named here exists in the migrated database.
 */
export interface DB {
  outbox: OutboxTable;
  processed_event: ProcessedEventTable;
}

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface OutboxTable {
  id: Generated<number>;
  event_id: string;
  subject: string;
  /** The whole event envelope, as JSON text on the way in. */
  envelope: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
}

export interface ProcessedEventTable {
  consumer: string;
  event_id: string;
  processed_at: Timestamp;
}
