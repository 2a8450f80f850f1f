import { z } from 'zod';

/**
 * A sum of amounts in fen: a total over reports, transfers, accounts or days. One amount is at most 1e13 fen,
 * so a sum can pass 2^53 (about 90 trillion yuan), past which a JSON number is no longer exact: the total is
 * then sent rounded to the nearest representable whole number instead of being refused. Still an integer
 * (int64) to a client's code generator.
 */
export const sumFen = z
  .number()
  .min(0)
  .refine(Number.isInteger, 'a whole number of fen')
  .meta({ type: 'integer', format: 'int64' });
