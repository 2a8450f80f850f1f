import type { IndicatorSnapshot, ScreeningHit } from '@fanzha/domain';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema';
import type { IndicatorReader, WarningsSink } from '../src/modules/screening/index';

/** A small real indicator reader over a list: pages by id; `getMany` calls are kept (only hits may reach it). */
export function listReader(list: IndicatorSnapshot[] = []) {
  const calls: number[][] = [];
  const reader: IndicatorReader & { calls: number[][]; set(s: IndicatorSnapshot): void } = {
    calls,
    async loadPage(afterId, limit) {
      return [...list]
        .sort((a, b) => a.id - b.id)
        .filter((s) => s.id > afterId)
        .slice(0, limit);
    },
    async getMany(ids) {
      calls.push([...ids]);
      return list.filter((s) => ids.includes(s.id));
    },
    set(s) {
      const i = list.findIndex((x) => x.id === s.id);
      if (i >= 0) list[i] = s;
      else list.push(s);
    },
  };
  return reader;
}

export const indicator = (
  id: number,
  kind: IndicatorSnapshot['kind'],
  value: string,
  status: IndicatorSnapshot['status'] = 'active',
): IndicatorSnapshot => ({
  id,
  kind,
  value,
  status,
  riskLevel: 'high',
  reportCount: 3,
  lossFen: 5_000_000,
  lastReportedAt: '2026-04-30T10:00:00Z',
});

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
