import { describe, expect, it } from 'vitest';
import {
  indicatorKindOfLookup,
  lookupKinds,
  normaliseLookup,
  publicRiskAdvice,
  publicRiskLevels,
  publicRiskOf,
  type PublicRiskRecord,
} from './public-risk';

const now = new Date('2026-05-01T08:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const record = (r: Partial<PublicRiskRecord>): PublicRiskRecord => ({
  status: 'active',
  reportCount: 1,
  answerCount: 0,
  lossFen: 100_000,
  lastReportedAt: daysAgo(30),
  ...r,
});

describe('publicRiskOf', () => {
  it('says no record for a value the registry does not hold', () => {
    expect(publicRiskOf(undefined, now)).toEqual({ level: 'no_record', reason: 'not_found' });
  });

  it('says high risk for an active indicator of high risk, suspicious for any other active one', () => {
    expect(publicRiskOf(record({ reportCount: 3 }), now)).toEqual({
      level: 'high_risk',
      reason: 'reported_high_risk',
    });
    expect(publicRiskOf(record({ lossFen: 10_000_000 }), now).level).toBe('high_risk');
    expect(publicRiskOf(record({}), now)).toEqual({ level: 'suspicious', reason: 'reported' });
    expect(publicRiskOf(record({ reportCount: 2 }), now).level).toBe('suspicious');
    // A mule account a bank's answer named, though no report did.
    expect(
      publicRiskOf(record({ reportCount: 0, answerCount: 1, lossFen: 0, lastReportedAt: null }), now).level,
    ).toBe('suspicious');
  });

  it('judges the risk at the time of the lookup: a high one not reported for 180 days is suspicious', () => {
    expect(publicRiskOf(record({ reportCount: 3, lastReportedAt: daysAgo(181) }), now)).toEqual({
      level: 'suspicious',
      reason: 'reported',
    });
  });

  it('never says high risk for a shared, reassigned or cleared value, however often it was reported', () => {
    const many = { reportCount: 500, lossFen: 900_000_000, lastReportedAt: daysAgo(1) };
    expect(publicRiskOf(record({ ...many, status: 'shared' }), now)).toEqual({
      level: 'suspicious',
      reason: 'shared_value',
    });
    expect(publicRiskOf(record({ ...many, status: 'suspended' }), now)).toEqual({
      level: 'no_record',
      reason: 'reassigned',
    });
    expect(publicRiskOf(record({ ...many, status: 'not_fraud' }), now)).toEqual({
      level: 'no_record',
      reason: 'cleared',
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
