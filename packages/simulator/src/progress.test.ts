import { describe, expect, it } from 'vitest';
import { progressLine } from './progress';
import type { Simulation } from './runner';
import { countError, errorCount, newStats } from './stats';

describe('progress and the run’s errors', () => {
  it('counts, while draining, all the work the end of the run waits for, not only the world’s', () => {
    const sim = {
      stats: newStats(),
      startedAt: 0,
      options: { durationMs: 1_000 },
      world: { openCount: () => 0 },
      openWork: () => 3,
    } as unknown as Simulation;
    expect(progressLine(sim, 2_000).text).toMatch(/^draining, 3 open · /);
    expect(progressLine(sim, 500).text).toMatch(/^1 s · /);
  });

  it('counts no error once the summary is taken: the clean-up’s own revocations are not the run’s', () => {
    const stats = newStats();
    countError(stats, 'bank_ack', new Error('401'));
    stats.isSummarized = true;
    countError(stats, 'bank_ack', new Error('401'));
    expect(errorCount(stats)).toBe(1);
  });
});
