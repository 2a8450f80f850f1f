import type { AlertView, CountyTaskView } from '@fanzha/contracts';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { OPEN_ALERTS_KEY, applyAlert, upsertAlert } from './alert-cache';
import {
  applyCountyTask,
  byDeadline,
  countyTasksKey,
  nextDeadline,
  upsertTask,
  type CountyTaskFilter,
} from './county-task-cache';
import { parseStreamMessage } from './live-stream';

let n = 0;
const task = (over: Partial<CountyTaskView> = {}): CountyTaskView => {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    reportId: '10000000-0000-4000-8000-000000000001',
    reportNumber: `JJ20250501-00000${n}`,
    countyCode: '520102',
    countyName: '南明区',
    status: 'issued',
    fraudType: null,
    totalLossFen: 100,
    issuedAt: '2025-05-01T01:00:00Z',
    acceptDueAt: '2025-05-01T01:30:00Z',
    dueAt: '2025-05-02T01:00:00Z',
    isOverdue: false,
    acceptedAt: null,
    acceptedBy: null,
    contactedAt: null,
    caseNumber: null,
    answer: null,
    answeredAt: null,
    answeredBy: null,
    transferredFromId: null,
    transferReason: null,
    transferredAt: null,
    transferredBy: null,
    transferredToCounty: null,
    ...over,
  };
};
const live: CountyTaskFilter = { statuses: ['issued', 'accepted', 'contacted'] };

describe('county task lists', () => {
  it('puts overdue work first, then the nearest deadline, finished work last', () => {
    const accepted = task({ status: 'accepted', dueAt: '2025-05-01T20:00:00Z' });
    const issued = task();
    const late = task({ status: 'accepted', isOverdue: true, dueAt: '2025-05-01T23:00:00Z' });
    const done = task({ status: 'answered', issuedAt: '2025-05-01T00:00:00Z' });
    const doneLater = task({ status: 'transferred', issuedAt: '2025-05-01T02:00:00Z' });
    expect([done, accepted, doneLater, issued, late].sort(byDeadline).map((t) => t.id)).toEqual([
      late.id,
      issued.id,
      accepted.id,
      doneLater.id,
      done.id,
    ]);
    expect(nextDeadline(issued)).toBe(issued.acceptDueAt);
    expect(nextDeadline(accepted)).toBe(accepted.dueAt);
  });

  it('adds, replaces and drops a task by each list’s filter', () => {
    const a = task();
    const b = task({ countyCode: '520103', countyName: '云岩区' });
    expect(upsertTask([], a, live)).toEqual([a]);
    expect(upsertTask([a], { ...a, status: 'answered' }, live)).toEqual([]);
    expect(upsertTask([], b, { ...live, county: '520102' })).toEqual([]);
    expect(upsertTask([], a, { ...live, isOverdueOnly: true })).toEqual([]);
    expect(upsertTask([], a, { ...live, reportId: a.reportId })).toEqual([a]);
  });

  it('updates every cached task list from one live message', () => {
    const client = new QueryClient();
    const a = task();
    const answered: CountyTaskFilter = { statuses: ['answered'] };
    client.setQueryData(countyTasksKey(live), { tasks: [a] });
    client.setQueryData(countyTasksKey(answered), { tasks: [] });
    applyCountyTask(client, { ...a, status: 'answered' });
    expect(client.getQueryData<{ tasks: CountyTaskView[] }>(countyTasksKey(live))?.tasks).toEqual([]);
    expect(
      client.getQueryData<{ tasks: CountyTaskView[] }>(countyTasksKey(answered))?.tasks.map((t) => t.status),
    ).toEqual(['answered']);
  });
});

describe('open alerts', () => {
  const alert = (id: string, raisedAt: string, acknowledgedAt: string | null = null) =>
    ({ id, raisedAt, acknowledgedAt }) as AlertView;

  it('keeps the open ones, newest first', () => {
    const first = alert('a', '2025-05-01T01:00:00Z');
    const second = alert('b', '2025-05-01T02:00:00Z');
    expect(upsertAlert([first], second)).toEqual([second, first]);
    expect(upsertAlert([second, first], alert('a', first.raisedAt, '2025-05-01T03:00:00Z'))).toEqual([
      second,
    ]);

    const client = new QueryClient();
    applyAlert(client, first);
    expect(client.getQueryData(OPEN_ALERTS_KEY)).toBeUndefined();
    client.setQueryData(OPEN_ALERTS_KEY, { alerts: [] });
    applyAlert(client, first);
    expect(client.getQueryData(OPEN_ALERTS_KEY)).toEqual({ alerts: [first] });
  });

  it('reads the new stream messages', () => {
    expect(parseStreamMessage(JSON.stringify({ type: 'county-task', task: task() }))).toMatchObject({
      type: 'county-task',
    });
    expect(parseStreamMessage('{"type":"alert","alert":{"id":"x"}}')).toMatchObject({ type: 'alert' });
    expect(parseStreamMessage('{"type":"alert"}')).toBeUndefined();
  });
});
