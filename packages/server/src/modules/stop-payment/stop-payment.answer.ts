import { randomUUID } from 'node:crypto';
import type { FieldProblem, InstructionResult, StopPaymentView } from '@fanzha/contracts';
import {
  normaliseHolderIdNumber,
  planCascade,
  stopAnswerProblems,
  instructionDeadlineAt,
  stopExpiresAt,
  type EventEnvelope,
} from '@fanzha/domain';
import { inFutureProblems } from '../../platform/http/clock-skew';
import { answerHash, executedAtProblems } from '../bank-protocol/index';
import { appendAudit, auditEntry } from '../audit/index';
import { isProblem, loadStopPaymentViews, resolveAccount, type ResolvedAccount } from '../case/index';
import { AppError, validationError } from '../../platform/http/errors';
import { fieldCipher } from '../../platform/crypto/field-cipher';
import { enqueue } from '../../platform/outbox/outbox';
import { changedEvent } from './stop-payment.requests';
import { stopPaymentRepository as repo, type OnwardTransferRow } from './stop-payment.repository';
import {
  HOLDER_ID_NUMBER_PLACE,
  lockForBank,
  transition,
  unsetMilestones,
  type Ctx,
  type StopPaymentContext,
} from './stop-payment.shared';

/**
 * The bank's answer, in a fixed number of statements whatever the number of onward transfers: the request
 * locked with its report's facts; the case's requests for all the onward accounts in one read; the answer, the
 * next layer (already signed and sent) and the onward transfers written in one statement; the instructions in
 * one insert; every event built from the values written; last, the report's milestones in one update (its row
 * locked only from there to the commit), and after the commit the banks' feeds numbered in a round of their
 * own, which concurrent answers naming the same banks share.
 *
 * Idempotent on the key and on the content: the same answer again changes nothing; a different answer to an
 * answered instruction is refused.
 */
