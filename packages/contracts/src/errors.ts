import { z } from 'zod';

/** Stable error codes: clients branch on these, never on messages. */
export const errorCodes = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const FieldProblem = z
  .object({
    field: z.string().describe('Where the problem is, e.g. `body.accounts.0.cardNumber` or `query.limit`'),
    reason: z.string().describe('Stable reason code, e.g. `card.luhn` or `too_small`'),
    message: z.string().describe('Human-readable explanation'),
  })
  .meta({ id: 'FieldProblem' });
export type FieldProblem = z.infer<typeof FieldProblem>;

/** The one error body every endpoint answers with. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      details: z.array(FieldProblem).optional().describe('For validation_failed: one entry per problem'),
      requestId: z
        .string()
        .describe('Also sent as the X-Request-Id header; quote it when reporting a problem'),
    }),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof ErrorBody>;
