import type { StopPaymentView } from '@fanzha/contracts';
import { MAX_EMERGENCY_STOPS, type EventEnvelope } from '@fanzha/domain';
import { appendAudit, auditEntry } from '../audit/index';
import { loadStopPaymentViews } from '../case/index';
import { AppError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { changedEvent } from './stop-payment.requests';
import { stopPaymentRepository as repo } from './stop-payment.repository';
import {
  lockForBank,
  lockInScope,
  transition,
  unsetMilestones,
  type Ctx,
  type StopPaymentContext,
} from './stop-payment.shared';

/** What the desk and the bank do to one request: send it, stop an account a second time, acknowledge it. */
export function createDeskActions(c: StopPaymentContext) {
  const { db, clock, bankInstructions, writer } = c;

  return {
    /** The desk sends a pending request to its bank: signed, with the legal document's number. */
    async send(ctx: Ctx, id: string, legalDocNumber: string): Promise<StopPaymentView> {
      const view = await db.transaction().execute(async (trx) => {
        const { row, report, milestones } = await lockInScope(trx, ctx.actor, id);
        transition(row, 'send');
        const events: EventEnvelope[] = [];
        const [sent] = writer.prepareSend(
          [row],
          report.number,
          { legalDocNumber, sentBy: ctx.actor.username },
          ctx.at,
        );
        await repo.update(trx, [id], sent!.patch);
        await bankInstructions.insertPrepared(trx, [sent!.instruction]);
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'stop-payment.send',
            objectType: 'stop_payment',
            objectId: id,
            result: 'success',
            details: { bankCode: row.bank_code, layer: row.layer, legalDocNumber },
          }),
        );
        const changed = changedEvent(
          clock,
          { ...row, ...sent!.patch, instruction: sent!.instruction.payload },
          report,
          ctx.at,
        );
        await enqueue(trx, ...events, changed.event);
        // Last: the report's row is locked from here to the commit only, so the concurrent sends of one
        // report's requests, which wait on the first one's milestone, wait for its commit and no more.
        await c.markReportMilestones(
          trx,
          row.report_id,
          unsetMilestones(milestones, { firstInstructionSentAt: ctx.at }),
        );
        return changed.view;
      });
      await bankInstructions.afterCommit();
      c.wake();
      return view;
    },

    /**
     * The second — and last — emergency stop of an account in a case, before or after the first lapses:
     * a new instruction to the same bank, which the bank answers like the first.
     */
    async restop(ctx: Ctx, id: string, legalDocNumber: string): Promise<StopPaymentView> {
      const view = await db.transaction().execute(async (trx) => {
        const { row, report, milestones } = await lockInScope(trx, ctx.actor, id);
        const facts = await repo.restopFacts(trx, row);
        if (facts.stops >= MAX_EMERGENCY_STOPS)
          throw new AppError(
            'conflict',
            `This account already had ${MAX_EMERGENCY_STOPS} emergency stops in this case: convert it into a freeze`,
          );
        if (!row.stopped_at) throw new AppError('conflict', 'Only a stopped account can be stopped again');
        if (facts.isFrozen) throw new AppError('conflict', 'The account is frozen: renew the freeze instead');
        const events: EventEnvelope[] = [];
        const [renewal] = await writer.create(
          trx,
          [
            {
              reportId: row.report_id,
              parentId: row.parent_id,
              layer: row.layer,
              account: { number: row.account_number, name: row.account_name, bankCode: row.bank_code },
              amountFen: row.amount_fen,
              transferredAt: row.transferred_at,
              stopSeq: row.stop_seq + 1,
              renewsId: row.id,
            },
          ],
          new Map([[row.report_id, report]]),
          ctx.at,
          events,
          { legalDocNumber, sentBy: ctx.actor.username },
        );
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'stop-payment.restop',
            objectType: 'stop_payment',
            objectId: renewal!.id,
            result: 'success',
            details: { renews: id, bankCode: row.bank_code, legalDocNumber },
          }),
        );
        await enqueue(trx, ...events);
        // Last, as in send (a second stop comes after a first: its report's moment is set, and no update runs).
        await c.markReportMilestones(
          trx,
          row.report_id,
          unsetMilestones(milestones, { firstInstructionSentAt: ctx.at }),
        );
        return renewal!;
      });
      await bankInstructions.afterCommit();
      c.wake();
      return view;
    },

    /** The bank has the instruction and is working on it. Repeated, it changes nothing. */
    async acknowledge(ctx: Ctx, id: string): Promise<StopPaymentView> {
      const view = await db.transaction().execute(async (trx) => {
        const locked = await lockForBank(trx, ctx.actor, id);
        const row = locked.row;
        if (row.status === 'acknowledged') return (await loadStopPaymentViews(trx, [row], ctx.at))[0]!;
        const status = transition(row, 'ack');
        const patch = { status, acknowledged_at: ctx.at, updated_at: ctx.at };
        await repo.update(trx, [id], patch);
        const instruction = await bankInstructions.lockForBank(trx, ctx.actor, id);
        await bankInstructions.acknowledge(trx, instruction, ctx.at);
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'stop-payment.acknowledge',
            objectType: 'stop_payment',
            objectId: id,
            result: 'success',
          }),
        );
        const changed = changedEvent(clock, { ...row, ...patch }, locked.report, ctx.at);
        const events = [changed.event];
        await enqueue(trx, ...events);
        return changed.view;
      });
      await bankInstructions.afterCommit();
      c.wake();
      return view;
    },
  };
}
