import type { FieldProblem, IntakeBatchResult, ReportDraftInput } from '@fanzha/contracts';
import { validateBankCard, type Clock, type EventEnvelope } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { newEvent } from '../../platform/events';
import { validationError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import type { Actor } from '../../platform/actor';
import { duplicateKeyProblems, firstLayerAccounts, nextReportNumber, reportColumns } from './report-columns';
import { draftProblems } from '../case/index';
import { issueTasks } from '../county-tasks/index';
import { reportHandOff } from './reports.repository';
import type { StopPaymentService } from '../stop-payment/index';
import { reportsRepository as repo } from './reports.repository';

type Ctx = AuditContext & { actor: Actor };
export type IntakeInput = Omit<ReportDraftInput, 'version'> & { id: string };

/**
 * Whole reports registered in one transaction of a few multi-row statements, whatever their number:
 * the path for telephony systems, bulk forwarding and load. All or nothing: every problem of every
 * report is named. A report id seen before is a retry and is returned unchanged.
 */
export async function intakeReports(
  deps: { db: Kysely<DB>; clock: Clock; wake: () => void; stopPayments: StopPaymentService },
  ctx: Ctx,
  inputs: IntakeInput[],
  fieldPrefix: (i: number) => string,
) {
  const now = ctx.at;
  const problems: FieldProblem[] = inputs.flatMap((d, i) => [
    ...draftProblems({ ...d, version: 0 }, now).map((p) => ({ ...p, field: `${fieldPrefix(i)}${p.field}` })),
    ...duplicateKeyProblems(d, fieldPrefix(i)),
  ]);
  if (problems.length > 0) throw validationError(problems);
  const accountsOf = new Map(inputs.map((d) => [d.id, firstLayerAccounts({ ...d, version: 0 })]));

  const result = await deps.db.transaction().execute(async (trx) => {
    const inserted = await repo.insertNew(
      trx,
      inputs.map((d) => ({
        id: d.id,
        number: nextReportNumber(now),
        version: 1,
        status: 'registered' as const,
        created_by: ctx.actor.userId,
        ...reportColumns(d, now),
        first_account_pushed_at: accountsOf.get(d.id)!.length > 0 ? now : null,
        submitted_at: now,
        created_at: now,
      })),
    );
    const numbers = new Map(inserted.map((r) => [r.id, r.number]));
    const fresh = inputs.filter((d) => numbers.has(d.id));

    await repo.insertTransfers(
      trx,
      fresh.flatMap((d) =>
        d.transfers.map((t, position) => {
          const card = t.toAccount.number ? validateBankCard(t.toAccount.number) : undefined;
          return {
            report_id: d.id,
            key: t.key,
            position,
            transferred_at: t.transferredAt ? new Date(t.transferredAt) : null,
            amount_fen: t.amountFen ?? null,
            victim_account: t.victimAccount?.trim() || null,
            to_number: card?.ok ? card.value.number : null,
            to_name: t.toAccount.name?.trim() || null,
            to_bank_code: t.toAccount.bankCode ?? (card?.ok ? card.value.bankCode : null),
          };
        }),
      ),
    );

    // Each report goes to its victim's county at once (属地推送): county checked by draftProblems.
    const countyOf = new Map(fresh.map((d) => [d.id, d.victim.countyCode!]));
    // The desk's events are built from what was written, not read back.
    const events: EventEnvelope[] = [];
    const views = await deps.stopPayments.createRequests(
      trx,
      fresh.flatMap((d) =>
        accountsOf.get(d.id)!.map((a) => ({
          reportId: d.id,
          parentId: null,
          layer: 1,
          account: { number: a.number, name: a.name, bankCode: a.bankCode },
          amountFen: a.amountFen,
          transferredAt: a.transferredAt,
        })),
      ),
      new Map(
        fresh.map((d) => [
          d.id,
          {
            id: d.id,
            number: numbers.get(d.id)!,
            createdBy: ctx.actor.userId,
            owningCountyCode: countyOf.get(d.id)!,
          },
        ]),
      ),
      now,
      events,
    );
    await issueTasks(
      trx,
      deps.clock,
      fresh.map((d) => ({ reportId: d.id, countyCode: countyOf.get(d.id)! })),
      now,
      reportHandOff,
    );
    await enqueue(
      trx,
      ...events,
      ...fresh.map((d) =>
        newEvent(
          'report.changed',
          {
            id: d.id,
            number: numbers.get(d.id)!,
            status: 'routed',
            version: 1,
            createdBy: ctx.actor.userId,
          },
          deps.clock,
        ),
      ),
    );
    await appendAudit(
      trx,
      ...fresh.map((d) =>
        auditEntry(ctx, {
          action: 'report.intake',
          objectType: 'report',
          objectId: d.id,
          result: 'success',
          details: { number: numbers.get(d.id) },
        }),
      ),
    );

    // Retries: the numbers and requests of reports registered before.
    const old = inputs.filter((d) => !numbers.has(d.id)).map((d) => d.id);
    const [oldReports, oldRequests] = await Promise.all([
      repo.numbersOf(trx, old),
      deps.stopPayments.firstLayerIds(trx, old),
    ]);
    for (const r of oldReports) numbers.set(r.id, r.number);
    const out: IntakeBatchResult = {
      reports: inputs.map((d) => ({
        id: d.id,
        number: numbers.get(d.id) ?? '',
        isNew: fresh.includes(d),
        stopPaymentIds: fresh.includes(d)
          ? views.filter((v) => v.reportId === d.id).map((v) => v.id)
          : oldRequests.filter((r) => r.report_id === d.id).map((r) => r.id),
      })),
    };
    return out;
  });
  deps.wake();
  return result;
}