export function createAnswer(c: StopPaymentContext) {
  const { db, bankInstructions } = c;

  return async function answer(
    ctx: Ctx,
    id: string,
    body: InstructionResult,
    idempotencyKey: string,
  ): Promise<StopPaymentView> {
    const problems: FieldProblem[] = stopAnswerProblems(body).map((p) => ({
      ...p,
      field: `body.${p.field}`,
    }));
    // The holder's ID number goes on, sealed, in the event only (to the two-cards registry). The answer's hash,
    // kept in the clear, takes its blind index instead: the same number hashes the same, and cannot be guessed
    // back.
    const cipher = await fieldCipher(db);
    let holderIdNumber: string | undefined;
    let hashed: InstructionResult = body;
    if (body.holderIdNumber !== undefined) {
      const id = normaliseHolderIdNumber(body.holderIdNumber, ctx.at);
      if (id.ok) {
        holderIdNumber = id.value;
        hashed = { ...body, holderIdNumber: cipher.blindIndex('two_card_holder.id_number', id.value) };
      } else problems.push({ field: 'body.holderIdNumber', reason: id.reason, message: id.message });
    }
    const hash = answerHash(hashed);
    const onward = body.onwardTransfers.map((t, i) => {
      const r = resolveAccount(`body.onwardTransfers.${i}.account`, t.account.number, t.account.bankCode, {
        isCardOnly: false,
      });
      if (isProblem(r)) problems.push(r);
      // Money moved on before the answer, perhaps before the stop too, but never later than now: a date ahead
      // would reach the next bank in a signed stop.
      problems.push(
        ...inFutureProblems(`body.onwardTransfers.${i}.transferredAt`, new Date(t.transferredAt), ctx.at),
      );
      return { ...t, resolved: r };
    });
    const accounts = onward.flatMap((t) => (isProblem(t.resolved) ? [] : [t.resolved]));
    const view = await db.transaction().execute(async (trx) => {
      const locked = await lockForBank(trx, ctx.actor, id);
      const row = locked.row;
      if (row.answer_hash !== null) {
        if (row.answer_hash === hash) return (await loadStopPaymentViews(trx, [row], ctx.at))[0]!; // a retry
        throw new AppError(
          'conflict',
          row.answer_key === idempotencyKey
            ? 'This Idempotency-Key was used for a different answer'
            : 'This instruction has already been answered differently',
        );
      }
      if (body.stoppedFen > row.amount_fen)
        problems.push({
          field: 'body.stoppedFen',
          reason: 'too_large',
          message: `at most the amount involved (${row.amount_fen} fen)`,
        });
      // The instruction of an emergency stop has the request's id and was issued when it was sent; the request's
      // lock (taken first by every change to it) also guards the instruction, so it is not read again here.
      const instruction = { id, bank_code: row.bank_code, issued_at: row.sent_at ?? row.created_at };
      const known = await repo.knownAccounts(
        trx,
        row.report_id,
        accounts.map((a) => a.number),
      );
      const stoppedAt = body.stoppedAt ? new Date(body.stoppedAt) : ctx.at;
      if (body.stoppedAt)
        problems.push(...executedAtProblems('body.stoppedAt', stoppedAt, instruction, ctx.at));
      if (problems.length > 0) throw validationError(problems);
      const status = transition(row, body.outcome === 'stopped' ? 'answer_stopped' : 'answer_failed');
      const isStopped = status === 'stopped';
      const events: EventEnvelope[] = [];
      await bankInstructions.recordAnswer(
        trx,
        id,
        {
          status: isStopped ? 'stopped' : 'failed',
          amountFen: body.stoppedFen,
          executedAt: isStopped ? stoppedAt : null,
          bankReference: null,
          failureReason: body.failureReason ?? null,
          note: body.note ?? null,
          answeredBy: ctx.actor.username,
          answerKey: idempotencyKey,
          answerHash: hash,
        },
        ctx.at,
        // The deadline now running, from the values in hand (no read): a stop answered for the first time has
        // no freeze yet (only a stop the bank confirmed can be frozen), has not lapsed and is renewed by none.
        instructionDeadlineAt({
          kind: 'emergency_stop_payment',
          status: isStopped ? 'stopped' : 'failed',
          stop: { expiresAt: isStopped ? stopExpiresAt(stoppedAt) : null, lapsedAt: null, renewedAt: null },
          freezes: [],
        }),
      );

      // The next layer: the legal basis of the parent covers the money it led to, so it goes out at once.
      const plan = planCascade(accounts, new Map(known.map((k) => [k.account_number, k.id])), randomUUID);
      const resolved = (position: number) => onward[position]!.resolved as ResolvedAccount;
      const reports = new Map([[row.report_id, locked.report]]);
      const children = c.writer.prepare(
        plan.fresh.map(({ position, id: childId }) => ({
          id: childId,
          reportId: row.report_id,
          parentId: row.id,
          layer: row.layer + 1,
          account: {
            number: resolved(position).number,
            name: onward[position]!.account.name ?? null,
            bankCode: resolved(position).bankCode,
          },
          amountFen: onward[position]!.amountFen,
          transferredAt: new Date(onward[position]!.transferredAt),
        })),
        reports,
        ctx.at,
        { legalDocNumber: row.legal_doc_number ?? '', sentBy: 'cascade' },
      );
      const onwardRows: OnwardTransferRow[] = onward.map((t, position) => ({
        stop_payment_id: row.id,
        position,
        account_number: resolved(position).number,
        account_name: t.account.name ?? null,
        bank_code: resolved(position).bankCode,
        amount_fen: t.amountFen,
        transferred_at: new Date(t.transferredAt),
        child_id: plan.childIds[position]!,
      }));
      const patch = {
        status,
        outcome: body.outcome,
        stopped_fen: body.stoppedFen,
        balance_fen: body.balanceFen ?? null,
        failure_reason: body.failureReason ?? null,
        note: body.note ?? null,
        account_use: body.accountUse ?? null,
        answered_at: ctx.at,
        answered_by: ctx.actor.username,
        answer_key: idempotencyKey,
        answer_hash: hash,
        updated_at: ctx.at,
        // The legal clock starts at the stop: 48 hours to freeze or stop again.
        ...(isStopped ? { stopped_at: stoppedAt, expires_at: stopExpiresAt(stoppedAt) } : {}),
      };
      const renews = isStopped && row.renews_id ? row.renews_id : null;
      await repo.recordAnswer(
        trx,
        { id, patch },
        renews ? { id: renews, patch: { renewed_at: ctx.at, updated_at: ctx.at } } : null,
        children.rows,
        onwardRows,
      );
      // The first stop's lapse no longer runs once a second stop is confirmed (a rare answer: read and written).
      if (renews) await bankInstructions.refreshDeadlines(trx, { stopPaymentIds: [renews] }, ctx.at);
      await bankInstructions.insertPrepared(trx, children.instructions);
      await appendAudit(
        trx,
        auditEntry(ctx, {
          action: 'stop-payment.answer',
          objectType: 'stop_payment',
          objectId: id,
          result: 'success',
          details: {
            outcome: body.outcome,
            stoppedFen: body.stoppedFen,
            onward: children.rows.length,
            idempotencyKey,
          },
        }),
      );
      const answered = changedEvent(
        c.clock,
        { ...row, ...patch },
        locked.report,
        ctx.at,
        onwardRows,
        holderIdNumber && cipher.seal(HOLDER_ID_NUMBER_PLACE, [row.id], holderIdNumber),
      );
      events.push(answered.event);
      // The stop a second stop renews may carry a freeze's history: its view is read (a rare answer).
      if (renews) await c.changedEvents(trx, [renews], events);
      for (const child of children.rows)
        events.push(changedEvent(c.clock, child, locked.report, ctx.at).event);
      await enqueue(trx, ...events);
      // Last: the report's row is locked from here to the commit only (concurrent answers and sends for one
      // report wait on its milestones).
      await c.markReportMilestones(
        trx,
        row.report_id,
        unsetMilestones(locked.milestones, {
          firstStopResultAt: ctx.at,
          ...(children.rows.length > 0 ? { firstInstructionSentAt: ctx.at } : {}),
        }),
      );
      return answered.view;
    });
    await bankInstructions.afterCommit();
    c.wake();
    return view;
  };
}
