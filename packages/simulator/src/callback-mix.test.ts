import { describe, expect, it } from 'vitest';
import { planCallbackAnswer } from './callback-mix';

describe('how people answer callbacks', () => {
  const plans = Array.from({ length: 2000 }, (_, i) => planCallbackAnswer(7, `cb-${i}`, 0));

  it('is the same for the same seed, callback and attempt', () => {
    expect(planCallbackAnswer(7, 'cb-1', 0)).toEqual(planCallbackAnswer(7, 'cb-1', 0));
    expect(plans.map((p) => p.outcome)).not.toEqual(
      Array.from({ length: 2000 }, (_, i) => planCallbackAnswer(8, `cb-${i}`, 0).outcome),
    );
  });

  it('reaches most at the first attempt, mostly satisfied, with a few complaints', () => {
    const reached = plans.filter((p) => p.outcome === 'reached');
    expect(reached.length / plans.length).toBeGreaterThan(0.55);
    expect(reached.length / plans.length).toBeLessThan(0.7);
    const mean = reached.reduce((s, p) => s + p.satisfaction!, 0) / reached.length;
    expect(mean).toBeGreaterThan(4);
    const complaints = reached.filter((p) => p.complaint).length;
    expect(complaints).toBeGreaterThan(0);
    expect(complaints / reached.length).toBeLessThan(0.1);
    // The server's rules: a satisfaction only with a reach, never a complaint without one.
    expect(plans.every((p) => (p.outcome === 'reached') === (p.satisfaction !== undefined))).toBe(true);
    expect(plans.filter((p) => p.outcome !== 'reached').every((p) => p.complaint === undefined)).toBe(true);
  });

  it('never gives a wrong number on a later attempt (it was right the first time)', () => {
    const later = Array.from({ length: 500 }, (_, i) => planCallbackAnswer(7, `cb-${i}`, 1));
    expect(later.some((p) => p.outcome === 'wrong_number')).toBe(false);
  });
});
