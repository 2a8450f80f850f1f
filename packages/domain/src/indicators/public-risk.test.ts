import { describe, expect, it } from 'vitest';
import {
  indicatorKindOfLookup,
  lookupKinds,
  normaliseLookup,
  publicRiskAdvice,
  publicRiskLevels,
  publicRiskOf,
  registryLevelAt,
  type PublicRiskRecord,
} from './public-risk';
import { nextRegradeAt, riskLevelOfScore } from './indicator-score';

const now = new Date('2026-05-01T08:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const HALF_LIFE = 90;
/**
 * An active indicator scored `score` at `at` (30 days ago unless said), its level and next drop written as
 * the registry writes them with the half-life given.
 */
const record = (r: {
  status?: PublicRiskRecord['status'];
  score?: number;
  at?: Date | null;
  halfLife?: number;
}): PublicRiskRecord => {
  const score = { score: r.score ?? 12, at: r.at === undefined ? daysAgo(30) : r.at };
  return {
    status: r.status ?? 'active',
    level: riskLevelOfScore(score.score),
    score,
    regradeAt: nextRegradeAt(score, r.halfLife ?? HALF_LIFE),
  };
};

describe('publicRiskOf', () => {
  it('says no record for a value the registry does not hold', () => {
    expect(publicRiskOf(undefined, now, HALF_LIFE)).toEqual({ level: 'no_record', reason: 'not_found' });
  });

  it('says high risk for an active indicator whose score is high now, suspicious for any other active one', () => {
    expect(publicRiskOf(record({ score: 36, at: now }), now, HALF_LIFE)).toEqual({
      level: 'high_risk',
      reason: 'reported_high_risk',
    });
    expect(publicRiskOf(record({ score: 12, at: now }), now, HALF_LIFE)).toEqual({
      level: 'suspicious',
      reason: 'reported',
    });
    // Faded to low, or never scored (counted before the score existed, not yet graded): still on record.
    expect(publicRiskOf(record({ score: 1 }), now, HALF_LIFE).level).toBe('suspicious');
    expect(publicRiskOf(record({ score: 0, at: null }), now, HALF_LIFE).level).toBe('suspicious');
    // A partner's high risk, imported: the registry's level, which no score drop is due to lower.
    const imported = {
      status: 'active',
      level: 'high',
      score: { score: 0, at: null },
      regradeAt: null,
    } as const;
    expect(publicRiskOf(imported, now, HALF_LIFE).level).toBe('high_risk');
  });

  it('decays the score to the moment of the lookup with the half-life: high drops to suspicious', () => {
    // 36 · 0.5^(30/90) ≈ 28.6: below 30 after 30 days with a 90-day half-life, still 30+ with a 365-day one.
    const once = record({ score: 36, at: daysAgo(30) });
    expect(publicRiskOf(once, now, HALF_LIFE)).toEqual({ level: 'suspicious', reason: 'reported' });
    expect(publicRiskOf(record({ score: 36, at: daysAgo(30), halfLife: 365 }), now, 365).level).toBe(
      'high_risk',
    );
    // The registry's sweep may not have come by: the answer does not wait for it.
    expect(once.level).toBe('high');
    expect(registryLevelAt(once, now, HALF_LIFE)).toBe('medium');
    expect(registryLevelAt(record({ score: 12, at: daysAgo(30) }), now, HALF_LIFE)).toBe('low');
    // Seen again then: 28.6 + 12 at that time.
    expect(publicRiskOf(record({ score: 40.6, at: daysAgo(0) }), now, HALF_LIFE).level).toBe('high_risk');
  });

  it('never says high risk for a shared, reassigned, cleared or unresolved merged value, whatever its score', () => {
    const high = { score: 900, at: daysAgo(1) };
    expect(publicRiskOf(record({ ...high, status: 'shared' }), now, HALF_LIFE)).toEqual({
      level: 'suspicious',
      reason: 'shared_value',
    });
    expect(publicRiskOf(record({ ...high, status: 'suspended' }), now, HALF_LIFE)).toEqual({
      level: 'no_record',
      reason: 'reassigned',
    });
    expect(publicRiskOf(record({ ...high, status: 'not_fraud' }), now, HALF_LIFE)).toEqual({
      level: 'no_record',
      reason: 'cleared',
    });
    expect(publicRiskOf(record({ ...high, status: 'merged' }), now, HALF_LIFE)).toEqual({
      level: 'no_record',
      reason: 'not_found',
    });
  });
});

describe('normaliseLookup', () => {
  it('normalises as the registry does: E.164, registrable domain, account digits', () => {
    expect(normaliseLookup('phone', '138 0013 8000')).toEqual({ ok: true, value: '+8613800138000' });
    expect(normaliseLookup('url', 'HTTPS://pay.Evil-Shop.com.cn:8443/x?y=1')).toEqual({
      ok: true,
      value: 'evil-shop.com.cn',
    });
    expect(normaliseLookup('account', '1234 5678-9012')).toEqual({ ok: true, value: '123456789012' });
    expect(indicatorKindOfLookup('url')).toBe('domain');
    expect(lookupKinds.map(indicatorKindOfLookup)).toEqual(['phone', 'domain', 'account']);
  });

  it('refuses a wildcard or a partial value: there is no prefix search', () => {
    for (const [kind, value] of [
      ['phone', '138*'],
      ['phone', '+86138%'],
      ['phone', '1380013'],
      ['url', '*.evil.com'],
      ['account', '6222%'],
      ['account', '6222'],
    ] as const)
      expect(normaliseLookup(kind, value).ok, `${kind} ${value}`).toBe(false);
  });
});

describe('publicRiskAdvice', () => {
  it('tells every level what to do next in both languages, and no record never reads as safe', () => {
    for (const level of publicRiskLevels) {
      const advice = publicRiskAdvice[level];
      expect(advice.steps.length).toBeGreaterThanOrEqual(2);
      for (const text of [advice.headline, ...advice.steps]) {
        expect(text['zh-CN']).not.toBe('');
        expect(text.en).not.toBe('');
      }
      expect(advice.steps.some((s) => s['zh-CN'].includes('96110') && s.en.includes('96110'))).toBe(true);
    }
    expect(publicRiskAdvice.no_record.headline.en).toContain('No record does not mean safe');
    expect(publicRiskAdvice.no_record.headline['zh-CN']).toContain('没有记录不代表安全');
  });
});
