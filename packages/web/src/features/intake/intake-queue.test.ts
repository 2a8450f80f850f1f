import type { ReportList } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { waitingDrafts } from './intake-queue';

const summary = (id: string, over: Partial<ReportList['reports'][number]> = {}) => ({
  id,
  number: `JJ-${id}`,
  status: 'draft' as const,
  fraudType: null,
  countyCode: '520102',
  totalLossFen: 3_000_000,
  callAnsweredAt: '2026-05-01T08:00:00Z',
  updatedAt: '2026-05-01T08:05:00Z',
  fromEpisodeId: null,
  ...over,
});

describe('the intake queue', () => {
  it('lists drafts opened from warning episodes, not one’s own drafts, filed reports or the one on screen', () => {
    const list: ReportList = {
      reports: [
        summary('a', { fromEpisodeId: '0b7e7c1e-3f0a-4a39-9d51-8c1f1b3c2d10' }),
        summary('b'),
        summary('c', { fromEpisodeId: '1b7e7c1e-3f0a-4a39-9d51-8c1f1b3c2d10', status: 'registered' }),
        summary('d', { fromEpisodeId: '2b7e7c1e-3f0a-4a39-9d51-8c1f1b3c2d10' }),
      ],
    };
    expect(waitingDrafts(list, 'd').map((r) => r.id)).toEqual(['a']);
    expect(waitingDrafts(undefined, 'd')).toEqual([]);
  });
});
