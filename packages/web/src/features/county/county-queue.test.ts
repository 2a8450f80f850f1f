import type { CountyTaskView } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { countyName, countyOptions, isOverdueAt } from './county-queue';

describe('county queue', () => {
  const task = {
    status: 'issued',
    isOverdue: false,
    acceptDueAt: '2025-05-01T01:30:00Z',
    dueAt: '2025-05-02T01:00:00Z',
  } as CountyTaskView;

  it('turns overdue at the accept deadline while issued, at the answer deadline after', () => {
    expect(isOverdueAt(task, new Date('2025-05-01T01:29:59Z'))).toBe(false);
    expect(isOverdueAt(task, new Date('2025-05-01T01:30:00Z'))).toBe(true);
    const accepted = { ...task, status: 'accepted' as const };
    expect(isOverdueAt(accepted, new Date('2025-05-01T12:00:00Z'))).toBe(false);
    expect(isOverdueAt(accepted, new Date('2025-05-02T01:00:00Z'))).toBe(true);
    expect(isOverdueAt({ ...task, status: 'answered' }, new Date('2026-01-01T00:00:00Z'))).toBe(false);
    expect(isOverdueAt({ ...task, isOverdue: true }, new Date('2025-05-01T00:00:00Z'))).toBe(true);
  });

  it('offers the counties of Guizhou by name, without the one the task is in', () => {
    const options = countyOptions('520102');
    expect(options.find((o) => o.value === '520102')).toBeUndefined();
    expect(options.find((o) => o.value === '520103')?.label).toBe('贵阳市云岩区 520103');
    expect(options.length).toBeGreaterThan(80);
    expect(countyName('520102')).toBe('贵阳市南明区');
    expect(countyName('999999', '某县')).toBe('某县');
    expect(countyName(null)).toBe('—');
  });
});
