import { randomUUID } from 'node:crypto';
import type { FieldProblem, IntakeBatchResult, ReportDraftInput, StopPaymentView } from '@fanzha/contracts';
import { findBankByCode, urgencyScore, validateBankCard, type Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { newEvent } from '../../platform/events';
import { validationError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import type { Actor } from '../../platform/actor';
import { nextReportNumber, reportColumns } from './report-columns';
import { draftProblems } from '../case/index';
import { firstLayerAccounts } from './reports.service';
import { issueCountyTasks } from '../county-tasks/index';
import { notYetStopped } from '../case/index';

type Ctx = AuditContext & { actor: Actor };
export type IntakeInput = Omit<ReportDraftInput, 'version'> & { id: string };

/**
 * Whole reports registered in one transaction of a few multi-row statements, whatever their number:
 * the path for telephony systems, bulk forwarding and load. All or nothing: every problem of every
 * report is named. A report id seen before is a retry and is returned unchanged.
 */
export async function intakeReports(
  deps: { db: Kysely<DB>; clock: Clock; wake: () => void },
  ctx: Ctx,
  inputs: IntakeInput[],
  fieldPrefix: (i: number) => string,
) {
  const now = ctx.at;
  const problems: FieldProblem[] = inputs.flatMap((d, i) =>
    draftProblems({ ...d, version: 0 }, now).map((p) => ({ ...p, field: `${fieldPrefix(i)}${p.field}` })),
  );
  if (problems.length > 0) throw validationError(problems);
  const accountsOf = new Map(inputs.map((d) => [d.id, firstLayerAccounts({ ...d, version: 0 })]));

  const result = await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('report')
      .values(
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
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .returning(['id', 'number'])
      .execute();
    const numbers = new Map(inserted.map((r) => [r.id, r.number]));
    const fresh = inputs.filter((d) => numbers.has(d.id));

    const transfers = fresh.flatMap((d) =>
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
    );
    if (transfers.length > 0) await trx.insertInto('report_transfer').values(transfers).execute();

    const requests = fresh.flatMap((d) =>
      accountsOf.get(d.id)!.map((a) => ({ reportId: d.id, account: a, id: randomUUID() })),
    );
    if (requests.length > 0)
      await trx
        .insertInto('stop_payment')
        .values(
          requests.map((r) => ({
            id: r.id,
            report_id: r.reportId,
            parent_id: null,
            layer: 1,
            account_number: r.account.number,
            account_name: r.account.name,
            bank_code: r.account.bankCode,
            amount_fen: r.account.amountFen,
            transferred_at: r.account.transferredAt,
            status: 'pending' as const,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();

    // The views are known without reading back: the desk's events are built from what was written.
    const views: StopPaymentView[] = requests.map((r) => ({
      id: r.id,
      reportId: r.reportId,
      reportNumber: numbers.get(r.reportId)!,
      parentId: null,
      layer: 1,
      account: {
        number: r.account.number,
        name: r.account.name,
        bankCode: r.account.bankCode,
        bankName: findBankByCode(r.account.bankCode)?.nameZh ?? null,
      },
      amountFen: r.account.amountFen,
      transferredAt: r.account.transferredAt?.toISOString() ?? null,
      status: 'pending',
      urgency: urgencyScore(
        { transferredAt: r.account.transferredAt, amountFen: r.account.amountFen, layer: 1 },
        now,
      ),
      legalDocNumber: null,
      createdAt: now.toISOString(),
      sentAt: null,
      acknowledgedAt: null,
      result: null,
      ...notYetStopped,
    }));
    // Each report goes to its victim's county at once (属地推送): county checked by draftProblems.
    const countyOf = new Map(fresh.map((d) => [d.id, d.victim.countyCode!]));
    await issueCountyTasks(
      trx,
      deps.clock,
      fresh.map((d) => ({ reportId: d.id, countyCode: countyOf.get(d.id)! })),
      now,
    );
    await enqueue(
      trx,
      ...views.map((v) =>
        newEvent(
          'stop-payment.changed',
          {
            request: v,
            reportCreatedBy: ctx.actor.userId,
            owningCountyCode: countyOf.get(v.reportId) ?? null,
          },
          deps.clock,
        ),
      ),
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
    const oldReports = old.length
      ? await trx.selectFrom('report').select(['id', 'number', 'created_by']).where('id', 'in', old).execute()
      : [];
    const oldRequests = old.length
      ? await trx
          .selectFrom('stop_payment')
          .select(['id', 'report_id'])
          .where('report_id', 'in', old)
          .where('parent_id', 'is', null)
          .execute()
      : [];
    for (const r of oldReports) numbers.set(r.id, r.number);
    const out: IntakeBatchResult = {
      reports: inputs.map((d) => ({
        id: d.id,
        number: numbers.get(d.id) ?? '',
        isNew: fresh.includes(d),
        stopPaymentIds: fresh.includes(d)
          ? requests.filter((r) => r.reportId === d.id).map((r) => r.id)
          : oldRequests.filter((r) => r.report_id === d.id).map((r) => r.id),
      })),
    };
    return out;
  });
  deps.wake();
  return result;
}
