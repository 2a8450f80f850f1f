import type { PeriodReportDetail } from '@fanzha/contracts';
import { expect, it } from 'vitest';
import { committedEvents } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { createHarness } from '../../../testing/app-harness';
import { fileBatch, largestReports } from '../../../testing/core-loop-fixtures';
import { applyWallEvents } from '../wall/index';

describeEachStorage('period reports of totals past 2^53 fen', (database) => {
  it('makes the report, its totals sent as whole numbers, not a 500', async () => {
    // Each amount the contract allows (at most 1e13 fen), on 19 reports of 50 transfers: 9.5e15 fen in all,
    // past Number.MAX_SAFE_INTEGER (about 9.007e15).
    const h = await createHarness(database(), { start: '2026-05-01T02:00:00Z' });
    try {
      await h.createUser({ username: 'taker', displayName: 'T', role: 'call_taker' });
      await h.createUser({ username: 'sup', displayName: 'S', role: 'supervisor' });
      const taker = await h.signIn('taker');
      const sup = await h.signIn('sup');
      await fileBatch(h, taker, largestReports(h.clock.now(), 19));
      const events = await committedEvents(database().db, { subjects: ['report.changed'] });
      await applyWallEvents(
        { db: database().db, clock: h.clock, wake: () => undefined },
        events.map((r) => r.event),
      );

      const res = await h.app.inject({
        method: 'POST',
        url: '/api/period-reports',
        headers: { cookie: sup },
        payload: { kind: 'daily', date: '2026-05-01' },
      });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      const body = res.json<PeriodReportDetail>();
      expect(body.figures.summary.reports).toBe(19);
      expect(body.figures.summary.lossFen).toBe(19 * 50 * 1e13);
      expect(body.figures.summary.lossFen).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
      expect(body.figures.counties).toEqual([
        expect.objectContaining({ code: '520102', reports: 19, lossFen: 19 * 50 * 1e13 }),
      ]);
    } finally {
      await h.close();
    }
  });
});
