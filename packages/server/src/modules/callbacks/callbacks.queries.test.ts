import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { callbackRatesQuery, queueQuery } from './callbacks.repository';

describeEachStorage('callbacks queries', (database) => {
  it('read the queue and the figures through an index (due, closed, created), never the whole table', async () => {
    const { db } = database();
    // The table is empty here, so the planner would happily scan it: forbid it, and see whether an index
    // path exists for each query (with none, the plan still says Seq Scan).
    await db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      try {
        const from = new Date('2026-11-30T16:00:00Z');
        const to = new Date('2026-12-31T16:00:00Z');
        const queries = {
          open: queueQuery(conn, { status: 'open', limit: 50 }),
          openOfKind: queueQuery(conn, { status: 'open', kind: 'persuaded', limit: 50 }),
          closed: queueQuery(conn, { status: 'closed', limit: 50 }),
          rates: callbackRatesQuery(conn, from, to, null),
          ratesOfCounty: callbackRatesQuery(conn, from, to, '520102'),
        };
        for (const [name, query] of Object.entries(queries)) {
          const plan = (await query.explain())
            .map((r) => Object.values(r as Record<string, unknown>).join(''))
            .join('\n');
          expect(plan, `${name}\n${plan}`).not.toMatch(/Seq Scan on callback\b/);
          expect(plan, `${name}\n${plan}`).toMatch(/callback_(due|closed|created)/);
        }
      } finally {
        await sql`reset enable_seqscan`.execute(conn);
      }
    });
  });
});
