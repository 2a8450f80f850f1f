import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { sweepQueries } from './warnings.repository';

/** The tables the episode sweep reads every second, which grow with every warning. */
const WARNING_TABLES = /Seq Scan on (episode|episode_contact|episode_warning)\b/;

describeEachStorage('warning sweep queries', (database) => {
  it('find due timers and pending messages through an index, never by reading a whole table', async () => {
    const { db } = database();
    const now = new Date('2026-05-01T02:00:00Z');
    // Tables are empty here, so the planner would happily scan them: forbid it, and see whether an index
    // path exists for each query (with none, the plan still says Seq Scan).
    await db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      try {
        const queries = {
          due: sweepQueries.due(conn, now, 200),
          pendingSends: sweepQueries.pendingSends(conn, 200),
        };
        const scans: string[] = [];
        for (const [name, query] of Object.entries(queries)) {
          const plan = (await query.explain())
            .map((r) => Object.values(r as Record<string, unknown>).join(''))
            .join('\n');
          if (WARNING_TABLES.test(plan)) scans.push(`${name}\n${plan}`);
        }
        expect(scans.join('\n\n')).toBe('');
      } finally {
        await sql`reset enable_seqscan`.execute(conn);
      }
    });
  });
});
