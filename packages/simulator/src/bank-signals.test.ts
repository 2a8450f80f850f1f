import { BankSignalBatchRequest, BankTransferSignal } from '@fanzha/contracts';
import { validateIdNumber } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { makeBankSignalBatch, type BankSignalOptions } from './bank-signals';
import { createMuleNetwork, defaultMuleNetwork } from './mules';

const mules = createMuleNetwork(21, defaultMuleNetwork);
const feed: BankSignalOptions = {
  seed: 21,
  runTag: 'r1',
  fraudShare: 0.2,
  mules,
  layerOneCards: defaultMuleNetwork.poolSizes[0]!,
  today: new Date('2026-11-28T00:00:00Z'),
};
const at = new Date('2026-11-28T08:00:00Z');
const layerOne = new Set(
  Array.from({ length: defaultMuleNetwork.gangs }, (_, g) =>
    Array.from({ length: defaultMuleNetwork.poolSizes[0]! }, (_, i) => mules.account(g, 1, i).number),
  ).flat(),
);

describe("banks' transfer signals", () => {
  it('are requests the contract accepts, each signal valid, ids unique', () => {
    const batch = makeBankSignalBatch(feed, 'ABC', 0, 500, at);
    expect(() => BankSignalBatchRequest.parse(batch)).not.toThrow();
    for (const s of batch.signals) expect(() => BankTransferSignal.parse(s)).not.toThrow();
    expect(new Set(batch.signals.map((s) => s.id)).size).toBe(500);
  });

  it('name payers of the population: a valid ID number of a Guizhou county, and mostly a phone', () => {
    const { signals } = makeBankSignalBatch(feed, 'BOC', 1, 1_000, at);
    const ids = signals.map((s) => s.payer.idNumber).filter((id): id is string => id !== null);
    expect(ids.length).toBeGreaterThan(800);
    for (const id of ids) {
      expect(id.slice(0, 2)).toBe('52');
      expect(validateIdNumber(id, feed.today).ok, id).toBe(true);
    }
    expect(signals.filter((s) => s.payer.phone !== null).length).toBeGreaterThan(900);
  });

  it("send about the asked share to the gangs' layer-1 mule cards, and none with a share of 0", () => {
    const batch = makeBankSignalBatch(feed, 'CMB', 2, 2_000, at);
    const share = batch.signals.filter((s) => layerOne.has(s.payee.account)).length / 2_000;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    const none = makeBankSignalBatch({ ...feed, fraudShare: 0 }, 'CMB', 2, 2_000, at);
    expect(none.signals.filter((s) => layerOne.has(s.payee.account))).toHaveLength(0);
  });

  it('are the same for the same seed, bank and batch, and differ between banks', () => {
    expect(makeBankSignalBatch(feed, 'ABC', 3, 50, at)).toEqual(makeBankSignalBatch(feed, 'ABC', 3, 50, at));
    expect(makeBankSignalBatch(feed, 'ABC', 3, 50, at).signals[0]!.payee).not.toEqual(
      makeBankSignalBatch(feed, 'BOC', 3, 50, at).signals[0]!.payee,
    );
  });
});
