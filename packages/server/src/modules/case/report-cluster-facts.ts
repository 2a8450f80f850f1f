import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

/** What a cluster's profile (串并案) needs of a report: no personal data, the victim by blind index only. */
export interface ReportClusterFacts {
  id: string;
  number: string;
  /** The victim's blind index (ID number, else phone): one person on two reports counts once. */
  victimKey: string | null;
  lossFen: number;
  /** The county that owns the case, else the victim's county. */
  countyCode: string | null;
  fraudType: string | null;
  /** When it was submitted (else when its call was answered). */
  reportedAt: Date;
}

/** The cluster facts of the given reports (one statement, by primary key). */
export async function reportClusterFacts(
  db: Kysely<DB> | Transaction<DB>,
  ids: readonly string[],
): Promise<ReportClusterFacts[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('report')
    .select([
      'id',
      'number',
      'victim_id_number_bidx',
      'victim_phone_bidx',
      'total_loss_fen',
      'owning_county_code',
      'victim_county_code',
      'fraud_type',
      'submitted_at',
      'call_answered_at',
    ])
    .where('id', 'in', [...ids])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    victimKey: r.victim_id_number_bidx ?? r.victim_phone_bidx,
    lossFen: Number(r.total_loss_fen),
    countyCode: r.owning_county_code ?? r.victim_county_code,
    fraudType: r.fraud_type,
    reportedAt: r.submitted_at ?? r.call_answered_at,
  }));
}
