import type { PeriodReportDetail, WallSummary } from '@fanzha/contracts';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createHarness } from '../../../testing/app-harness';
import { largestReports } from '../../../testing/core-loop-fixtures';
import { committedEvents } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { applyWallEvents } from './wall.rollup';
import { addTallies } from './wall.rollup.repository';

/** Within 4e14 fen of a bigint's range (9,223,372,036,854,775,807): one report of the largest amounts passes it. */
const NEAR_INT8_MAX = 9_223_000_000_000_000_000;
const REPORT_LOSS = 50 * 1e13;

describeEachStorage('the wall past the range of a bigint in fen', (database) => {
  it('keeps counting a day past 9.2e18 fen, and the wall and the day’s report answer', async () => {
    // Each amount may be 1e13 fen and a batch intake files 500 reports of 50 transfers (2.5e17 fen): some
    // 37 batches in a day would carry the day's counters past a bigint. The rollup then failed every batch
    // ("bigint out of range") and the wall stood still; a period's sums over the reports did the same.
    const h = await createHarness(database(), { start: '2026-05-01T02:00:00Z' });
    try {
      const { db } = database();
      await h.createUser({ username: 'taker', displayName: 'T', role: 'call_taker' });
      await h.createUser({ username: 'sup', displayName: 'S', role: 'supervisor' });
      const taker = await h.signIn('taker');
      const sup = await h.signIn('sup');
      const at = h.clock.now();

      // What the day already counted: the received losses near the limit, in the hour, the county and the
      // fraud type; and 18,446 reports of 5e14 fen each (within the contracts' bounds), 9.223e18 fen in all.
      const hour = '2026-05-01T02:00:00.000Z';
      await db.transaction().execute((trx) =>
        addTallies(trx, [
          { table: 'hour', bucket: hour, metric: 'received', key: '', n: 18_446, fen: NEAR_INT8_MAX },
          {
            table: 'day',
            bucket: '2026-05-01',
            metric: 'county',
            key: '520102',
            n: 18_446,
            fen: NEAR_INT8_MAX,
          },
          {
            table: 'day',
            bucket: '2026-05-01',
            metric: 'fraud_type',
            key: 'other',
            n: 18_446,
            fen: NEAR_INT8_MAX,
          },
        ]),
      );
      await sql`
        insert into wall_report (report_id, answered_at, is_received, county_code, fraud_type, loss_fen)
        select gen_random_uuid(), ${at}, true, '520102', 'other', ${REPORT_LOSS}
        from generate_series(1, 18446)`.execute(db);

      const filed = await h.app.inject({
        method: 'POST',
        url: '/api/reports',
        headers: { cookie: taker },
        payload: largestReports(at, 1)[0],
      });
      expect(filed.statusCode, filed.body.slice(0, 300)).toBe(201);
      const events = await committedEvents(db, { subjects: ['report.changed'] });
      await applyWallEvents(
        { db, clock: h.clock, wake: () => undefined },
        events.map((r) => r.event),
      );

      const total = NEAR_INT8_MAX + REPORT_LOSS;
      expect(total).toBeGreaterThan(2 ** 63);
      const wall = await h.app.inject({ method: 'GET', url: '/api/wall/summary', headers: { cookie: sup } });
      expect(wall.statusCode, wall.body.slice(0, 300)).toBe(200);
      const summary = wall.json<WallSummary>();
      expect(summary.today).toMatchObject({ reports: 18_447, lossFen: total });
      expect(summary.counties).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: '520102', lossTodayFen: total, lossMonthFen: total }),
        ]),
      );

      const report = await h.app.inject({
        method: 'POST',
        url: '/api/period-reports',
        headers: { cookie: sup },
        payload: { kind: 'daily', date: '2026-05-01' },
      });
      expect(report.statusCode, report.body.slice(0, 300)).toBe(200);
      const figures = report.json<PeriodReportDetail>().figures;
      expect(figures.summary).toMatchObject({ reports: 18_447, lossFen: total });
    } finally {
      await h.close();
    }
  });
});
