import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { wallQueries } from './wall.queries';
import { WALL_LIMITS, wallWindow } from './wall.service';

/** The tables that grow with history; the hour and day counters stay small but are read by range too. */
const ROLLUPS = /Seq Scan on (wall_report|wall_stop|wall_task|wall_hour|wall_day|wall_ticker)\b/;

describeEachStorage('wall queries', (database) => {
  it('read every rollup through an index, never a whole table', async () => {
    const { db } = database();
    // Tables are empty here, so the planner would happily scan them: forbid it, and see whether an index
    // path exists for each query (with none, the plan still says Seq Scan).
    await db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      try {
        const q = wallQueries(conn, wallWindow(new Date('2026-05-01T02:00:00Z')), WALL_LIMITS);
        for (const [name, query] of Object.entries(q)) {
          const plan = (await query.explain())
            .map((r) => Object.values(r as Record<string, unknown>).join(''))
            .join('\n');
          expect(plan, `${name}\n${plan}`).not.toMatch(ROLLUPS);
        }
      } finally {
        await sql`reset enable_seqscan`.execute(conn);
      }
    });
  });
});
