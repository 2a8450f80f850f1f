import { listCounties } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { decodeRing, guizhouCounties } from './guizhou-geo';

describe('the Guizhou county map', () => {
  it('decodes delta-encoded rings', () => {
    expect(decodeRing('53371,13233 1,-1 0,2', 500)).toEqual([
      [106.742, 26.466],
      [106.744, 26.464],
      [106.744, 26.468],
    ]);
  });

  it('has one shape for every county-level unit, by GB/T 2260 code, inside Guizhou', () => {
    const map = guizhouCounties();
    expect(map.features.map((f) => f.properties.name).sort()).toEqual(
      listCounties()
        .map((c) => c.code)
        .sort(),
    );
    const points = map.features.flatMap((f) => f.geometry.coordinates.flat(2));
    const xs = points.map(([x]) => x);
    const ys = points.map(([, y]) => y);
    expect([Math.min(...xs), Math.max(...xs)]).toEqual([expect.closeTo(103.6, 0), expect.closeTo(109.6, 0)]);
    expect([Math.min(...ys), Math.max(...ys)]).toEqual([expect.closeTo(24.6, 0), expect.closeTo(29.2, 0)]);
  });
});
