import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { registryRepository } from './indicator-registry.repository';
import { indicatorQueries } from './indicators.repository';

const TABLES = /Seq Scan on (indicator|indicator_source|indicator_decision)\b/;

describeEachStorage('indicator queries', (database) => {
  it('read the registry through an index, never a whole table', async () => {
    const { db } = database();
    // The tables are empty here, so the planner would happily scan them: forbid it, and see whether an index
    // path exists for each query (with none, the plan still says Seq Scan). Nor do an empty table's guessed
    // row counts tell a bitmap scan and a sort of "100 rows" from reading the index in order: bitmap scans
    // off too, so a Sort left in a plan is one no index could spare.
    await db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      await sql`set enable_bitmapscan = off`.execute(conn);
      try {
        const q = indicatorQueries(conn);
        const queries = {
          newest: q.list({ order: 'id', limit: 51 }),
          newestAfter: q.list({ order: 'id', limit: 51, afterId: 1000 }),
          byKind: q.list({ order: 'id', kind: 'phone', limit: 51, afterId: 1000 }),
          byStatus: q.list({ order: 'id', status: 'shared', limit: 51, afterId: 1000 }),
          byKindAndStatus: q.list({ order: 'id', kind: 'domain', status: 'shared', limit: 51 }),
          byLevel: q.list({ order: 'id', level: 'high', limit: 51, afterId: 1000 }),
          byStatusAndLevel: q.list({ order: 'id', status: 'active', level: 'medium', limit: 51 }),
          prefixAndLevel: q.list({
            order: 'value',
            kind: 'phone',
            prefix: '+86138',
            level: 'high',
            limit: 51,
          }),
          prefix: q.list({ order: 'value', kind: 'phone', prefix: '+86138', limit: 51 }),
          prefixAfter: q.list({
            order: 'value',
            kind: 'phone',
            prefix: '+86138',
            afterValue: '+8613800138000',
            status: 'active',
            limit: 51,
          }),
          byId: q.byId(42),
          byKey: q.byKey('phone', '+8613800138000'),
          byValues: q.byValues('account', ['6222021234567890128', '123456789012']),
          sources: q.sources(42, 200),
          sourceCount: q.sourceCount(42),
          activePage: q.activePage(1000, 10_000),
          many: q.many([1, 2, 3]),
          history: registryRepository.history(conn, 42, 200),
        };
        for (const [name, query] of Object.entries(queries)) {
          const plan = (await query.explain())
            .map((r) => Object.values(r as Record<string, unknown>).join(''))
            .join('\n');
          expect(plan, `${name}\n${plan}`).not.toMatch(TABLES);
          // A list reads the index in the order it returns rows: no sort of everything that matches.
          if (
            [
              'newest',
              'newestAfter',
              'byStatus',
              'byLevel',
              'byStatusAndLevel',
              'prefix',
              'prefixAfter',
              'prefixAndLevel',
              'activePage',
              'history',
            ].includes(name)
          )
            expect(plan, `${name}\n${plan}`).not.toMatch(/\bSort\b/);
        }
      } finally {
        await sql`reset enable_seqscan`.execute(conn);
        await sql`reset enable_bitmapscan`.execute(conn);
      }
    });
  });
});
