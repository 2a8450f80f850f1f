import type { CountyTaskView, EpisodeSummary, StopPaymentView } from '@fanzha/contracts';
import type { EventEnvelope, EventSubject } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import {
  latestPerTask,
  STOP_ANSWER_WITHIN_MS,
  tasksOf,
  tasksOfCountyTask,
  tasksOfEpisode,
  tasksOfStopPayment,
} from './task.mapping';

const REPORT = '11111111-1111-4111-8111-111111111111';
const env = <S extends EventSubject>(subject: S, data: unknown, occurredAt = '2026-05-01T08:00:00.000Z') =>
  ({ id: 'e', subject, version: 1, occurredAt, data }) as EventEnvelope<S>;

const stop = (over: Partial<StopPaymentView> = {}) =>
  ({
    id: '22222222-2222-4222-8222-222222222222',
    reportId: REPORT,
    reportNumber: 'GZ20260501-0001',
    layer: 1,
    account: { number: '6222', name: null, bankCode: 'ICBC', bankName: '工商银行' },
    status: 'sent',
    sentAt: '2026-05-01T08:00:00.000Z',
    createdAt: '2026-05-01T07:59:00.000Z',
    result: null,
    expiresAt: null,
    freeze: null,
    ...over,
  }) as StopPaymentView;

