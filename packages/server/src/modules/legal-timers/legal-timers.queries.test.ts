import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { sweepQueries, whatIsDue } from './legal-timers.repository';

/** The tables the sweep reads every second, which grow with every case. */
const CASE_TABLES = /Seq Scan on (stop_payment|account_freeze|fund_decision|county_task|alert|report)\b/;

describeEachStorage('legal timer queries', (database) => {
  it('find what reached a deadline through an index, never by reading a whole table', async () => {
    const { db } = database();
    const now = new Date('2026-05-01T02:00:00Z');
    const window = { after: now, until: new Date(now.getTime() + 3_600_000) };
    // Tables are empty here, so the planner would happily scan them: forbid it, and see whether an index
    // path exists for each query (with none, the plan still says Seq Scan).
    await db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      try {
        const queries = {
          dueLapses: sweepQueries.dueLapses(conn, now, 500),
          lapsingStops: sweepQueries.lapsingStops(conn, { ...window, threshold: '1h' }, 500),
          endedFreezes: sweepQueries.endedFreezes(conn, now, 500),
          endingFreezes: sweepQueries.endingFreezes(conn, { ...window, threshold: '7d' }, 500),
          overdueReturns: sweepQueries.overdueReturns(conn, now, 500),
          overdueTasks: sweepQueries.overdueTasks(conn, now, 500),
          whatIsDue: whatIsDue(conn, now, {
            lapsing: [{ ...window, threshold: '1h' }],
            ending: [{ ...window, threshold: '7d' }],
          }),
        };
        const scans: string[] = [];
        for (const [name, query] of Object.entries(queries)) {
          const plan = (await query.explain())
            .map((r) => Object.values(r as Record<string, unknown>).join(''))
            .join('\n');
          if (CASE_TABLES.test(plan)) scans.push(`${name}\n${plan}`);
        }
        expect(scans.join('\n\n')).toBe('');
      } finally {
        await sql`reset enable_seqscan`.execute(conn);
      }
    });
  });
});
