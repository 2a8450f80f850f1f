import type { StopPaymentView } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { layerNameZh } from '../../ui/layer';
import {
  banksIn,
  groupDeskQueue,
  keepSelection,
  matchesSearch,
  moveSelection,
  pageOfSelection,
} from './desk-queue';

let n = 0;
function request(over: Partial<StopPaymentView> = {}): StopPaymentView {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    reportId: '10000000-0000-4000-8000-000000000001',
    reportNumber: 'JJ20250501-000001',
    parentId: null,
    layer: 1,
    account: { number: `62220200000000${n}`, name: '王某', bankCode: 'ICBC', bankName: '工商银行' },
    amountFen: 100_000,
    transferredAt: '2025-05-01T01:00:00Z',
    status: 'pending',
    urgency: 500,
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
  };
}

describe('groupDeskQueue', () => {
  it('splits by status, each section in its own order, and filters by bank', () => {
    const low = request({ urgency: 100 });
    const high = request({ urgency: 900 });
    const ccb = request({
      urgency: 950,
      account: { number: '6227', name: null, bankCode: 'CCB', bankName: '建设银行' },
    });
    const oldSent = request({ status: 'sent', sentAt: '2025-05-01T01:02:00Z' });
    const newSent = request({ status: 'acknowledged', sentAt: '2025-05-01T01:05:00Z' });
    const result = (answeredAt: string) => ({
      outcome: 'stopped' as const,
      stoppedFen: 1,
      balanceFen: null,
      failureReason: null,
      note: null,
      onwardTransfers: [],
      answeredAt,
      answeredBy: 'icbc',
    });
    const firstAnswer = request({ status: 'stopped', result: result('2025-05-01T01:06:00Z') });
    const lastAnswer = request({ status: 'failed', result: result('2025-05-01T01:09:00Z') });
    const withdrawn = request({ status: 'withdrawn' });
    const all = [low, newSent, firstAnswer, high, ccb, oldSent, lastAnswer, withdrawn, high];

    const queue = groupDeskQueue(all, null);
    expect(queue.pending.map((r) => r.id)).toEqual([ccb.id, high.id, low.id]);
    expect(queue.inFlight.map((r) => r.id)).toEqual([oldSent.id, newSent.id]);
    expect(queue.answered.map((r) => r.id)).toEqual([lastAnswer.id, firstAnswer.id]);
    expect(groupDeskQueue(all, 'CCB').pending.map((r) => r.id)).toEqual([ccb.id]);
    expect(groupDeskQueue(all, null, 1).answered).toHaveLength(1);
    expect(
      banksIn(all)
        .map((b) => b.code)
        .sort(),
    ).toEqual(['CCB', 'ICBC']);
  });
});

describe('desk helpers', () => {
  it('names layers as staff do', () => {
    expect(layerNameZh(1)).toBe('一级卡');
    expect(layerNameZh(2)).toBe('二级卡');
    expect(layerNameZh(12)).toBe('12级卡');
  });

  it('moves the selection with the arrow keys, stopping at the ends', () => {
    const ids = ['a', 'b', 'c'];
    expect(moveSelection(ids, null, 1)).toBe('a');
    expect(moveSelection(ids, 'a', 1)).toBe('b');
    expect(moveSelection(ids, 'c', 1)).toBe('c');
    expect(moveSelection(ids, 'a', -1)).toBe('a');
    expect(moveSelection(ids, 'gone', -1)).toBe('c');
    expect(moveSelection([], 'a', 1)).toBeNull();
  });
});

describe('keepSelection', () => {
  it('stays on the same request whatever its position', () => {
    expect(keepSelection(['b', 'a', 'c'], 'a', 0)).toBe('a');
  });

  it('takes the top row when nothing was chosen, and the row now in its place when it left', () => {
    expect(keepSelection(['a', 'b'], null, 0)).toBe('a');
    expect(keepSelection(['a', 'c'], 'b', 1)).toBe('c');
    expect(keepSelection(['a'], 'b', 5)).toBe('a');
    expect(keepSelection([], 'b', 0)).toBeNull();
  });
});

describe('matchesSearch', () => {
  const r = request({
    reportNumber: 'JJ20250501-000123',
    account: { number: '6222020012345678901', name: '王某', bankCode: 'ICBC', bankName: '工商银行' },
  });

  it('finds a report number by any part, in any case', () => {
    expect(matchesSearch(r, 'jj20250501-000123')).toBe(true);
    expect(matchesSearch(r, '000123')).toBe(true);
    expect(matchesSearch(r, 'JJ20250502')).toBe(false);
  });

  it('finds a card number by any part, spaces ignored', () => {
    expect(matchesSearch(r, '6222 0200 1234')).toBe(true);
    expect(matchesSearch(r, '5678901')).toBe(true);
    expect(matchesSearch(r, '99999')).toBe(false);
  });

  it('lets everything through when empty', () => {
    expect(matchesSearch(r, '  ')).toBe(true);
  });
});

describe('pageOfSelection', () => {
  const ids = Array.from({ length: 120 }, (_, i) => `r${i}`);
  it('shows the page that holds the selected request', () => {
    expect(pageOfSelection(ids, 'r0', 50)).toBe(1);
    expect(pageOfSelection(ids, 'r49', 50)).toBe(1);
    expect(pageOfSelection(ids, 'r50', 50)).toBe(2);
    expect(pageOfSelection(ids, 'r119', 50)).toBe(3);
  });
  it('shows the first page with nothing selected or the selection gone', () => {
    expect(pageOfSelection(ids, null, 50)).toBe(1);
    expect(pageOfSelection(ids, 'sent-already', 50)).toBe(1);
    expect(pageOfSelection([], null, 50)).toBe(1);
  });
});
