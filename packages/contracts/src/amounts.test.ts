import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sumFen } from './amounts';

describe('sumFen', () => {
  it('takes whole sums past 2^53 fen, and refuses fractions and negatives', () => {
    expect(sumFen.safeParse(0).success).toBe(true);
    expect(sumFen.safeParse(9.5e15).success).toBe(true);
    expect(sumFen.safeParse(Number.MAX_SAFE_INTEGER + 1).success).toBe(true);
    expect(sumFen.safeParse(1.5).success).toBe(false);
    expect(sumFen.safeParse(-1).success).toBe(false);
    expect(sumFen.safeParse(Number.NaN).success).toBe(false);
  });

  it('is an int64 to a client generated from the OpenAPI document', () => {
    expect(z.toJSONSchema(sumFen.describe('Losses'))).toMatchObject({
      type: 'integer',
      format: 'int64',
      minimum: 0,
      description: 'Losses',
    });
  });
});