describe('mapping the older modules’ events into tasks', () => {
  it('a sent stop-payment is the bank’s task, due ten minutes after sending; the answer ends it', () => {
    const [open] = tasksOfStopPayment(env('stop-payment.changed', { request: stop() }));
    expect(open!.report).toMatchObject({
      kind: 'stop-payment',
      owner: { unitKind: 'bank', unitCode: 'ICBC', userId: null },
      status: 'open',
      dueAt: new Date(Date.parse('2026-05-01T08:00:00Z') + STOP_ANSWER_WITHIN_MS).toISOString(),
    });
    const answered = stop({
      status: 'stopped',
      result: {
        outcome: 'stopped',
        stoppedFen: 123_400,
        answeredAt: '2026-05-01T08:02:00.000Z',
      } as StopPaymentView['result'],
    });
    expect(tasksOfStopPayment(env('stop-payment.changed', { request: answered }))[0]!.report).toMatchObject({
      status: 'done',
      doneAt: '2026-05-01T08:02:00.000Z',
      feedback: '已止付 1234.00 元',
    });
    // The desk's pending request is no instruction yet.
    expect(
      tasksOfStopPayment(env('stop-payment.changed', { request: stop({ status: 'pending', sentAt: null }) })),
    ).toEqual([]);
  });

  it('a freeze is due before the stop lapses; an approved return is due on its third working day', () => {
    const request = stop({
      status: 'stopped',
      expiresAt: '2026-05-03T08:00:00.000Z',
      freeze: {
        id: '33333333-3333-4333-8333-333333333333',
        decisionNumber: 'DJ-1',
        status: 'active',
        startsAt: '2026-05-01T09:00:00.000Z',
        confirmedAt: '2026-05-01T09:05:00.000Z',
        failureReason: null,
        decisions: [
          { id: 'd1', kind: 'release', status: 'approved', decidedAt: '2026-05-01T10:00:00.000Z' },
          { id: 'd2', kind: 'return', status: 'proposed', decidedAt: null },
          {
            id: 'd3',
            kind: 'return',
            status: 'approved',
            amountFen: 5000,
            decisionNumber: 'FH-1',
            decidedAt: '2026-05-01T10:00:00.000Z',
            dueAt: '2026-05-06T16:00:00.000Z',
            confirmedAt: null,
          },
        ],
      } as unknown as StopPaymentView['freeze'],
    });
    const tasks = tasksOfStopPayment(env('stop-payment.changed', { request })).map((m) => m.report);
    expect(tasks.map((t) => `${t.kind}:${t.sourceId}:${t.status}`)).toEqual([
      'stop-payment:22222222-2222-4222-8222-222222222222:open',
      'freeze:33333333-3333-4333-8333-333333333333:done',
      'return:d3:open',
    ]);
    expect(tasks[1]).toMatchObject({ dueAt: '2026-05-03T08:00:00.000Z', doneAt: '2026-05-01T09:05:00.000Z' });
    expect(tasks[2]).toMatchObject({ dueAt: '2026-05-06T16:00:00.000Z', owner: { unitCode: 'ICBC' } });
  });

  it('a county hand-off is due to be accepted, then answered; a transfer cancels it', () => {
    const task = {
      id: '44444444-4444-4444-8444-444444444444',
      reportId: REPORT,
      reportNumber: 'GZ20260501-0001',
      countyCode: '520102',
      countyName: '南明区',
      status: 'issued',
      issuedAt: '2026-05-01T08:00:00.000Z',
      acceptDueAt: '2026-05-01T08:30:00.000Z',
      dueAt: '2026-05-02T08:00:00.000Z',
      answer: null,
      answeredAt: null,
      transferredAt: null,
      transferReason: null,
      transferredToCounty: null,
    } as unknown as CountyTaskView;
    const [issued] = tasksOfCountyTask(env('county-task.changed', { task }));
    expect(issued!.report).toMatchObject({
      owner: { unitKind: 'county', unitCode: '520102' },
      dueAt: '2026-05-01T08:30:00.000Z',
      status: 'open',
    });
    const accepted = tasksOfCountyTask(env('county-task.changed', { task: { ...task, status: 'accepted' } }));
    expect(accepted[0]!.report.dueAt).toBe('2026-05-02T08:00:00.000Z');
    const moved = tasksOfCountyTask(
      env('county-task.changed', {
        task: {
          ...task,
          status: 'transferred',
          transferredAt: '2026-05-01T09:00:00.000Z',
          transferredToCounty: '520103',
          transferReason: '户籍地在云岩区',
        },
      }),
    );
    expect(moved[0]!.report).toMatchObject({
      status: 'cancelled',
      feedback: '转办至 520103：户籍地在云岩区',
    });
  });

  it('an episode is a warning for its county (or the centre); the visit is made once it is out', () => {
    const episode = {
      id: '55555555-5555-4555-8555-555555555555',
      countyCode: null,
      countyName: null,
      grade: 'red',
      step: 'human_call',
      isOpen: true,
      closeReason: null,
      openedAt: '2026-05-01T08:00:00.000Z',
      dueAt: '2026-05-01T08:10:00.000Z',
      reachBy: '2026-05-01T09:00:00.000Z',
      closedAt: null,
    } as unknown as EpisodeSummary;
    const [warning, visit] = tasksOfEpisode(env('episode.opened', { episode }));
    expect(warning!.report).toMatchObject({
      kind: 'warning',
      owner: { unitKind: 'centre', unitCode: 'centre' },
    });
    expect(visit).toMatchObject({ isUpdateOnly: true, report: { kind: 'visit', status: 'done' } });
    const atVisit = tasksOfEpisode(
      env('episode.changed', {
        episode: { ...episode, step: 'visit', countyCode: '520102' },
        change: 'step',
      }),
    );
    expect(atVisit[1]).not.toHaveProperty('isUpdateOnly');
    expect(atVisit[1]!.report).toMatchObject({
      status: 'open',
      dueAt: '2026-05-01T09:00:00.000Z',
      owner: { unitKind: 'county', unitCode: '520102' },
    });
    // A busy line sends the visit with carrier assist: out before the visit step, ended past it or by the close.
    const visitOf = (over: Partial<EpisodeSummary>) =>
      tasksOfEpisode(env('episode.changed', { episode: { ...episode, ...over }, change: 'step' }))[1]!;
    const sent = visitOf({ step: 'carrier_assist', isVisitIssued: true });
    expect(sent).not.toHaveProperty('isUpdateOnly');
    expect(sent.report).toMatchObject({ kind: 'visit', status: 'open', doneAt: null });
    expect(visitOf({ step: 'carrier_assist', isVisitIssued: false })).toMatchObject({ isUpdateOnly: true });
    expect(visitOf({ step: 'hold_pending', isVisitIssued: true })).toMatchObject({
      isUpdateOnly: true,
      report: { status: 'done' },
    });
    expect(
      visitOf({ step: 'closed', isVisitIssued: true, isOpen: false, closedAt: '2026-05-01T08:30:00.000Z' }),
    ).toMatchObject({ isUpdateOnly: true, report: { status: 'done', doneAt: '2026-05-01T08:30:00.000Z' } });
  });

  it('passes task.reported through, ignores other subjects, and keeps the latest report per task', () => {
    const report = {
      kind: 'callback',
      sourceId: 'cb-1',
      title: '回访',
      reportId: null,
      owner: { unitKind: 'centre', unitCode: 'centre', userId: null },
      openedAt: '2026-05-01T08:00:00.000Z',
      dueAt: null,
      status: 'open',
      doneAt: null,
      feedback: null,
    } as const;
    const newer = tasksOf(
      env('task.reported', { task: { ...report, status: 'done' } }, '2026-05-01T09:00:00.000Z'),
    );
    const older = tasksOf(env('task.reported', { task: report }, '2026-05-01T08:00:00.000Z'));
    expect(tasksOf(env('wall.changed', { at: '', ticker: [] }))).toEqual([]);
    expect(latestPerTask([...newer, ...older]).map((m) => m.report.status)).toEqual(['done']);
  });
});
