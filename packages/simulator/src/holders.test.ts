import { listCounties, normaliseHolderIdNumber, validateIdNumber } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { createMuleNetwork, defaultMuleNetwork } from './mules';

const today = new Date('2026-12-04T00:00:00Z');
const guizhouCounties = new Set(listCounties().map((c) => c.code));

/** Every card of every gang of the default network, with its holder. */
function allCards(seed: number) {
  const mules = createMuleNetwork(seed);
  return Array.from({ length: defaultMuleNetwork.gangs }, (_, gang) =>
    defaultMuleNetwork.poolSizes.flatMap((size, l) =>
      Array.from({ length: size }, (_, index) => mules.account(gang, l + 1, index)),
    ),
  ).flat();
}

describe('the holders of the mule cards', () => {
  it('have valid resident ID numbers of a Guizhou county, adults, named as the bank has them', () => {
    for (const card of allCards(5)) {
      const id = validateIdNumber(card.holderIdNumber, today);
      expect(id.ok, card.holderIdNumber).toBe(true);
      if (!id.ok) continue;
      expect(normaliseHolderIdNumber(card.holderIdNumber, today)).toEqual({
        ok: true,
        value: card.holderIdNumber,
      });
      expect(guizhouCounties.has(id.value.regionCode), id.value.regionCode).toBe(true);
      expect(id.value.birthDate <= '2006-12-31').toBe(true);
      expect(id.value.birthDate >= '1960-01-01').toBe(true);
      expect(card.name.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('are the same for the same card in every run, whatever was drawn before', () => {
    const a = createMuleNetwork(5);
    const b = createMuleNetwork(5);
    for (let i = 0; i < 30; i++) b.account(3, 2, i);
    expect(a.account(3, 2, 7)).toEqual(b.account(3, 2, 7));
    expect(a.account(3, 2, 7).holderIdNumber).not.toBe(createMuleNetwork(6).account(3, 2, 7).holderIdNumber);
  });

  it('sold one card mostly, some several, at more than one bank', () => {
    const cards = allCards(5);
    const byHolder = new Map<string, typeof cards>();
    for (const c of cards) byHolder.set(c.holderIdNumber, [...(byHolder.get(c.holderIdNumber) ?? []), c]);
    const several = [...byHolder.values()].filter((list) => list.length > 1);
    // About a third of the cards belong to sellers of several, two or three cards each.
    const cardsOfSeveral = several.reduce((s, list) => s + list.length, 0);
    expect(cardsOfSeveral / cards.length).toBeGreaterThan(0.25);
    expect(cardsOfSeveral / cards.length).toBeLessThan(0.45);
    expect(several.filter((list) => new Set(list.map((c) => c.bankCode)).size > 1).length).toBeGreaterThan(
      several.length / 2,
    );
    // A person is one name.
    for (const list of several) expect(new Set(list.map((c) => c.name)).size).toBe(1);
  });
});
