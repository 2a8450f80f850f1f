import { z } from 'zod';

/** The years every timestamp column holds and every ISO text prints with four digits (as the server checks). */
const FIRST = Date.parse('0001-01-01T00:00:00.000Z');
const LAST = Date.parse('9999-12-31T23:59:59.999Z');

/** Where a time or day that parses falls outside the years 1 to 9999 (UTC), if it does. */
function outOfRange(
  at: number,
): { code: 'too_small'; minimum: number } | { code: 'too_big'; maximum: number } | null {
  if (at < FIRST) return { code: 'too_small', minimum: FIRST };
  if (at > LAST) return { code: 'too_big', maximum: LAST };
  return null;
}

/** Whether an ISO time (already of the right form) falls in the years 1 to 9999 in UTC: the schema's range, for a
 * hand-written check on a hot path that must accept exactly what `datetime` accepts. */
export const isInstantInRange = (text: string): boolean => outOfRange(Date.parse(text)) === null;

/** Whether a date is valid and falls in the years 1 to 9999 in UTC: one every timestamp column holds and prints as
 * ISO (JavaScript's dates reach further), e.g. a time decoded from a client's cursor before it reaches SQL. */
export const isStorableTime = (at: Date): boolean =>
  !Number.isNaN(at.getTime()) && outOfRange(at.getTime()) === null;

/** A schema refusing the values `at` of which fall outside the years 1 to 9999, with `message`. */
const withinYears = <T extends z.ZodType<string, string>>(
  schema: T,
  at: (text: string) => number,
  message: string,
) =>
  schema.superRefine((text, ctx) => {
    const problem = outOfRange(at(text));
    if (problem) ctx.addIssue({ ...problem, origin: 'date', inclusive: true, input: text, message });
  });

/**
 * An instant on the wire: ISO 8601 with its offset, from the year 1 to 9999 once in UTC. A text the calendar
 * has and the database does not (`0000-01-01T00:00:00Z`, or `9999-12-31T23:00:00-08:00`, the year 10000 in
 * UTC) is refused where it comes in, as too small or too big, instead of failing the statement it would reach.
 */
export const datetime = withinYears(
  z.iso.datetime({ offset: true }),
  (text) => new Date(text).getTime(),
  'a time from the year 1 to 9999 (UTC)',
);

/**
 * A calendar day on the wire (`YYYY-MM-DD`), from the year 1: the year 0 is a day ISO 8601 has and no date
 * column holds, refused where it comes in as too small.
 */
export const day = withinYears(
  z.iso.date(),
  (text) => new Date(`${text}T00:00:00Z`).getTime(),
  'a day from the year 1 to 9999',
);
