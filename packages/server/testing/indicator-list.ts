/**
 * Indicators for screening's tests without the indicators module: a list behind the matcher's reader
 * interface, and a snapshot maker. Plain functions, no I/O: a unit test may use them.
 */
import type { IndicatorSnapshot } from '@fanzha/domain';
import type { IndicatorReader } from '../src/modules/screening/index';

/** A small real indicator reader over a list: pages by id; `getMany` calls are kept (only hits may reach it). */
export function listReader(list: IndicatorSnapshot[] = []) {
  const calls: number[][] = [];
  const reader: IndicatorReader & { calls: number[][]; set(s: IndicatorSnapshot): void } = {
    calls,
    async loadPage(afterId, limit) {
      return [...list]
        .sort((a, b) => a.id - b.id)
        .filter((s) => s.id > afterId)
        .slice(0, limit);
    },
    async getMany(ids) {
      calls.push([...ids]);
      return list.filter((s) => ids.includes(s.id));
    },
    set(s) {
      const i = list.findIndex((x) => x.id === s.id);
      if (i >= 0) list[i] = s;
      else list.push(s);
    },
  };
  return reader;
}

export const indicator = (
  id: number,
  kind: IndicatorSnapshot['kind'],
  value: string,
  status: IndicatorSnapshot['status'] = 'active',
): IndicatorSnapshot => ({
  id,
  kind,
  value,
  status,
  riskLevel: 'high',
  reportCount: 3,
  lossFen: 5_000_000,
  lastReportedAt: '2026-04-30T10:00:00Z',
});
