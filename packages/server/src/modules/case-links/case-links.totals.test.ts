import type { ClusterDetail, ClusterList } from '@fanzha/contracts';
import { expect, it } from 'vitest';
import { committedEvents } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { createHarness } from '../../../testing/app-harness';
import { fileBatch, largestReports } from '../../../testing/core-loop-fixtures';
import { applyLinkEvents } from './case-links.linker';

describeEachStorage('a gang whose losses pass 2^53 fen', (database) => {
  it('lists it and profiles it, its total loss sent as a whole number, not a 500', async () => {
    // Each amount the contract allows (at most 1e13 fen), on 19 reports of 50 transfers naming one phone:
    // 9.5e15 fen in one cluster, past Number.MAX_SAFE_INTEGER (about 9.007e15).
    const h = await createHarness(database(), { start: '2026-05-01T02:00:00Z' });
    try {
      await h.createUser({ username: 'taker', displayName: 'T', role: 'call_taker' });
      await h.createUser({ username: 'analyst', displayName: 'A', role: 'analyst' });
      const taker = await h.signIn('taker');
      const analyst = await h.signIn('analyst');
      const contacts = [{ key: 'c0', kind: 'phone' as const, value: '13900001111' }];
      await fileBatch(h, taker, largestReports(h.clock.now(), 19, { contacts }));
      const events = await committedEvents(database().db, { subjects: ['report.changed'] });
      await applyLinkEvents(
        { db: database().db, clock: h.clock, sharedReports: 50, alertReports: 100, wake: () => undefined },
        events.map((r) => r.event),
      );

      const get = (url: string) => h.app.inject({ method: 'GET', url, headers: { cookie: analyst } });
      const list = await get('/api/investigation/clusters');
      expect(list.statusCode, list.body.slice(0, 300)).toBe(200);
      const [cluster] = list.json<ClusterList>().clusters;
      expect(cluster?.figures).toMatchObject({ reportCount: 19, lossFen: 19 * 50 * 1e13 });
      expect(cluster!.figures.lossFen).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
      const detail = await get(`/api/investigation/clusters/${cluster!.id}`);
      expect(detail.statusCode, detail.body.slice(0, 300)).toBe(200);
      expect(detail.json<ClusterDetail>().profile).toMatchObject({
        reportCount: 19,
        lossFen: 19 * 50 * 1e13,
      });
    } finally {
      await h.close();
    }
  });
});
