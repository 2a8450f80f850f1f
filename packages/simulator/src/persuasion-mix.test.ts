import { describe, expect, it } from 'vitest';
import { planPersuasion, signalKey } from './persuasion-mix';

const plans = Array.from({ length: 4_000 }, (_, i) => planPersuasion(5, `abc-${i}-0`));
const share = (p: (plan: (typeof plans)[number]) => boolean) => plans.filter(p).length / plans.length;
const last = (plan: (typeof plans)[number]) => plan.at(-1)!.action;

describe('the robot persuaders’ plans', () => {
  it('end every episode: a closing outcome, or a hold released', () => {
    for (const plan of plans) {
      const end = last(plan);
      expect(
        end.kind === 'release' ||
          (end.kind === 'outcome' && (end.outcome === 'persuaded' || end.outcome === 'already_paid')),
      ).toBe(true);
      for (const step of plan) expect(step.afterMs).toBeGreaterThan(0);
    }
  });

  it('mostly persuade; some not reached or busy, some refuse, a few already paid, a few held', () => {
    const firstIs = (o: string) =>
      share((p) => p[0]!.action.kind === 'outcome' && p[0]!.action.outcome === o);
    expect(firstIs('persuaded')).toBeGreaterThan(0.55);
    expect(firstIs('persuaded')).toBeLessThan(0.7);
    expect(firstIs('unreachable')).toBeGreaterThan(0.08);
    expect(firstIs('refuses')).toBeGreaterThan(0.06);
    expect(firstIs('line_busy')).toBeGreaterThan(0.06); // busy lines and those before a hold
    const paid = share((p) => {
      const e = last(p);
      return e.kind === 'outcome' && e.outcome === 'already_paid';
    });
    expect(paid).toBeGreaterThan(0.03);
    expect(paid).toBeLessThan(0.1);
    expect(share((p) => last(p).kind === 'release')).toBeGreaterThan(0.03);
    expect(share((p) => last(p).kind === 'release')).toBeLessThan(0.08);
  });

  it('request a hold only after the busy line (carrier assist and the visit), then approve, then release', () => {
    for (const plan of plans.filter((p) => last(p).kind === 'release'))
      expect(plan.map((s) => (s.action.kind === 'outcome' ? s.action.outcome : s.action.kind))).toEqual([
        'line_busy',
        'hold',
        'approve',
        'release',
      ]);
  });

  it('are the same for the same seed and signal, whatever the run', () => {
    expect(planPersuasion(5, 'abc-7-0')).toEqual(planPersuasion(5, 'abc-7-0'));
    expect(signalKey('r1a-abc-7-0', 'r1a')).toBe('abc-7-0');
    expect(signalKey('zz-abc-7-0', 'r1a')).toBeUndefined();
  });
});
