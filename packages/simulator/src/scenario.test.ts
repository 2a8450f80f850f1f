import { IntakeReportInput } from '@fanzha/contracts';
import {
  suggestFraudType,
  validateBankCard,
  validateIdNumber,
  validateMobile,
  validateUrl,
} from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { draftAt } from './call-taker';
import { createMuleNetwork, parcelsOf } from './mules';
import { makeFraud, nextArrival, type ScenarioContext } from './scenario';

const today = new Date('2026-11-28T00:00:00Z');
const context = (seed: number, runTag = 'a', intake: 'typing' | 'batch' = 'typing'): ScenarioContext => ({
  seed,
  runTag,
  mules: createMuleNetwork(seed),
  intake,
  today,
});
const iso = (at: number) => new Date(today.getTime() + at).toISOString();
const strip = (f: ReturnType<typeof makeFraud>) => JSON.parse(JSON.stringify(f)) as unknown;

describe('a fraud and its report', () => {
  it('is decided by seed and index alone', () => {
    const a = context(11);
    const b = context(11);
    // b makes other frauds first: fraud 7 must not notice.
    for (let i = 0; i < 5; i++) makeFraud(b, 100 + i, i * 1000);
    expect(strip(makeFraud(a, 7, 60_000))).toEqual(strip(makeFraud(b, 7, 60_000)));
    expect(strip(makeFraud(a, 7, 60_000))).not.toEqual(strip(makeFraud(context(12), 7, 60_000)));
  });

  it('gets a report id per run tag: the same fraud filed twice on one server is two reports', () => {
    expect(makeFraud(context(11, 'a'), 3, 0).reportId).not.toBe(makeFraud(context(11, 'b'), 3, 0).reportId);
    expect(makeFraud(context(11, 'a'), 3, 0).reportId).toBe(makeFraud(context(11, 'a'), 3, 0).reportId);
  });

  it('makes a complete report that passes intake’s checks', () => {
    const ctx = context(13);
    for (let i = 0; i < 200; i++) {
      const f = makeFraud(ctx, i, i * 5_000);
      const whole = { id: f.reportId, ...draftAt(f, f.transfers.length + 1, iso) };
      expect(() => IntakeReportInput.parse(whole)).not.toThrow();
      expect(validateIdNumber(f.victim.idNumber, today).ok).toBe(true);
      expect(validateMobile(f.victim.phone).ok).toBe(true);
      for (const t of f.transfers) expect(validateBankCard(t.parcel.account.number).ok).toBe(true);
      for (const c of f.contacts.filter((c) => c.kind === 'url')) expect(validateUrl(c.value).ok).toBe(true);
      if (f.profile.code !== 'OTHER') expect(suggestFraudType(f.narrative)?.code).toBe(f.profile.code);
      expect(f.transfers.reduce((s, t) => s + t.amountFen, 0)).toBe(f.lossFen);
    }
  });

  it('happens in order: payments before the call, autosaves after it, the desk after each push', () => {
    const ctx = context(14);
    for (let i = 0; i < 200; i++) {
      const f = makeFraud(ctx, i, 1_000_000);
      for (const t of f.transfers) {
        expect(t.at).toBeLessThan(f.filedAt);
        expect(t.pushAt).toBeGreaterThan(f.filedAt);
        expect(t.sendAt).toBeGreaterThan(t.pushAt);
        for (const p of parcelsOf(t.parcel)) expect(p.arrivedAt).toBeGreaterThanOrEqual(t.at);
      }
      expect([...f.savesAt].sort((a, b) => a - b)).toEqual(f.savesAt);
      expect(f.submitAt).toBeGreaterThan(f.savesAt.at(-1)!);
      expect(new Set(f.transfers.map((t) => t.parcel.account.number)).size).toBe(f.transfers.length);
    }
  });

  it('types the report in stages: name and phone, each payment, then the rest', () => {
    const f = makeFraud(context(15), 1, 0);
    expect(draftAt(f, 0, iso).transfers).toHaveLength(0);
    expect(draftAt(f, 1, iso).transfers).toHaveLength(1);
    expect(draftAt(f, 1, iso).fraudType).toBeUndefined();
    expect(draftAt(f, f.transfers.length + 1, iso).fraudType).toBe(f.profile.code);
  });

  it('rings calls at a Poisson rate, each gap from its own stream', () => {
    let at = 0;
    const times: number[] = [];
    for (let i = 0; i < 5_000; i++) times.push((at = nextArrival(16, i, at, 60)));
    expect(at / 5_000).toBeGreaterThan(900); // about one a second
    expect(at / 5_000).toBeLessThan(1_100);
    expect(nextArrival(16, 10, 0, 60)).toBe(nextArrival(16, 10, 0, 60));
  });
});
