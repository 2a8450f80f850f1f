import { openSync, closeSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../db/database';
import { appendAudit, sealAudit, verifyAudit } from './audit.repository';

/**
 * A damaged page of the embedded store (a disk or a copy gone wrong) is a broken trail: verification
 * names the first entry it cannot read and how many before it hold, instead of dying with a storage
 * error. Only the embedded store is damaged here: its files belong to the test, while a PostgreSQL
 * server's files belong to the server.
 */
describe('verifying an embedded audit trail with a damaged page', () => {
  let dir: string;
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reports the first unreadable entry as the place where the trail breaks', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fanzha-damage-'));
    const first = await openDatabase({ kind: 'pglite', dataDir: dir });
    await migrate(first.db);
    for (let i = 0; i < 200; i++)
      await appendAudit(first.db, {
        at: new Date(Date.UTC(2026, 4, 1, 8, 0, i)),
        action: 'user.create',
        result: 'success',
        details: { i, note: 'x'.repeat(200) },
      });
    while ((await sealAudit(first.db)) > 0);
    const file = (
      await sql<{ path: string }>`select pg_relation_filepath('audit_entry') as path`.execute(first.db)
    ).rows[0]!.path;
    // Sealing rewrote the rows, so find a page holding live entries: the one with entry 100.
    const block = (
      await sql<{ block: number }>`
        select (ctid::text::point)[0]::int as block from audit_entry where seq = 100`.execute(first.db)
    ).rows[0]!.block;
    // The first entry stored on that page: where the damage will be met.
    const place = (
      await sql<{ seq: number }>`
        select min(seq)::int as seq from audit_entry where (ctid::text::point)[0] = ${block}`.execute(
        first.db,
      )
    ).rows[0]!.seq;
    expect(place).toBeGreaterThan(1);
    await first.close();

    const fd = openSync(join(dir, file), 'r+');
    writeSync(fd, Buffer.alloc(24, 0xab), 0, 24, block * 8192); // the page's header
    closeSync(fd);

    const damaged = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      for (const pageSize of [5000, 7]) {
        const result = await verifyAudit(damaged.db, pageSize);
        expect(result).toMatchObject({ isIntact: false, checked: place - 1 });
        expect(result.firstBroken?.seq).toBe(place);
        expect(result.firstBroken?.problem).toMatch(
          new RegExp(`cannot be read.*invalid page in block ${block}`),
        );
      }
    } finally {
      await damaged.close();
    }
  });
});
