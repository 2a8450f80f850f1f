import type { ColumnType } from 'kysely';

/** Column shapes shared by the table interfaces: what is read, what may be inserted, what may be updated. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;

/** A JSON column: written as text, read back parsed. */
export type Json<T> = ColumnType<T, string, string>;

/** An amount in fen that defaults to 0 on insert. */
export type Fen = ColumnType<number, number | undefined, number>;
