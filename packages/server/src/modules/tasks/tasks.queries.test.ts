import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { openTasksQuery } from './tasks.open';
import { queuePage } from './tasks.repository';

describeEachStorage('supervision queue queries', (database) => {
  it('read the queue through an index (open by deadline, owner, report), never the whole table', async () => {
    const { db } = database();
    // The table is empty here, so the planner would happily scan it: forbid it, and see whether an index
    // path exists for each query (with none, the plan still says Seq Scan).
    await db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      try {
        const now = new Date('2026-05-01T08:00:00Z');
        const queries = {
          open: queuePage(conn, { status: 'open' }, now, 50, 0),
          overdue: queuePage(conn, { status: 'open', overdueAt: now }, now, 50, 0),
          county: queuePage(conn, { status: 'open', unitKind: 'county', unitCode: '520102' }, now, 50, 0),
          countyAll: queuePage(conn, { unitKind: 'county', unitCode: '520102' }, now, 50, 0),
          report: queuePage(conn, { reportId: '11111111-1111-4111-8111-111111111111' }, now, 50, 0),
          openByKind: openTasksQuery(conn, now),
        };
        for (const [name, query] of Object.entries(queries)) {
          const plan = (await query.explain())
            .map((r) => Object.values(r as Record<string, unknown>).join(''))
            .join('\n');
          expect(plan, `${name}\n${plan}`).not.toMatch(/Seq Scan on task\b/);
          expect(plan, `${name}\n${plan}`).toMatch(/task_(open_due|owner|report|league)\b/);
        }
      } finally {
        await sql`reset enable_seqscan`.execute(conn);
      }
    });
  });
});
