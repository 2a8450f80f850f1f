import { describe, expect, it } from 'vitest';
import { isPostgresAvailable } from '../../testing/test-databases';
import pg from 'pg';
import { withPreparedStatements } from './prepared-statements';

const url = process.env.FANZHA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe.skipIf(!isPostgresAvailable)('named prepared statements on PostgreSQL', () => {
  it('names a statement from its second use, answers the same, and leaves one-off texts unnamed', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const named = withPreparedStatements(pool, { after: 2, max: 1 });
    const client = await named.connect();
    try {
      const repeated = 'select $1::int + 1 as n';
      const answers: number[] = [];
      for (const v of [1, 2, 3]) answers.push((await client.query<{ n: number }>(repeated, [v])).rows[0]!.n);
      expect(answers).toEqual([2, 3, 4]);
      // Beyond `max`, a repeated text stays unnamed.
      for (const v of [1, 2]) await client.query('select $1::int * 2 as n', [v]);
      await client.query('select $1::text as once', ['x']);
      const statements = (await client.query('select name, statement from pg_prepared_statements'))
        .rows as Array<{
        name: string;
        statement: string;
      }>;
      expect(statements.map((s) => s.statement)).toEqual([repeated]);
      expect(statements[0]!.name).toMatch(/^fz_[0-9a-f]{24}$/);
    } finally {
      client.release();
      await named.end();
    }
  });

  it('keeps transactions and errors working through the named client', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const named = withPreparedStatements(pool, { after: 1 });
    const client = await named.connect();
    try {
      await client.query('begin');
      await expect(client.query('select 1 / $1::int as n', [0])).rejects.toThrow(/division by zero/);
      await client.query('rollback');
      expect((await client.query<{ n: number }>('select 1 / $1::int as n', [1])).rows[0]!.n).toBe(1);
    } finally {
      client.release();
      await named.end();
    }
  });
});
