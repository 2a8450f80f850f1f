import { fraudTypeCodes, suggestFraudType } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { fraudProfiles, meanLossYuan, pickFraudProfile } from './fraud-mix';
import { rngFor } from './rng';

describe('the fraud mix', () => {
  const byCode = new Map(fraudProfiles.map((p) => [p.code, p]));

  it('has every fraud type once, with shares that add up to 1', () => {
    expect(fraudProfiles.map((p) => p.code).sort()).toEqual([...fraudTypeCodes].sort());
    expect(fraudProfiles.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1, 6);
  });

  it('keeps to the published facts', () => {
    // About a third of cases are order-brushing rebates; the ten common types are 88.4 % of cases.
    expect(byCode.get('TASK_REBATE')!.share).toBeGreaterThan(0.28);
    expect(byCode.get('TASK_REBATE')!.share).toBeLessThan(0.36);
    expect(byCode.get('OTHER')!.share).toBeCloseTo(1 - 0.884, 2);
    // Fake investment has the highest loss per case; rebates the largest total loss.
    const perCase = [...fraudProfiles].sort((a, b) => meanLossYuan(b) - meanLossYuan(a));
    expect(perCase[0]!.code).toBe('FAKE_INVESTMENT');
    const total = [...fraudProfiles].sort((a, b) => b.share * meanLossYuan(b) - a.share * meanLossYuan(a));
    expect(total[0]!.code).toBe('TASK_REBATE');
    // Fake shopping / service is third by count among the named types.
    const byShare = fraudProfiles.filter((p) => p.code !== 'OTHER').sort((a, b) => b.share - a.share);
    expect(byShare.slice(0, 3).map((p) => p.code)).toContain('FAKE_SHOPPING_SERVICE');
  });

  it('tells each story so that intake suggests its type', () => {
    for (const p of fraudProfiles.filter((p) => p.code !== 'OTHER'))
      expect(suggestFraudType(p.story)?.code, p.code).toBe(p.code);
  });

  it('draws types in their proportions', () => {
    const rng = rngFor('mix');
    const n = 40_000;
    const rebates = Array.from({ length: n }, () => pickFraudProfile(rng)).filter(
      (p) => p.code === 'TASK_REBATE',
    ).length;
    expect(rebates / n).toBeCloseTo(0.3, 1);
  });
});
