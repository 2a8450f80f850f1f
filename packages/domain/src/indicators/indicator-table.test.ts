import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash64Hex, hash64Into } from './hash64';
import { IndicatorTable, NOT_FOUND } from './indicator-table';

describe('hash64', () => {
  it('is stable and spreads near-identical keys over all 64 bits', () => {
    expect(hash64Hex('phone:+8613800138000')).toBe(hash64Hex('phone:+8613800138000'));
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(hash64Hex(`phone:+86138${String(i).padStart(8, '0')}`));
    expect(seen.size).toBe(100_000);
  });

  it('changes about half the bits when one character changes', () => {
    const a = new Uint32Array(2);
    const b = new Uint32Array(2);
    let flipped = 0;
    const runs = 2_000;
    for (let i = 0; i < runs; i++) {
      hash64Into(`domain:evil${i}.com`, a);
      hash64Into(`domain:evil${i}.con`, b);
      for (const w of [0, 1]) {
        let x = a[w]! ^ b[w]!;
        while (x) {
          flipped += x & 1;
          x >>>= 1;
        }
      }
    }
    expect(flipped / runs).toBeGreaterThan(30);
    expect(flipped / runs).toBeLessThan(34);
  });
});

describe('IndicatorTable', () => {
  it('adds, finds and removes by key', () => {
    const t = new IndicatorTable();
    expect(t.add('phone:+8613800138000', 7)).toBe(true);
    expect(t.add('phone:+8613800138000', 7)).toBe(false);
    expect(t.find('phone:+8613800138000')).toBe(7);
    expect(t.find('account:+8613800138000')).toBe(NOT_FOUND);
    expect(t.remove('phone:+8613800138000', 7)).toBe(true);
    expect(t.remove('phone:+8613800138000', 7)).toBe(false);
    expect(t.find('phone:+8613800138000')).toBe(NOT_FOUND);
    expect(t.size).toBe(0);
  });

  it('keeps entries whose hashes land on the same slot, and finds each after deletes around them', () => {
    const t = new IndicatorTable();
    const cap = t.capacity;
    // Same low bits (same home slot) with different high words, and one wrapping past the end.
    for (let k = 0; k < 5; k++) t.addHash(k + 1, cap - 1, 100 + k);
    t.addHash(9, 2 * cap - 2, 200);
    for (let k = 0; k < 5; k++) expect(t.findHash(k + 1, cap - 1)).toBe(100 + k);
    expect(t.removeHash(1, cap - 1, 100)).toBe(true);
    expect(t.removeHash(3, cap - 1, 102)).toBe(true);
    for (const k of [1, 3, 4]) expect(t.findHash(k + 1, cap - 1)).toBe(100 + k);
    expect(t.findHash(1, cap - 1)).toBe(NOT_FOUND);
    expect(t.findHash(9, 2 * cap - 2)).toBe(200);
  });

  it('keeps two indicators that share a 64-bit hash, for the caller to tell apart', () => {
    const t = new IndicatorTable();
    t.addHash(5, 6, 1);
    t.addHash(5, 6, 2);
    expect(t.findAllHash(5, 6, []).sort()).toEqual([1, 2]);
    t.removeHash(5, 6, 1);
    expect(t.findAllHash(5, 6, [])).toEqual([2]);
  });

  it('takes only unsigned 32-bit ids, so no id can read as NOT_FOUND', () => {
    const t = new IndicatorTable();
    expect(() => t.add('phone:+8613800138000', -1)).toThrow(RangeError);
    expect(() => t.add('phone:+8613800138000', 2 ** 32)).toThrow(RangeError);
    expect(t.add('phone:+8613800138000', 2 ** 32 - 1)).toBe(true);
    expect(t.find('phone:+8613800138000')).toBe(2 ** 32 - 1);
  });

  it('stores the all-zero hash, which otherwise marks an empty slot', () => {
    const t = new IndicatorTable();
    expect(t.addHash(0, 0, 3)).toBe(true);
    expect(t.findHash(0, 0)).toBe(3);
    expect(t.removeHash(0, 0, 3)).toBe(true);
    expect(t.size).toBe(0);
  });

  it('grows past its first capacity and keeps every entry', () => {
    const t = new IndicatorTable();
    const first = t.capacity;
    for (let i = 0; i < 10_000; i++) t.add(`app:com.gang${i}.loan`, i);
    expect(t.capacity).toBeGreaterThan(first);
    expect(t.size).toBe(10_000);
    expect(t.size / t.capacity).toBeLessThanOrEqual(0.7);
    for (let i = 0; i < 10_000; i++) expect(t.find(`app:com.gang${i}.loan`)).toBe(i);
    expect(t.byteLength / t.size).toBeLessThanOrEqual(64);
  });

  it('looks up a batch as it looks up each key', () => {
    const t = new IndicatorTable();
    for (let i = 0; i < 500; i++) t.add(`phone:+86139${i}`, i * 3);
    const keys = Array.from({ length: 1000 }, (_, i) => `phone:+86139${i}`);
    const out = new Float64Array(keys.length);
    t.findMany(keys, out);
    expect([...out]).toEqual(keys.map((k) => t.find(k)));
    expect(out[499]).toBe(1497);
    expect(out[500]).toBe(NOT_FOUND);
  });

  it('sizes itself for an expected count without growing', () => {
    const t = new IndicatorTable(1_000);
    const capacity = t.capacity;
    for (let i = 0; i < 1_000; i++) t.add(`phone:+86139${i}`, i);
    expect(t.capacity).toBe(capacity);
  });

  it('answers like a Map under any sequence of adds and removes', () => {
    // Few distinct keys and small hashes, so that runs, wrap-around and backward shifts all happen.
    const op = fc.record({
      add: fc.boolean(),
      hi: fc.integer({ min: 0, max: 3 }),
      lo: fc.integer({ min: 0, max: 40 }),
      id: fc.integer({ min: 0, max: 2 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const t = new IndicatorTable();
        const ref = new Map<string, Set<number>>();
        for (const o of ops) {
          // The all-zero hash is stored as (0, 1): the two share a slot key, as two keys sharing a hash do.
          const k = o.hi === 0 && o.lo === 0 ? '0/1' : `${o.hi}/${o.lo}`;
          const ids = ref.get(k) ?? new Set<number>();
          if (o.add) {
            expect(t.addHash(o.hi, o.lo, o.id)).toBe(!ids.has(o.id));
            ids.add(o.id);
          } else {
            expect(t.removeHash(o.hi, o.lo, o.id)).toBe(ids.has(o.id));
            ids.delete(o.id);
          }
          ref.set(k, ids);
        }
        let total = 0;
        for (const [k, ids] of ref) {
          const [hi, lo] = k.split('/').map(Number) as [number, number];
          expect(t.findAllHash(hi, lo, []).sort()).toEqual([...ids].sort());
          expect(t.findHash(hi, lo) === NOT_FOUND).toBe(ids.size === 0);
          total += ids.size;
        }
        expect(t.size).toBe(total);
      }),
      { numRuns: 500 },
    );
  });
});
