import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { dueRows, followUpQueries } from './follow-up.repository';

describeEachStorage('warning follow-up queries', (database) => {
  it('read the follow-ups through an index (opened, closed, due), never the whole table', async () => {
    const { db } = database();
    // The table is empty here, so the planner would happily scan it: forbid it, and see whether an index
    // path exists for each query (with none, the plan still says Seq Scan).
    await db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      try {
        const from = new Date('2026-04-30T16:00:00Z');
        const to = new Date('2026-05-01T02:00:00Z');
        const queries = { ...followUpQueries(conn, from, to, 300), due: dueRows(conn, to, 200) };
        for (const [name, query] of Object.entries(queries)) {
          const plan = (await query.explain())
            .map((r) => Object.values(r as Record<string, unknown>).join(''))
            .join('\n');
          expect(plan, `${name}\n${plan}`).not.toMatch(/Seq Scan on episode_follow_up\b/);
          expect(plan, `${name}\n${plan}`).toMatch(/episode_follow_up_(opened|closed|due)/);
        }
      } finally {
        await sql`reset enable_seqscan`.execute(conn);
      }
    });
  });
});
