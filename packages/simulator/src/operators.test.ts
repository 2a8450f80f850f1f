import { SignalBatch, signalKinds } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { indicatorsOf } from './indicators';
import { makeSignalBatch } from './operators';

const feed = { seed: 21, runTag: 'r1', gangs: 16, fraudShare: 0.2 };
const at = new Date('2026-11-28T08:00:00Z');

describe("operators' signals", () => {
  it('are batches the contract accepts, for every kind', () => {
    for (const kind of signalKinds) {
      const batch = makeSignalBatch(feed, kind, 0, 500, at);
      expect(() => SignalBatch.parse(batch)).not.toThrow();
      expect(batch.signals).toHaveLength(500);
      expect(new Set(batch.signals.map((s) => s.id)).size).toBe(500);
    }
  });

  it("carry the gangs' numbers, domains and apps in about the asked share", () => {
    const phones = new Set(Array.from({ length: 16 }, (_, g) => indicatorsOf(21, g).phones).flat());
    const batch = makeSignalBatch(feed, 'call', 1, 2_000, at);
    if (batch.kind !== 'call') throw new Error('a call batch');
    const share = batch.signals.filter((s) => phones.has(s.from)).length / 2_000;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
  });

  it('are the same for the same seed and batch', () => {
    expect(makeSignalBatch(feed, 'url', 3, 50, at)).toEqual(makeSignalBatch(feed, 'url', 3, 50, at));
    expect(makeSignalBatch(feed, 'url', 3, 50, at)).not.toEqual(makeSignalBatch(feed, 'url', 4, 50, at));
  });
});
