import type { ReportView, StopPaymentView } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { buildTrail, clockMilestones, trailDepth, trailTotals } from './money-trail';

const req = (id: string, over: Partial<StopPaymentView> = {}): StopPaymentView => ({
  id,
  reportId: 'r',
  reportNumber: 'JJ1',
  parentId: null,
  layer: 1,
  account: { number: id, name: null, bankCode: 'ICBC', bankName: '工商银行' },
  amountFen: 100,
  transferredAt: '2025-05-01T01:00:00Z',
  status: 'pending',
  urgency: 1,
  legalDocNumber: null,
  createdAt: '2025-05-01T01:01:00Z',
  sentAt: null,
  acknowledgedAt: null,
  result: null,
  stopSeq: 1,
  renewsId: null,
  stoppedAt: null,
  expiresAt: null,
  lapsedAt: null,
  legalState: 'none',
  frozenFen: 0,
  returnedFen: 0,
  freeze: null,
  ...over,
});

const stopped = (stoppedFen: number, answeredAt: string) => ({
  outcome: 'stopped' as const,
  stoppedFen,
  balanceFen: null,
  failureReason: null,
  note: null,
  onwardTransfers: [],
  answeredAt,
  answeredBy: 'icbc',
});

describe('money trail', () => {
  const root = req('a', {
    status: 'stopped',
    sentAt: '2025-05-01T01:02:00Z',
    result: stopped(500, '2025-05-01T01:03:00Z'),
  });
  const later = req('b2', { parentId: 'a', layer: 2, transferredAt: '2025-05-01T01:20:00Z' });
  const earlier = req('b1', {
    parentId: 'a',
    layer: 2,
    transferredAt: '2025-05-01T01:10:00Z',
    status: 'sent',
    sentAt: '2025-05-01T01:04:00Z',
  });
  const third = req('c', { parentId: 'b1', layer: 3 });
  const all = [third, later, root, earlier];

  it('nests each account under the one its money came from, in time order', () => {
    const trail = buildTrail(all);
    expect(trail.map((n) => n.request.id)).toEqual(['a']);
    expect(trail[0]?.children.map((n) => n.request.id)).toEqual(['b1', 'b2']);
    expect(trail[0]?.children[0]?.children.map((n) => n.request.id)).toEqual(['c']);
    expect(trailDepth(trail)).toBe(3);
  });

  it('sums what was stopped and counts what is open', () => {
    expect(trailTotals(all)).toEqual({
      accounts: 4,
      stoppedFen: 500,
      frozenFen: 0,
      returnedFen: 0,
      open: 3,
      nextLapseAt: null,
    });
  });

  it('keeps stopped, frozen and returned apart, and counts a second stop of an account once', () => {
    const first = req('a', {
      status: 'stopped',
      result: stopped(500, '2025-05-01T01:03:00Z'),
      legalState: 'renewed',
      expiresAt: '2025-05-03T01:03:00Z',
    });
    const second = req('a2', {
      renewsId: 'a',
      stopSeq: 2,
      status: 'stopped',
      result: stopped(450, '2025-05-03T00:00:00Z'),
      legalState: 'stopped',
      expiresAt: '2025-05-05T00:00:00Z',
    });
    const frozen = req('b', {
      parentId: 'a',
      layer: 2,
      status: 'stopped',
      result: stopped(300, '2025-05-01T01:05:00Z'),
      legalState: 'returned',
      frozenFen: 0,
      returnedFen: 200,
    });
    const held = req('c', {
      parentId: 'a',
      layer: 2,
      status: 'stopped',
      result: stopped(100, '2025-05-01T01:06:00Z'),
      legalState: 'frozen',
      frozenFen: 100,
    });
    const soon = req('d', {
      parentId: 'b',
      layer: 3,
      status: 'stopped',
      result: stopped(70, '2025-05-01T01:07:00Z'),
      legalState: 'stopped',
      expiresAt: '2025-05-03T01:07:00Z',
    });
    expect(trailTotals([first, second, frozen, held, soon])).toEqual({
      accounts: 4,
      stoppedFen: 450 + 300 + 100 + 70,
      frozenFen: 100,
      returnedFen: 200,
      open: 0,
      nextLapseAt: '2025-05-03T01:07:00Z',
    });
    // The second stop sits next to the first, as a sibling of the same layer.
    const tree = buildTrail([second, soon, held, frozen, { ...first, transferredAt: second.transferredAt }]);
    expect(tree.map((n) => n.request.id)).toEqual(['a', 'a2']);
    expect(trailDepth(tree)).toBe(3);
  });

  it('takes the earliest milestone from the report or the requests', () => {
    const times: ReportView['times'] = {
      callAnsweredAt: '2025-05-01T00:59:00Z',
      firstAccountPushedAt: '2025-05-01T01:01:00Z',
      firstInstructionSentAt: null,
      firstStopResultAt: null,
      submittedAt: null,
    };
    expect(clockMilestones(times, all)).toEqual({
      callAnsweredAt: '2025-05-01T00:59:00Z',
      firstAccountPushedAt: '2025-05-01T01:01:00Z',
      firstInstructionSentAt: '2025-05-01T01:02:00Z',
      firstStopResultAt: '2025-05-01T01:03:00Z',
    });
  });
});
