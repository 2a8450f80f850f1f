import type { FieldProblem, IntakeBatchResult, ReportDraftInput } from '@fanzha/contracts';
import { validateBankCard, type Clock, type EventEnvelope } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { newEvent } from '../../platform/events';
import { canonicalJson } from '../../platform/crypto/canonical-json';
import { inFutureProblems } from '../../platform/http/clock-skew';
import { AppError, validationError } from '../../platform/http/errors';
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

/** A whole report's transfers as intake writes them (card numbers normalised, the bank from the BIN). */
function intakeTransferRows(d: IntakeInput) {
  return d.transfers.map((t, position) => {
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
  });
}

interface Content {
  call_answered_at: Date;
  victim_name: string | null;
  victim_id_number: string | null;
  victim_phone: string | null;
  victim_county_code: string | null;
  victim_address: string | null;
  narrative: string;
  fraud_type: string | null;
  contacts: unknown;
  transfers: Array<Omit<ReturnType<typeof intakeTransferRows>[number], 'report_id'>>;
}

/** A report's content as stored, in one canonical form: a retry of an id must carry the same. */
const canonicalContent = (c: Content) =>
  canonicalJson({
    callAnsweredAt: c.call_answered_at.toISOString(),
    victim: [c.victim_name, c.victim_id_number, c.victim_phone, c.victim_county_code, c.victim_address],
    narrative: c.narrative,
    fraudType: c.fraud_type,
    contacts: c.contacts,
    transfers: c.transfers.map((t) => ({
      ...t,
      transferred_at: t.transferred_at?.toISOString() ?? null,
      amount_fen: t.amount_fen === null ? null : Number(t.amount_fen),
    })),
  });

const inputContent = (d: IntakeInput) =>
  canonicalContent({
    ...reportColumns(d, new Date(0)),
    contacts: d.contacts,
    transfers: intakeTransferRows(d).map(({ report_id: _, ...t }) => t),
  });

/**
 * A call answered, or money transferred, later than now (beyond clock skew): a wrong clock or time zone in the
 * sending system. Registered, it would count in a day that has not come and be handed to the county at once.
 */
const futureProblems = (d: IntakeInput, now: Date) => [
  ...inFutureProblems('callAnsweredAt', new Date(d.callAnsweredAt), now),
  ...d.transfers.flatMap((t, i) =>
    t.transferredAt ? inFutureProblems(`transfers.${i}.transferredAt`, new Date(t.transferredAt), now) : [],
  ),
];

/**
 * A report id sent again: the same report (a retry) is answered with the first registration; a draft of
 * that id, or a report with other content, is a conflict — never a registration that did not happen.
 */
function retryProblems(
  inputs: IntakeInput[],
  fieldPrefix: (i: number) => string,
  stored: Map<string, { status: string; content: string }>,
) {
  return inputs.flatMap((d, i) => {
    const s = stored.get(d.id);
    if (!s) return [];
    const field = `${fieldPrefix(i)}id`;
    if (s.status === 'draft')
      return [
        { field, reason: 'report.draft', message: 'a draft has this id: submit it, or choose another id' },
      ];
    if (s.content !== inputContent(d))
      return [{ field, reason: 'idempotency.reused', message: 'a report with other content has this id' }];
    return [];
  });
}

/**
 * Whole reports registered in one transaction of a few multi-row statements, whatever their number:
 * the path for telephony systems, bulk forwarding and load. All or nothing: every problem of every
 * report is named. A report id seen before is a retry and is returned unchanged.
 */
export async function intakeReports(
  deps: { db: Kysely<DB>; clock: Clock; wake: () => void; stopPayments: StopPaymentService },
  ctx: Ctx,
  sent: IntakeInput[],
  fieldPrefix: (i: number) => string,
) {
  const now = ctx.at;
  // A UUID in capitals is the same id: the database answers it in lower case, so every map here is keyed so
  // (a capitalised id was registered without its transfers, its requests or its county's task).
  const inputs = sent.map((d) => ({ ...d, id: d.id.toLowerCase() }));
  const problems: FieldProblem[] = inputs.flatMap((d, i) => [
    ...[...draftProblems({ ...d, version: 0 }, now), ...futureProblems(d, now)].map((p) => ({
      ...p,
      field: `${fieldPrefix(i)}${p.field}`,
    })),
    ...duplicateKeyProblems(d, fieldPrefix(i)),
    ...(inputs.findIndex((o) => o.id === d.id) < i
      ? [
          {
            field: `${fieldPrefix(i)}id`,
            reason: 'duplicate',
            message: 'another report of the batch has this id',
          },
        ]
      : []),
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

    // Ids registered before: each must be the same report sent again (nothing of this batch is kept otherwise).
    const retried = inputs.filter((d) => !numbers.has(d.id));
    const stored = new Map(
      (
        await repo.contentOf(
          trx,
          retried.map((d) => d.id),
        )
      ).map((r) => [
        r.report.id,
        { status: r.report.status, content: canonicalContent({ ...r.report, transfers: r.transfers }) },
      ]),
    );
    const conflicts = retryProblems(inputs, fieldPrefix, stored);
    if (conflicts.length > 0)
      throw new AppError(
        'conflict',
        'A report id was registered before with other content, or is a draft',
        conflicts,
      );

    await repo.insertTransfers(trx, fresh.flatMap(intakeTransferRows));

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
      reports: inputs.map((d, i) => ({
        id: sent[i]!.id,
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
