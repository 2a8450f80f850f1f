import { guizhouShapes, SHAPE_STEPS } from './guizhou-shapes';

/** The ECharts map name of Guizhou by county; its regions are named by GB/T 2260 code. */
export const GUIZHOU_MAP = 'guizhou-counties';

type Position = [number, number];

export interface CountyFeature {
  type: 'Feature';
  properties: { name: string };
  geometry: { type: 'MultiPolygon'; coordinates: Position[][][] };
}

export interface CountyCollection {
  type: 'FeatureCollection';
  features: CountyFeature[];
}

/** "x,y dx,dy …" in steps of 1/steps degree → [longitude, latitude] points. */
export function decodeRing(ring: string, steps = SHAPE_STEPS): Position[] {
  let x = 0;
  let y = 0;
  return ring.split(' ').map((pair) => {
    const [dx = 0, dy = 0] = pair.split(',').map(Number);
    x += dx;
    y += dy;
    return [x / steps, y / steps];
  });
}

let decoded: CountyCollection | undefined;

/** The 88 county-level units as GeoJSON, decoded once. */
export function guizhouCounties(): CountyCollection {
  decoded ??= {
    type: 'FeatureCollection',
    features: guizhouShapes.map(([code, polygons]) => ({
      type: 'Feature',
      properties: { name: code },
      geometry: {
        type: 'MultiPolygon',
        coordinates: polygons.map((rings) => rings.map((r) => decodeRing(r))),
      },
    })),
  };
  return decoded;
}
