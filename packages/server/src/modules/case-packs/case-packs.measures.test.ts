import type { FreezeView, StopPaymentView } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { measuresOf } from './case-packs.measures';

const account = { number: '6217000000002222', name: '李某', bankCode: 'CCB', bankName: '建设银行' };
const request = (over: Partial<StopPaymentView>) =>
  ({
    id: 'sp',
    reportId: 'r1',
    reportNumber: 'BA1',
    layer: 2,
    account,
    amountFen: 6_000_000,
    status: 'stopped',
    legalDocNumber: 'GZ-ZF-0001',
    sentAt: '2026-05-01T01:00:00Z',
    stoppedAt: '2026-05-01T01:02:00Z',
    result: { outcome: 'stopped', stoppedFen: 5_500_000 },
    freeze: null,
    ...over,
  }) as StopPaymentView;
const decision = (
  kind: 'release' | 'return',
  status: string,
  amountFen: number,
  executedFen: number | null,
) => ({
  kind,
  status,
  amountFen,
  executedFen,
  decisionNumber: `D-${kind}-${status}`,
  proposedAt: '2026-05-02T01:00:00Z',
  decidedAt: null,
  confirmedAt: status === 'confirmed' ? '2026-05-03T01:00:00Z' : null,
});

describe('measures of a cluster', () => {
  it('one row per stop, freeze, release and return, with what the bank confirmed', () => {
    const freeze = {
      status: 'active',
      requestedFen: 5_500_000,
      amountFen: 4_300_000,
      decisionNumber: 'GZ-DJ-0001',
      startsAt: '2026-05-01T02:00:00Z',
      confirmedAt: '2026-05-01T02:05:00Z',
      decisions: [
        decision('return', 'confirmed', 1_200_000, 1_000_000),
        decision('release', 'proposed', 300_000, null),
        decision('return', 'rejected', 99, null),
      ],
    } as unknown as FreezeView;
    const rows = measuresOf([
      request({ freeze }),
      request({ status: 'pending', result: null }),
      request({
        status: 'failed',
        result: { outcome: 'failed', stoppedFen: 0 } as StopPaymentView['result'],
      }),
    ]);
    expect(rows.map((m) => [m.kind, m.status, m.requestedFen, m.effectiveFen, m.document])).toEqual([
      ['stop', '已止付', 6_000_000, 5_500_000, 'GZ-ZF-0001'],
      ['freeze', '冻结中', 5_500_000, 4_300_000, 'GZ-DJ-0001'],
      ['return', '银行已确认', 1_200_000, 1_000_000, 'D-return-confirmed'],
      ['release', '待审批', 300_000, 0, 'D-release-proposed'],
      ['stop', '未止付', 6_000_000, 0, 'GZ-ZF-0001'],
    ]);
    expect(rows[0]!.account).toEqual({
      key: 'CCB:6217000000002222',
      bankCode: 'CCB',
      bankName: '建设银行',
      number: '6217000000002222',
      holder: '李某',
    });
    expect(rows[2]!.at).toEqual(new Date('2026-05-03T01:00:00Z'));
  });
});
