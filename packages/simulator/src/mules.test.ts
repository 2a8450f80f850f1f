import { validateBankCard } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { createMuleNetwork, parcelsOf, type Parcel, type UsedCards } from './mules';
import { rngFor } from './rng';

const MINUTE = 60_000;

function trail(seed: number, id: string, gang = 0, depth = 4, used: UsedCards = new Map()) {
  const mules = createMuleNetwork(seed);
  const rng = rngFor(seed, 'test', id);
  const [account] = mules.distinctAccounts(rng, gang, 1, 1, used);
  return mules.flow({
    id,
    gang,
    depth,
    layer: 1,
    account: account!,
    amountFen: 5_000_000,
    arrivedAt: 0,
    used,
  });
}

describe('the mule network', () => {
  it('moves money on without making any: onward transfers and cash-out never exceed what arrived', () => {
    for (let i = 0; i < 150; i++)
      for (const p of parcelsOf(trail(1, `f${i}.t0`))) {
        const out = p.onward.reduce((s, c) => s + c.amountFen, 0) + (p.cashOut?.amountFen ?? 0);
        expect(out).toBeLessThanOrEqual(p.amountFen);
        expect(p.amountFen).toBeGreaterThan(0);
        expect(p.amountFen % 100).toBe(0);
      }
  });

  it('goes through 1–4 layers, forward in time, within minutes per hop', () => {
    let deepest = 0;
    for (let i = 0; i < 300; i++) {
      const check = (p: Parcel) => {
        deepest = Math.max(deepest, p.layer);
        expect(p.layer).toBeLessThanOrEqual(4);
        for (const c of p.onward) {
          expect(c.layer).toBe(p.layer + 1);
          expect(c.arrivedAt).toBeGreaterThan(p.arrivedAt);
          expect(c.arrivedAt - p.arrivedAt).toBeLessThanOrEqual(60 * MINUTE);
          check(c);
        }
      };
      check(trail(2, `f${i}.t0`));
    }
    expect(deepest).toBe(4);
  });

  it('splits over several cards at several banks, never the same card twice in one case', () => {
    let splits = 0;
    const banks = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const used: UsedCards = new Map();
      const roots = [trail(3, `f${i}.t0`, 0, 4, used), trail(3, `f${i}.t1`, 0, 4, used)];
      const cards = roots.flatMap((r) => [...parcelsOf(r)].map((p) => p.account.number));
      expect(new Set(cards).size).toBe(cards.length);
      for (const p of roots.flatMap((r) => [...parcelsOf(r)])) {
        if (p.onward.length > 1) splits++;
        banks.add(p.account.bankCode);
        const v = validateBankCard(p.account.number);
        expect(v.ok && v.value.bankCode === p.account.bankCode).toBe(true);
      }
    }
    expect(splits).toBeGreaterThan(100);
    expect(banks.size).toBeGreaterThan(12);
  });

  it("reuses a gang's cards across cases, so money of many victims merges and reports link up", () => {
    const cardsOf = (i: number) =>
      new Set([...parcelsOf(trail(4, `f${i}.t0`, 5))].map((p) => p.account.number));
    const seen = new Map<string, number>();
    for (let i = 0; i < 100; i++) for (const c of cardsOf(i)) seen.set(c, (seen.get(c) ?? 0) + 1);
    expect([...seen.values()].filter((n) => n > 1).length).toBeGreaterThan(20);
    // Another gang has cards of its own.
    const other = new Set([...parcelsOf(trail(4, 'f0.t0', 6))].map((p) => p.account.number));
    expect([...other].some((c) => seen.has(c))).toBe(false);
  });

  it('is the same trail for the same seed, another for another seed', () => {
    const strip = (p: Parcel): unknown => ({ ...p, onward: p.onward.map(strip) });
    expect(strip(trail(5, 'f1.t0'))).toEqual(strip(trail(5, 'f1.t0')));
    expect(strip(trail(5, 'f1.t0'))).not.toEqual(strip(trail(6, 'f1.t0')));
  });
});
