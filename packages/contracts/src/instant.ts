import { z } from 'zod';

/** The years every timestamp column holds and every ISO text prints with four digits (as the server checks). */
const FIRST = Date.parse('0001-01-01T00:00:00.000Z');
const LAST = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * An instant on the wire: ISO 8601 with its offset, from the year 1 to 9999 once in UTC. A text the calendar
 * has and the database does not (`0000-01-01T00:00:00Z`, or `9999-12-31T23:00:00-08:00`, the year 10000 in
 * UTC) is refused where it comes in, as too small or too big, instead of failing the statement it would reach.
 */
export const datetime = z.iso.datetime({ offset: true }).superRefine((text, ctx) => {
  const at = new Date(text).getTime();
  if (at < FIRST)
    ctx.addIssue({
      code: 'too_small',
      origin: 'date',
      minimum: FIRST,
      inclusive: true,
      input: text,
      message: 'a time from the year 1 to 9999 (UTC)',
    });
  else if (at > LAST)
    ctx.addIssue({
      code: 'too_big',
      origin: 'date',
      maximum: LAST,
      inclusive: true,
      input: text,
      message: 'a time from the year 1 to 9999 (UTC)',
    });
});

/**
 * A calendar day on the wire (`YYYY-MM-DD`), from the year 1: the year 0 is a day ISO 8601 has and no date
 * column holds, refused where it comes in as too small.
 */
export const day = z.iso.date().superRefine((text, ctx) => {
  if (text.startsWith('0000-'))
    ctx.addIssue({
      code: 'too_small',
      origin: 'date',
      minimum: FIRST,
      inclusive: true,
      input: text,
      message: 'a day from the year 1 to 9999',
    });
});
