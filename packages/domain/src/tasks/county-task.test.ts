import { describe, expect, it } from 'vitest';
import { countyTaskStatuses, isTaskOverdue, nextCountyTaskStatus } from './county-task';

describe('county task lifecycle', () => {
  it('allows only the documented moves', () => {
    expect(nextCountyTaskStatus('issued', 'accept')).toBe('accepted');
    expect(nextCountyTaskStatus('issued', 'answer')).toBeUndefined();
    expect(nextCountyTaskStatus('accepted', 'answer')).toBe('answered');
    expect(nextCountyTaskStatus('answered', 'transfer')).toBeUndefined();
    for (const s of countyTaskStatuses)
      if (s !== 'issued') expect(nextCountyTaskStatus(s, 'accept')).toBeUndefined();
  });

  it('is overdue past the accept deadline while issued, and past the answer deadline while live', () => {
    const t = { acceptDueAt: new Date(1_000), dueAt: new Date(5_000) };
    expect(isTaskOverdue({ ...t, status: 'issued' }, new Date(999))).toBe(false);
    expect(isTaskOverdue({ ...t, status: 'issued' }, new Date(1_000))).toBe(true);
    expect(isTaskOverdue({ ...t, status: 'accepted' }, new Date(4_999))).toBe(false);
    expect(isTaskOverdue({ ...t, status: 'contacted' }, new Date(5_000))).toBe(true);
    expect(isTaskOverdue({ ...t, status: 'answered' }, new Date(9_000))).toBe(false);
  });
});
