import type { ScreeningHit } from '@fanzha/domain';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema';
import type { WarningsSink } from '../src/modules/screening/index';

export { indicator, listReader } from './indicator-list';

/**
 * Stands in for the warnings module: each hit a row with a real unique key on (source, signal id), written
 * in the caller's transaction, so a redelivered batch is shown to warn once.
 */
export async function recordingWarnings(db: Kysely<DB>, table = 'test_screening_hit') {
  const t = sql.table(table);
  await sql`
    create table if not exists ${t} (
      source text not null,
      signal_id text not null,
      signal_kind text not null,
      indicator_id integer,
      primary key (source, signal_id)
    )`.execute(db);
  let failNext = 0;
  const sink: WarningsSink & {
    rows(): Promise<Array<{ source: string; signal_id: string; indicator_id: number | null }>>;
    /** The next n calls throw before writing (the database went away mid-batch). */
    failNext(n: number): void;
  } = {
    async recordHits(trx: Kysely<DB>, hits: readonly ScreeningHit[]) {
      if (failNext > 0) {
        failNext--;
        throw new Error('warnings: connection lost (test)');
      }
      for (const h of hits)
        await sql`
          insert into ${t} (source, signal_id, signal_kind, indicator_id)
          values (${h.source}, ${h.signalId}, ${h.signalKind}, ${h.indicator?.id ?? null})
          on conflict do nothing`.execute(trx);
    },
    async rows() {
      const r = await sql<{ source: string; signal_id: string; indicator_id: number | null }>`
        select source, signal_id, indicator_id from ${t} order by source, signal_id`.execute(db);
      return r.rows;
    },
    failNext(n) {
      failNext = n;
    },
  };
  return sink;
}
