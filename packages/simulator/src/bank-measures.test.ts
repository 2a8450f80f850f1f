import { MeasureConfirmationRequest } from '@fanzha/contracts';
import {
  holdConfirmationProblems,
  holdKinds,
  majorBanks,
  measureConfirmationProblems,
  measureKinds,
} from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import {
  confirmationBody,
  holdConfirmationBody,
  measureProfile,
  planConfirmation,
  planHoldConfirmation,
} from './bank-measures';

const banks = majorBanks.map((b) => b.code);
const N = 3000;

describe("the banks' confirmations of measures", () => {
  it('follow a style per bank drawn from the seed: some prompt, some slow, some strict', () => {
    expect(measureProfile(5, 'ICBC')).toEqual(measureProfile(5, 'ICBC'));
    const styles = new Set(banks.map((b) => measureProfile(5, b).style));
    expect(styles).toEqual(new Set(['prompt', 'slow', 'strict']));
    const bySeed = [1, 2, 3, 4].map((seed) => banks.map((b) => measureProfile(seed, b).style).join());
    expect(new Set(bySeed).size).toBeGreaterThan(1);
  });

  it('are decided by the seed, the bank and the identity alone', () => {
    const a = planConfirmation(7, 'CCB', 'freeze', 'f1.t0.freeze.1', 50_000);
    expect(planConfirmation(7, 'CCB', 'freeze', 'f1.t0.freeze.1', 50_000)).toEqual(a);
    expect(planConfirmation(7, 'CCB', 'freeze', 'f1.t0.freeze.1', 50_000, 3).delayMs).toBe(3 * a.delayMs);
    const attempts = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify(planConfirmation(7, 'CCB', 'freeze', `f1.t0.freeze.${i}`, 50_000)),
    );
    expect(new Set(attempts).size).toBeGreaterThan(1);
  });

  it('execute in full, in part or fail with a reason, each in the strict shape and by the rules', () => {
    const executedAt = new Date('2026-03-02T08:00:00Z');
    for (const kind of measureKinds) {
      const counts = { full: 0, partial: 0, failed: 0, late: 0 };
      for (let i = 0; i < N; i++) {
        const bank = banks[i % banks.length]!;
        const instructed = kind === 'freeze_renewal' || kind === 'stop_lapsed' ? null : 10_000 + i;
        const plan = planConfirmation(11, bank, kind, `f${i}.t0.${kind}.1`, instructed);
        const body = MeasureConfirmationRequest.parse(confirmationBody(kind, plan, executedAt));
        expect(measureConfirmationProblems(kind, instructed, body), `${kind} ${i}`).toEqual([]);
        expect(plan.delayMs).toBeGreaterThanOrEqual(10_000);
        expect(plan.delayMs).toBeLessThanOrEqual(6 * 3_600_000);
        if (body.outcome === 'failed') counts.failed++;
        else if (plan.isPartial) {
          counts.partial++;
          expect(body.amountFen).toBeLessThan(instructed!);
          expect(body.amountFen).toBeGreaterThan(0);
        } else counts.full++;
        if (plan.isLate) counts.late++;
        if (body.outcome === 'returned') expect(body.bankReference).toMatch(new RegExp(`^${bank}-RT-`));
      }
      // A lapse notice only asks the bank to lift the stop: it never fails.
      if (kind === 'stop_lapsed') expect(counts.failed).toBe(0);
      else expect(counts.failed / N).toBeGreaterThan(0.02);
      if (kind === 'freeze' || kind === 'release' || kind === 'return')
        expect(counts.partial / N).toBeGreaterThan(0.03);
      else expect(counts.partial).toBe(0);
      expect(counts.late > 0).toBe(kind === 'return');
      expect(counts.full / N).toBeGreaterThan(0.7);
    }
  });

  it('never execute part of a single fen', () => {
    for (let i = 0; i < 500; i++) {
      const plan = planConfirmation(3, 'ABC', 'release', `f${i}.release.1`, 1);
      if (plan.outcome === 'executed') expect(plan.amountFen).toBe(1);
    }
  });
});

describe("the person's bank and a protective hold", () => {
  it('holds most, refuses a few as no such customer, always lifts a release: each answer valid', () => {
    const executedAt = new Date('2026-03-02T08:00:00Z');
    const plans = Array.from({ length: 400 }, (_, i) => planHoldConfirmation(9, 'protective_hold', `h-${i}`));
    const refused = plans.filter((p) => p.outcome === 'failed').length;
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(80);
    for (const p of plans) expect(p.delayMs).toBeGreaterThanOrEqual(5_000);
    expect(planHoldConfirmation(9, 'protective_hold', 'h-1')).toEqual(plans[1]);
    for (let i = 0; i < 100; i++)
      expect(planHoldConfirmation(9, 'protective_hold_release', `r-${i}`).outcome).toBe('executed');
    for (const kind of holdKinds)
      for (const outcome of ['executed', 'failed'] as const) {
        const body = MeasureConfirmationRequest.parse(holdConfirmationBody(kind, outcome, executedAt));
        expect(holdConfirmationProblems(kind, body)).toEqual([]);
      }
    expect(holdConfirmationBody('protective_hold', 'executed', executedAt).outcome).toBe('held');
    expect(holdConfirmationBody('protective_hold_release', 'executed', executedAt).outcome).toBe('lifted');
  });
});
