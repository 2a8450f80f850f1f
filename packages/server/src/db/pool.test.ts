import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isPostgresAvailable } from '../../testing/test-databases';
import { openDatabase } from './database';

const url = process.env.FANZHA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe.skipIf(!isPostgresAvailable)('the PostgreSQL pool', () => {
  it('keeps its first connections open through a quiet spell and closes only those above them', async () => {
    const name = `fz_pool_${randomBytes(4).toString('hex')}`;
    const target = new URL(url);
    target.searchParams.set('application_name', name);
    const database = await openDatabase({
      kind: 'postgres',
      url: target.toString(),
      poolSize: 5,
      keepOpen: 2,
      idleTimeoutMs: 50,
    });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const open = async () =>
      Number(
        (
          await admin.query<{ n: string }>(
            'select count(*) as n from pg_stat_activity where application_name = $1',
            [name],
          )
        ).rows[0]!.n,
      );
    try {
      // A burst: five statements at once, each holding its connection until all five hold one (not a sleep
      // that a slow connection's opening outlasts on a loaded machine), open all five connections.
      let holding = 0;
      let allHold!: () => void;
      const allHolding = new Promise<void>((r) => (allHold = r));
      await Promise.all(
        Array.from({ length: 5 }, () =>
          database.db.connection().execute(async (c) => {
            await sql`select 1`.execute(c);
            if (++holding === 5) allHold();
            await allHolding;
          }),
        ),
      );
      expect(await open()).toBe(5);
      // Quiet: the three above `keepOpen` close after their idle time…
      await expect.poll(open, { timeout: 10_000, interval: 50 }).toBe(2);
      // …and the two kept stay open well past it (the idle time is 50 ms).
      await new Promise((r) => setTimeout(r, 300));
      expect(await open()).toBe(2);
    } finally {
      await database.close();
      await admin.end();
    }
  });

  it("names its connections as asked, unless the URL names them itself (the operator's name is kept)", async () => {
    const ours = `fz_ours_${randomBytes(4).toString('hex')}`;
    const operators = `fz_ops_${randomBytes(4).toString('hex')}`;
    const unused = `${ours}_not_used`;
    const named = new URL(url);
    named.searchParams.set('application_name', operators);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const names = async (...wanted: string[]) =>
      (
        await admin.query<{ name: string }>(
          'select distinct application_name as name from pg_stat_activity where application_name = any($1)',
          [wanted],
        )
      ).rows.map((r) => r.name);
    const plain = await openDatabase({ kind: 'postgres', url, poolSize: 1, applicationName: ours });
    const overridden = await openDatabase({
      kind: 'postgres',
      url: named.toString(),
      poolSize: 1,
      applicationName: unused,
    });
    try {
      await sql`select 1`.execute(plain.db);
      await sql`select 1`.execute(overridden.db);
      expect(await names(ours, operators, unused)).toEqual(expect.arrayContaining([ours, operators]));
      expect(await names(unused)).toEqual([]);
    } finally {
      await plain.close();
      await overridden.close();
      await admin.end();
    }
  });
});
