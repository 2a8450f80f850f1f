import { describe, expect, it } from 'vitest';
import { indicatorStatusAfterReports } from './indicator-risk';

describe('indicatorStatusAfterReports', () => {
  it('makes an active indicator shared past the threshold, not at it', () => {
    expect(indicatorStatusAfterReports('active', 50, 50)).toBe('active');
    expect(indicatorStatusAfterReports('active', 51, 50)).toBe('shared');
  });

  it('never overrides a decision', () => {
    expect(indicatorStatusAfterReports('not_fraud', 500, 50)).toBe('not_fraud');
    expect(indicatorStatusAfterReports('suspended', 500, 50)).toBe('suspended');
    expect(indicatorStatusAfterReports('shared', 1, 50)).toBe('shared');
  });
});
