/**
 * The Idempotency-Key for an answer: the same while the same answer is retried (a lost response must
 * not record it twice), a new one as soon as the answer changes.
 */
export function idempotencyKeyFor(
  previous: { body: string; key: string } | null,
  body: string,
  makeKey: () => string,
): { body: string; key: string } {
  return previous && previous.body === body ? previous : { body, key: makeKey() };
}
