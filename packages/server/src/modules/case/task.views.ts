import type { CountyTaskView } from '@fanzha/contracts';
import { countyLabel, isTaskOverdue } from '@fanzha/domain';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { CountyTaskTable, DB } from '../../db/schema';
import { usernames } from './freeze.views';

type Db = Kysely<DB> | Transaction<DB>;
export type CountyTaskRow = Selectable<CountyTaskTable>;
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Views of tasks with their reports' headline figures and the people's usernames, in three queries. */
export async function loadTaskViews(db: Db, rows: CountyTaskRow[], now: Date): Promise<CountyTaskView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [reports, successors, names] = await Promise.all([
    db
      .selectFrom('report')
      .select(['id', 'number', 'fraud_type', 'total_loss_fen'])
      .where('id', 'in', [...new Set(rows.map((r) => r.report_id))])
      .execute(),
    db
      .selectFrom('county_task')
      .select(['transferred_from_id', 'county_code'])
      .where('transferred_from_id', 'in', ids)
      .execute(),
    usernames(
      db,
      rows.flatMap((r) => [r.accepted_by, r.answered_by, r.transferred_by]),
    ),
  ]);
  const reportOf = new Map(reports.map((r) => [r.id, r]));
  const movedTo = new Map(successors.map((s) => [s.transferred_from_id, s.county_code]));
  const name = (id: string | null) => (id ? (names.get(id) ?? '') : null);
  return rows.map((t) => {
    const report = reportOf.get(t.report_id);
    return {
      id: t.id,
      reportId: t.report_id,
      reportNumber: report?.number ?? '',
      countyCode: t.county_code,
      countyName: countyLabel(t.county_code) ?? null,
      status: t.status,
      fraudType: report?.fraud_type ?? null,
      totalLossFen: report?.total_loss_fen ?? 0,
      issuedAt: t.issued_at.toISOString(),
      acceptDueAt: t.accept_due_at.toISOString(),
      dueAt: t.due_at.toISOString(),
      isOverdue: isTaskOverdue({ status: t.status, acceptDueAt: t.accept_due_at, dueAt: t.due_at }, now),
      acceptedAt: iso(t.accepted_at),
      acceptedBy: name(t.accepted_by),
      contactedAt: iso(t.contacted_at),
      caseNumber: t.case_number,
      answer: t.answer,
      answeredAt: iso(t.answered_at),
      answeredBy: name(t.answered_by),
      transferredFromId: t.transferred_from_id,
      transferReason: t.transfer_reason,
      transferredAt: iso(t.transferred_at),
      transferredBy: name(t.transferred_by),
      transferredToCounty: movedTo.get(t.id) ?? null,
    };
  });
}
