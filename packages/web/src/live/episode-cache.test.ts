import type { EpisodeSummary } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { byEpisodeUrgency, upsertEpisode } from './episode-cache';

const base: EpisodeSummary = {
  id: '00000000-0000-4000-8000-000000000001',
  countyCode: '520102',
  countyName: '南明区',
  routedBy: 'signal',
  grade: 'medium',
  step: 'sms',
  isOpen: true,
  isOverdue: false,
  closeReason: null,
  personPhoneMasked: '138****0001',
  openedAt: '2026-12-03T01:00:00.000Z',
  lastWarningAt: '2026-12-03T01:00:00.000Z',
  warningCount: 1,
  dueAt: '2026-12-03T01:10:00.000Z',
  reachBy: '2026-12-03T05:00:00.000Z',
  isVisitIssued: false,
  takenBy: null,
  takenAt: null,
  closedAt: null,
  version: 1,
};
const ep = (n: number, over: Partial<EpisodeSummary> = {}): EpisodeSummary => ({
  ...base,
  id: `00000000-0000-4000-8000-00000000000${n}`,
  ...over,
});

describe('the persuasion console’s list', () => {
  it('puts overdue first, then the higher grade, then the nearest SLA', () => {
    const list = [
      ep(1, { grade: 'low', dueAt: '2026-12-03T01:01:00.000Z' }),
      ep(2, { grade: 'high', dueAt: '2026-12-03T01:30:00.000Z' }),
      ep(3, { grade: 'high', dueAt: '2026-12-03T01:05:00.000Z' }),
      ep(4, { grade: 'low', isOverdue: true }),
    ].sort(byEpisodeUrgency);
    expect(list.map((e) => e.id.slice(-1))).toEqual(['4', '3', '2', '1']);
  });

  it('drops an episode that closed from the open list, and keeps a newer version over a late one', () => {
    const open = { isOpen: true };
    const list = [ep(1), ep(2)];
    expect(upsertEpisode(list, ep(1, { isOpen: false, version: 2 }), open).map((e) => e.id)).toEqual([
      ep(2).id,
    ]);
    const newer = [ep(1, { version: 5, grade: 'high' })];
    expect(upsertEpisode(newer, ep(1, { version: 4, grade: 'low' }), open)[0]!.grade).toBe('high');
  });

  it('keeps another county’s episode out of a county filter', () => {
    expect(upsertEpisode([], ep(1, { countyCode: '520103' }), { isOpen: true, county: '520102' })).toEqual(
      [],
    );
  });
});
