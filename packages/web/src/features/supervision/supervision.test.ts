import type { FundDecisionView } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { overdueReturns, pendingProposals } from './supervision';

const d = (id: string, over: Partial<FundDecisionView>) =>
  ({
    id,
    kind: 'return',
    status: 'approved',
    isOverdue: false,
    dueAt: '2025-05-06T10:00:00Z',
    proposedAt: '2025-05-01T01:00:00Z',
    ...over,
  }) as FundDecisionView;

describe('supervision', () => {
  it('lists approved returns past their due date, flagged or not yet flagged by the server', () => {
    const now = new Date('2025-05-06T10:00:00Z');
    const list = [
      d('due-later', { dueAt: '2025-05-07T10:00:00Z' }),
      d('due-now', {}),
      d('flagged', { isOverdue: true, dueAt: '2025-05-05T10:00:00Z' }),
      d('confirmed', { status: 'confirmed', isOverdue: false, dueAt: '2025-05-01T00:00:00Z' }),
      d('release', { kind: 'release', dueAt: null }),
    ];
    expect(overdueReturns(list, now).map((x) => x.id)).toEqual(['flagged', 'due-now']);
  });

  it('lists proposals waiting for a second approver, oldest first', () => {
    const list = [
      d('new', { status: 'proposed', proposedAt: '2025-05-01T03:00:00Z' }),
      d('approved', {}),
      d('old', { status: 'proposed', proposedAt: '2025-05-01T02:00:00Z' }),
    ];
    expect(pendingProposals(list).map((x) => x.id)).toEqual(['old', 'new']);
  });
});
