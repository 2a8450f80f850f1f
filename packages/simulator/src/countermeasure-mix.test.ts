import { CountermeasureAnswer, CountermeasureRequest } from '@fanzha/contracts';
import { defaultCountermeasureSlaHours, normaliseIndicator, validateMobile } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import {
  gangTargets,
  isLiftedLater,
  isPortedAway,
  isSubscriberOf,
  planPartyAnswer,
  planRequestBatch,
  type CountermeasureTarget,
} from './countermeasure-mix';
import { createMuleNetwork } from './mules';

const mules = createMuleNetwork(7);
const targetsOf = (gang: number) => gangTargets(7, gang, mules, 10);
const all = Array.from({ length: 16 }, (_, g) => targetsOf(g)).flat();

describe('what the analyst asks for', () => {
  it('asks what the server takes: normal values, a party of the right sort, batches it accepts', () => {
    for (const t of all) {
      const kind = {
        block_phone: 'phone',
        takedown_url: 'domain',
        block_app: 'app',
        restrict_account: 'account',
      };
      expect(normaliseIndicator(kind[t.kind] as 'phone', t.value).ok, `${t.kind} ${t.value}`).toBe(true);
      if (t.kind === 'block_phone') {
        // At the issuing operator, as the number's segment says.
        const m = validateMobile(t.value);
        expect(m.ok && m.value.carrier).toBe(t.partyCode);
      }
    }
    expect(new Set(all.map((t) => t.kind))).toEqual(
      new Set(['block_phone', 'takedown_url', 'block_app', 'restrict_account']),
    );
    for (let i = 0; i < 200; i++) {
      const items = planRequestBatch(7, i, targetsOf, 16);
      expect(items.length).toBeGreaterThan(0);
      expect(() => CountermeasureRequest.parse({ items })).not.toThrow();
      expect(new Set(items.map((t) => `${t.kind}|${t.value}`)).size).toBe(items.length);
    }
  });

  it('is the same for the same seed and batch', () => {
    expect(planRequestBatch(7, 3, targetsOf, 16)).toEqual(planRequestBatch(7, 3, targetsOf, 16));
    expect(gangTargets(7, 2, mules, 10)).toEqual(gangTargets(7, 2, createMuleNetwork(7), 10));
  });
});

describe('how the parties answer', () => {
  const plans = all.map((t) => ({ t, p: planPartyAnswer(7, t) }));
  const refused = (p: (typeof plans)[number]) => p.p.answer.answer === 'refused';

  it('executes most, refuses a realistic share, each answer as the contract asks', () => {
    for (const { p } of plans) expect(() => CountermeasureAnswer.parse(p.answer)).not.toThrow();
    const share = plans.filter(refused).length / plans.length;
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.25);
    const reasons = new Set(plans.filter(refused).map((p) => p.p.answer.refusalReason));
    expect(reasons).toContain('insufficient_grounds');
    expect(reasons).toContain('already_done');
  });

  it("refuses a number that is not the operator's subscriber, and only then not_our_subscriber", () => {
    const phone = all.find((t) => t.kind === 'block_phone')!;
    const other = ['china_mobile', 'china_unicom', 'china_telecom'].find((o) => o !== phone.partyCode)!;
    expect(planPartyAnswer(7, { ...phone, partyCode: other }).answer).toMatchObject({
      answer: 'refused',
      refusalReason: 'not_our_subscriber',
    });
    for (const { t, p } of plans)
      if (p.answer.refusalReason === 'not_our_subscriber') {
        expect(t.kind).toBe('block_phone');
        expect(isSubscriberOf(7, t.value, t.partyCode)).toBe(false);
        expect(isPortedAway(7, t.value)).toBe(true);
      }
    // The seed's numbers include some ported away.
    expect(plans.some((p) => p.p.answer.refusalReason === 'not_our_subscriber')).toBe(true);
  });

  it('acknowledges in seconds and answers in minutes, within half the SLA', () => {
    for (const { t, p } of plans) {
      expect(p.acknowledgeAfterMs).toBeGreaterThanOrEqual(5_000);
      expect(p.acknowledgeAfterMs).toBeLessThanOrEqual(180_000);
      expect(p.answerAfterMs).toBeGreaterThan(p.acknowledgeAfterMs);
      expect(p.answerAfterMs - p.acknowledgeAfterMs).toBeLessThanOrEqual(
        (defaultCountermeasureSlaHours[t.kind] * 3_600_000) / 2,
      );
    }
  });

  it('is the same answer for the same request, whatever its id', () => {
    const t: CountermeasureTarget = all[5]!;
    expect(planPartyAnswer(7, t)).toEqual(planPartyAnswer(7, { ...t }));
  });

  it('lifts a few number blocks later, nothing else', () => {
    const lifted = all.filter((t) => isLiftedLater(7, t));
    expect(lifted.every((t) => t.kind === 'block_phone')).toBe(true);
    expect(lifted.length).toBeLessThan(all.filter((t) => t.kind === 'block_phone').length / 4);
  });
});
