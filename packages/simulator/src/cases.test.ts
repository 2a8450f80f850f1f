import { COUNTY_ACCEPT_WITHIN_MS, COUNTY_ANSWER_WITHIN_MS } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { caseShares, decisionFen, planAfterFreeze, planCountyTask, planFreeze, planRefreeze } from './cases';
import { countyPopulations } from './population';

const counties = new Set(countyPopulations().map((c) => c.code));
const N = 4000;
const share = (n: number) => n / N;

describe('the county tasks the robots work', () => {
  it('come from the seed and the fraud alone', () => {
    expect(planCountyTask(7, 12, 0, '520102', 1000)).toEqual(planCountyTask(7, 12, 0, '520102', 1000));
    const other = Array.from({ length: 20 }, (_, i) => planCountyTask(8, i, 0, '520102', 0).acceptAt);
    const same = Array.from({ length: 20 }, (_, i) => planCountyTask(7, i, 0, '520102', 0).acceptAt);
    expect(other).not.toEqual(same);
  });

  it('are mostly accepted and answered within the deadlines; a few transferred, a few left', () => {
    const plans = Array.from({ length: N }, (_, i) => planCountyTask('tasks', i, 0, '520102', 5_000));
    const fates = { worked: 0, transferred: 0, left: 0 };
    for (const p of plans) {
      fates[p.fate]++;
      expect(p.acceptAt).toBeGreaterThan(5_000);
      expect(p.acceptAt - 5_000).toBeLessThan(COUNTY_ACCEPT_WITHIN_MS);
      expect(p.contactAt).toBeGreaterThan(p.acceptAt);
      expect(p.answerAt).toBeGreaterThan(p.contactAt);
      expect(p.answerAt - 5_000).toBeLessThan(COUNTY_ANSWER_WITHIN_MS);
      expect(p.answer.length).toBeGreaterThanOrEqual(4);
      if (p.fate === 'transferred') {
        expect(p.transfer!.countyCode).not.toBe('520102');
        expect(counties.has(p.transfer!.countyCode)).toBe(true);
        expect(p.transfer!.reason).toContain(p.transfer!.countyLabel);
      } else expect(p.transfer).toBeUndefined();
    }
    expect(share(fates.left)).toBeCloseTo(caseShares.left, 1);
    expect(share(fates.transferred)).toBeCloseTo(caseShares.transferred, 1);
    expect(share(fates.worked)).toBeGreaterThan(0.8);
    const opened = plans.filter((p) => p.caseSerial !== undefined).length;
    expect(share(opened)).toBeCloseTo(caseShares.caseOpened, 1);
  });

  it('are never transferred twice', () => {
    for (let i = 0; i < 1000; i++) expect(planCountyTask(3, i, 1, '520102', 0).fate).not.toBe('transferred');
  });
});

describe('freezes, renewals, returns and releases', () => {
  it('freeze most stopped accounts long before the 48-hour lapse, never above the amount involved', () => {
    let frozen = 0;
    for (let i = 0; i < N; i++) {
      const p = planFreeze('freeze', `f${i}.t0`, 60_000, 50_000, 40_000);
      if (!p) continue;
      frozen++;
      expect(p.freezeAt).toBeGreaterThan(60_000);
      expect(p.freezeAt - 60_000).toBeLessThan(3_600_000);
      expect(p.amountFen).toBe(40_000);
    }
    expect(share(frozen)).toBeCloseTo(caseShares.frozen, 1);
  });

  it('send a failed freeze again before the lapse, at most three times, or leave the stop to lapse', () => {
    const lapsesAt = 48 * 3_600_000;
    let again = 0;
    for (let i = 0; i < N; i++) {
      const at = planRefreeze('refreeze', `f${i}.t0`, 1, 600_000, lapsesAt);
      if (at === undefined) continue;
      again++;
      expect(at).toBeGreaterThan(600_000);
      expect(at).toBeLessThan(lapsesAt - 12 * 3_600_000);
      expect(planRefreeze('refreeze', `f${i}.t0`, caseShares.freezeAttempts, at, lapsesAt)).toBeUndefined();
    }
    expect(share(again)).toBeCloseTo(caseShares.refrozen, 1);
    // Too close to the lapse for another try to be confirmed in time.
    expect(planRefreeze('refreeze', 'f1.t0', 1, lapsesAt - 3_600_000, lapsesAt)).toBeUndefined();
  });

  it('return some frozen money in full or in part, release some, renew a few', () => {
    const counts = { renewed: 0, returned: 0, inPart: 0, restReleased: 0, released: 0 };
    for (let i = 0; i < N; i++) {
      const p = planAfterFreeze('after', `f${i}.t0`);
      if (p.renewAfterMs !== undefined) counts.renewed++;
      const [first, second] = p.decisions;
      for (const d of p.decisions) {
        expect(d.share).toBeGreaterThan(0);
        expect(d.share).toBeLessThanOrEqual(1);
        expect(d.proposeAfterMs).toBeGreaterThan(0);
        expect(d.approveAfterMs).toBeGreaterThan(0);
      }
      if (first?.kind === 'return') {
        counts.returned++;
        if (first.share < 1) counts.inPart++;
        else expect(second).toBeUndefined();
        if (second) {
          expect(second).toMatchObject({ kind: 'release', share: 1 });
          counts.restReleased++;
        }
      } else if (first?.kind === 'release') {
        expect(first.share).toBe(1);
        counts.released++;
      }
    }
    expect(share(counts.renewed)).toBeCloseTo(caseShares.renewed, 1);
    expect(share(counts.returned)).toBeCloseTo(caseShares.returned, 1);
    expect(counts.inPart / counts.returned).toBeCloseTo(caseShares.returnedInPart, 1);
    expect(counts.restReleased / counts.inPart).toBeCloseTo(caseShares.restReleased, 1);
    expect(share(counts.released)).toBeCloseTo(caseShares.released, 1);
  });

  it('decide amounts that fit in what is frozen', () => {
    expect(decisionFen(1, 40_000)).toBe(40_000);
    expect(decisionFen(0.5, 40_001)).toBe(20_000);
    expect(decisionFen(0.5, 1)).toBe(1);
  });

  it('leave an account with nothing stopped alone, and decide by the seed and the account', () => {
    expect(planFreeze(1, 'f1.t0', 0, 0, 10_000)).toBeUndefined();
    expect(planFreeze(1, 'f1.t0.1', 5, 900, 1_000)).toEqual(planFreeze(1, 'f1.t0.1', 5, 900, 1_000));
    expect(planAfterFreeze(1, 'f1.t0.1')).toEqual(planAfterFreeze(1, 'f1.t0.1'));
  });
});
