import { describe, expect, it } from 'vitest';
import { canApprove, canRestrict, isOwnProposal } from './case-roles';

describe('who may act on a case’s money', () => {
  const county = (countyCode: string) => ({ role: 'county_police' as const, countyCode });

  it('lets the desk, the supervisor and the owning county restrict, no one else', () => {
    expect(canRestrict({ role: 'stop_payment_officer', countyCode: null }, '520102')).toBe(true);
    expect(canRestrict({ role: 'supervisor', countyCode: null }, null)).toBe(true);
    expect(canRestrict(county('520102'), '520102')).toBe(true);
    expect(canRestrict(county('520103'), '520102')).toBe(false);
    expect(canRestrict(county('520102'), null)).toBe(false);
    expect(canRestrict({ role: 'call_taker', countyCode: null }, '520102')).toBe(false);
  });

  it('lets the supervisor and the owning county approve, but not the desk, nor one’s own proposal', () => {
    expect(canApprove({ role: 'supervisor', countyCode: null }, '520102')).toBe(true);
    expect(canApprove(county('520102'), '520102')).toBe(true);
    expect(canApprove({ role: 'stop_payment_officer', countyCode: null }, '520102')).toBe(false);
    expect(isOwnProposal({ username: 'a' }, { proposedBy: 'a' })).toBe(true);
    expect(isOwnProposal({ username: 'a' }, { proposedBy: 'b' })).toBe(false);
  });
});
