import { describe, expect, it } from 'vitest';
import { pointSize, timelineOption, timelineRows } from './timeline';

const flow = (depth: number, at: string, tracedFen: number) => ({
  from: 'x',
  to: 'y',
  depth,
  at,
  transferFen: tracedFen,
  tracedFen,
});

describe('timeline', () => {
  it('has a row for the reports and one per layer the traced money reached', () => {
    const flows = [flow(2, '2026-12-04T02:00:00Z', 10), flow(1, '2026-12-04T01:00:00Z', 10), flow(4, 'x', 0)];
    expect(timelineRows(flows)).toEqual([1, 2]);
    const option = timelineOption(
      [
        {
          id: 'a',
          number: 'R-2',
          countyCode: null,
          fraudType: null,
          lossFen: 100,
          reportedAt: '2026-12-04T03:00:00Z',
        },
        {
          id: 'b',
          number: 'R-1',
          countyCode: null,
          fraudType: null,
          lossFen: 100,
          reportedAt: '2026-12-04T00:30:00Z',
        },
      ],
      flows,
      { reports: 'reports', layer: (n) => `L${n}`, amount: String, time: String },
    );
    expect((option.yAxis as { data: string[] }).data).toEqual(['reports', 'L1', 'L2']);
    const [reports, transfers] = option.series as { data: { value: [string, string] }[] }[];
    expect(reports!.data.map((d) => d.value)).toEqual([
      ['2026-12-04T00:30:00Z', 'reports'],
      ['2026-12-04T03:00:00Z', 'reports'],
    ]);
    expect(transfers!.data.map((d) => d.value[1])).toEqual(['L2', 'L1']);
  });

  it('sizes points by amount within readable bounds', () => {
    expect(pointSize(0)).toBe(6);
    expect(pointSize(100_00)).toBeLessThan(pointSize(1_000_000_00));
    expect(pointSize(10 ** 15)).toBe(36);
  });
});
