import { sql, type Expression, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';

/** A group's figures from its reports (a cluster's, for the list): no personal data, victims by blind index. */
export interface ReportGroupFigures {
  groupId: string;
  reportCount: number;
  /** Each victim once by blind index (ID number, else phone); a report without either counts as one. */
  victimCount: number;
  lossFen: number;
  countyCount: number;
  fraudTypeCount: number;
  firstReportedAt: Date | null;
  lastReportedAt: Date | null;
}

interface FiguresRow {
  group_id: string;
  reports: string | number;
  victims: string | number;
  loss_fen: string | number;
  counties: string | number;
  fraud_types: string | number;
  first_at: Date | string | null;
  last_at: Date | string | null;
}

/**
 * The figures of groups of reports in one statement: `members` is the caller's query of (group_id, report_id)
 * pairs (a module's own membership table), joined to the reports by primary key and aggregated per group. The
 * same rules as a cluster's profile: the owning county, else the victim's; submitted, else call answered.
 */
export function reportGroupFiguresQuery(members: Expression<{ group_id: string; report_id: string }>) {
  const victim = sql`coalesce(r.victim_id_number_bidx, r.victim_phone_bidx)`;
  const at = sql`coalesce(r.submitted_at, r.call_answered_at)`;
  return sql<FiguresRow>`
    select m.group_id,
           count(*) as reports,
           count(distinct ${victim}) + count(*) filter (where ${victim} is null) as victims,
           coalesce(sum(r.total_loss_fen), 0) as loss_fen,
           count(distinct coalesce(r.owning_county_code, r.victim_county_code)) as counties,
           count(distinct r.fraud_type) as fraud_types,
           min(${at}) as first_at,
           max(${at}) as last_at
      from (${members}) m
      join report r on r.id = m.report_id
     group by m.group_id`;
}

export async function reportGroupFigures(
  db: Kysely<DB> | Transaction<DB>,
  members: Expression<{ group_id: string; report_id: string }>,
): Promise<ReportGroupFigures[]> {
  const { rows } = await reportGroupFiguresQuery(members).execute(db);
  const time = (v: Date | string | null) => (v === null ? null : new Date(v));
  return rows.map((r) => ({
    groupId: r.group_id,
    reportCount: Number(r.reports),
    victimCount: Number(r.victims),
    lossFen: Number(r.loss_fen),
    countyCount: Number(r.counties),
    fraudTypeCount: Number(r.fraud_types),
    firstReportedAt: time(r.first_at),
    lastReportedAt: time(r.last_at),
  }));
}
