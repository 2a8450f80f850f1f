import type { PublicityBriefLine } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { briefChartOption, campaignKey, changeText } from './publicity';

const line = (reports: number, baseline: number): PublicityBriefLine => ({
  countyCode: '520102',
  countyName: '贵阳市南明区',
  fraudType: 'TASK_REBATE',
  ageBand: '18-25',
  reports,
  lossFen: 0,
  baseline,
  excess: reports - baseline,
  change: baseline === 0 ? null : (reports - baseline) / baseline,
  previous: [0, 0, 0, 0],
});

describe('publicity page logic', () => {
  it('writes changes as signed percentages, new without a baseline', () => {
    expect(changeText(9, '新')).toBe('+900%');
    expect(changeText(-0.25, '新')).toBe('-25%');
    expect(changeText(null, '新')).toBe('新');
  });
  it('keys a campaign by its brief line, so a second click is the same campaign', () => {
    expect(campaignKey('2026-11-30', line(5, 1))).toBe('brief:2026-11-30:520102:TASK_REBATE:18-25');
  });
  it('charts the top lines, largest at the top, baseline beside this week', () => {
    const option = briefChartOption([line(9, 1), line(5, 0.25)], (l) => `${l.reports}`, {
      reports: 'r',
      baseline: 'b',
    });
    expect(option.yAxis).toMatchObject({ data: ['5', '9'] });
    expect(option.series).toMatchObject([{ data: [0.3, 1] }, { data: [5, 9] }]);
  });
});
