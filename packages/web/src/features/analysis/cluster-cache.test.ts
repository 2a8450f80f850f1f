import type { ClusterSummary } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { clusterMatches, upsertCluster } from './cluster-cache';

const cluster = (id: string, updatedAt: string, over: Partial<ClusterSummary> = {}): ClusterSummary => ({
  id,
  status: 'open',
  reportCount: 2,
  alertedAt: null,
  mergedInto: null,
  handOff: null,
  createdAt: '2026-12-04T00:00:00.000Z',
  updatedAt: `2026-12-04T${updatedAt}:00.000Z`,
  ...over,
});

describe('cluster list cache', () => {
  it('puts a new or grown cluster first, replacing its older copy', () => {
    const list = [cluster('a', '02:00'), cluster('b', '01:00')];
    const grown = cluster('b', '03:00', { reportCount: 3 });
    expect(upsertCluster(list, grown, {}).map((c) => [c.id, c.reportCount])).toEqual([
      ['b', 3],
      ['a', 2],
    ]);
    expect(upsertCluster(list, cluster('c', '01:30'), {}).map((c) => c.id)).toEqual(['a', 'c', 'b']);
  });

  it('keeps a row’s figures from the last load when the stream tells the cluster again', () => {
    const figures = {
      reportCount: 2,
      victimCount: 2,
      lossFen: 500_000,
      countyCount: 1,
      fraudTypeCount: 1,
      firstReportedAt: '2026-12-04T00:00:00.000Z',
      lastReportedAt: '2026-12-04T01:00:00.000Z',
    };
    const list = [{ ...cluster('a', '02:00'), figures }];
    const [told] = upsertCluster(list, cluster('a', '03:00', { status: 'confirmed' }), {});
    expect(told).toMatchObject({ status: 'confirmed', figures });
    expect(upsertCluster(list, cluster('n', '04:00'), {})[0]!.figures).toBeUndefined();
  });

  it('drops a merged cluster from the default list, and one whose status leaves the filter', () => {
    const list = [cluster('a', '02:00'), cluster('b', '01:00')];
    const merged = cluster('b', '03:00', { status: 'merged', mergedInto: 'a' });
    expect(upsertCluster(list, merged, {}).map((c) => c.id)).toEqual(['a']);
    expect(upsertCluster(list, cluster('a', '04:00', { status: 'confirmed' }), { status: 'open' })).toEqual([
      list[1],
    ]);
    expect(clusterMatches({ status: 'merged' }, merged)).toBe(true);
  });

  it('keeps the newer copy when an older one arrives late', () => {
    const list = [cluster('a', '05:00', { reportCount: 4 })];
    expect(upsertCluster(list, cluster('a', '04:00'), {})).toEqual(list);
  });
});
