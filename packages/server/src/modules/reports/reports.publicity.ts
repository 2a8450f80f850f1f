import { ageBandOfIdNumber, type AgeBand } from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { openRows } from '../../platform/crypto/field-cipher';

type Db = Kysely<DB> | Transaction<DB>;

/** What publicity counts of a report: nothing personal, the age band instead of the ID number. */
export interface ReportPublicityFacts {
  id: string;
  isSubmitted: boolean;
  callAnsweredAt: Date;
  countyCode: string | null;
  fraudType: string | null;
  ageBand: AgeBand;
  lossFen: number;
}

/** The publicity facts of these reports (those that exist). */
export async function reportPublicityFacts(db: Db, ids: readonly string[]): Promise<ReportPublicityFacts[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('report')
    .select([
      'id',
      'status',
      'call_answered_at',
      'victim_county_code',
      'fraud_type',
      'victim_age_band',
      'total_loss_fen',
    ])
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    isSubmitted: r.status !== 'draft',
    callAnsweredAt: r.call_answered_at,
    countyCode: r.victim_county_code,
    fraudType: r.fraud_type,
    ageBand: (r.victim_age_band ?? 'unknown') as AgeBand,
    lossFen: r.total_loss_fen,
  }));
}

/**
 * The start-up backfill of age bands: reports written before the band existed get it from their ID number
 * (opened for the purpose, never kept) at the call's date, `unknown` when it cannot be read. In batches, each
 * one transaction that sets a band only where none is set yet, so it can run beside servers that write and
 * is resumed by running it again. `onBatch` receives each batch's report ids (publicity counts them).
 */
export async function backfillAgeBands(
  db: Kysely<DB>,
  opts: { batchSize?: number; onBatch?: (ids: string[]) => Promise<void> } = {},
): Promise<number> {
  const size = opts.batchSize ?? 500;
  let done = 0;
  for (;;) {
    const ids = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('report')
        .select(['id', 'victim_id_number', 'call_answered_at'])
        .where('victim_age_band', 'is', null)
        .orderBy('id')
        .limit(size)
        .forUpdate()
        .skipLocked()
        .execute();
      const opened = await openRows(trx, 'report', rows);
      for (const band of new Set(
        opened.map((r) => ageBandOfIdNumber(r.victim_id_number, r.call_answered_at)),
      )) {
        const ofBand = opened
          .filter((r) => ageBandOfIdNumber(r.victim_id_number, r.call_answered_at) === band)
          .map((r) => r.id);
        await trx
          .updateTable('report')
          .set({ victim_age_band: band })
          .where('id', 'in', ofBand)
          .where('victim_age_band', 'is', null)
          .execute();
      }
      return rows.map((r) => r.id);
    });
    if (ids.length === 0) return done;
    done += ids.length;
    await opts.onBatch?.(ids);
  }
}
