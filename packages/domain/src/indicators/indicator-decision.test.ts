import { describe, expect, it } from 'vitest';
import { decideIndicator } from './indicator-decision';
import { indicatorStatusAfterReports } from './indicator-risk';

describe('decisions on an indicator', () => {
  it('change the status as the table says', () => {
    expect(decideIndicator('active', 'not_fraud')).toEqual({ kind: 'change', to: 'not_fraud' });
    expect(decideIndicator('shared', 'not_fraud')).toEqual({ kind: 'change', to: 'not_fraud' });
    expect(decideIndicator('active', 'share')).toEqual({ kind: 'change', to: 'shared' });
    expect(decideIndicator('shared', 'unshare')).toEqual({ kind: 'change', to: 'active' });
    expect(decideIndicator('not_fraud', 'reinstate')).toEqual({ kind: 'change', to: 'active' });
    expect(decideIndicator('suspended', 'reinstate')).toEqual({ kind: 'change', to: 'active' });
    expect(decideIndicator('active', 'reassigned')).toEqual({ kind: 'change', to: 'suspended' });
  });

  it('change nothing when taken again', () => {
    expect(decideIndicator('not_fraud', 'not_fraud')).toEqual({ kind: 'unchanged' });
    expect(decideIndicator('active', 'reinstate')).toEqual({ kind: 'unchanged' });
    expect(decideIndicator('suspended', 'reassigned')).toEqual({ kind: 'unchanged' });
  });

  it('are refused from a status they do not start from, and on a merged indicator', () => {
    expect(decideIndicator('not_fraud', 'share').kind).toBe('refused');
    expect(decideIndicator('not_fraud', 'reassigned').kind).toBe('refused');
    expect(decideIndicator('suspended', 'unshare').kind).toBe('refused');
    expect(decideIndicator('merged', 'reinstate').kind).toBe('refused');
    expect(decideIndicator('merged', 'not_fraud').kind).toBe('refused');
  });

  it('hold against the over-shared guard once an analyst made an indicator active', () => {
    expect(indicatorStatusAfterReports('active', 51, 50)).toBe('shared');
    expect(indicatorStatusAfterReports('active', 51, 50, true)).toBe('active');
    expect(indicatorStatusAfterReports('active', 50, 50)).toBe('active');
  });
});
