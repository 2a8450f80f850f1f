import { randomUUID } from 'node:crypto';
import type { StopPaymentView } from '@fanzha/contracts';
import { EMERGENCY_STOP_HOURS, type Clock, type EventEnvelope } from '@fanzha/domain';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { newEvent } from '../../platform/events';
import type { BankInstructionService, InstructionSpec, NewBankInstruction } from '../bank-protocol/index';
import { toStopPaymentView, type StopPaymentRow } from '../case/index';
import {
  stopPaymentRepository as repo,
  type OnwardTransferRow,
  type ReportFacts,
  type StopPaymentPatch,
} from './stop-payment.repository';

type Trx = Transaction<DB>;

/** A request to be created: a first-layer account, a next-layer account of the cascade, or a second stop. */
export interface NewRequest {
  id?: string;
  reportId: string;
  parentId: string | null;
  layer: number;
  account: { number: string; name: string | null; bankCode: string };
  amountFen: number;
  transferredAt: Date | null;
  stopSeq?: number;
  renewsId?: string | null;
}

/** Under whose legal document, and by whom, requests go to their banks. */
export interface Sending {
  legalDocNumber: string;
  sentBy: string;
}

/** The signed emergency stop of a request (version 2: the 48 hours run from the bank's stop). */
function stopSpec(row: StopPaymentRow, reportNumber: string, legalDocNumber: string): InstructionSpec {
  return {
    kind: 'emergency_stop_payment',
    id: row.id,
    bankCode: row.bank_code,
    account: { number: row.account_number, name: row.account_name },
    reportId: row.report_id,
    reportNumber,
    stopPaymentId: row.id,
    fields: {
      amountFen: row.amount_fen,
      transferredAt: row.transferred_at?.toISOString() ?? null,
      legalDocNumber,
      layer: row.layer,
      parentInstructionId: row.parent_id,
      lapsesAfterHours: EMERGENCY_STOP_HOURS,
      stopSeq: row.stop_seq === 2 ? 2 : 1,
      renewsInstructionId: row.renews_id,
    },
  };
}

/** The `stop-payment.changed` event of a request, from its row as written. */
export function changedEvent(
  clock: Clock,
  row: StopPaymentRow,
  report: ReportFacts,
  now: Date,
  onward: OnwardTransferRow[] = [],
  holderIdNumberSealed?: string,
): { event: EventEnvelope; view: StopPaymentView } {
  const view = toStopPaymentView(row, report.number, onward, null, now);
  const event = newEvent(
    'stop-payment.changed',
    {
      request: view,
      reportCreatedBy: report.createdBy,
      owningCountyCode: report.owningCountyCode,
      // Beside the view, never in it: for the two-cards registry, not for the desks.
      ...(holderIdNumberSealed ? { holderIdNumberSealed } : {}),
    },
    clock,
  );
  return { event, view };
}

/**
 * The one way requests come into being (drafts, whole-report intake, second stops, the cascade): rows built
 * from the values in hand, pending or already signed and sent, written in one multi-row insert, their events
 * built from the same values without reading back.
 */
export function createRequestWriter(deps: { clock: Clock; bankInstructions: BankInstructionService }) {
  const { clock, bankInstructions } = deps;

  /** The patch that sends a request: its signed instruction and the legal document it goes under. */
  function sentPatch(i: NewBankInstruction, sending: Sending, now: Date) {
    return {
      status: 'sent' as const,
      legal_doc_number: sending.legalDocNumber,
      instruction: JSON.stringify(i.payload),
      signature: i.signature,
      key_id: i.keyId,
      signature_alg: i.algorithm,
      sent_at: now,
      sent_by: sending.sentBy,
      updated_at: now,
    } satisfies StopPaymentPatch;
  }

  /** Rows and (when sent) signed instructions for new requests; nothing is written yet. */
  function prepare(news: NewRequest[], reports: Map<string, ReportFacts>, now: Date, sending?: Sending) {
    const rows: StopPaymentRow[] = news.map((n) => ({
      id: n.id ?? randomUUID(),
      report_id: n.reportId,
      parent_id: n.parentId,
      layer: n.layer,
      account_number: n.account.number,
      account_name: n.account.name,
      bank_code: n.account.bankCode,
      amount_fen: n.amountFen,
      transferred_at: n.transferredAt,
      status: 'pending',
      legal_doc_number: null,
      instruction: null,
      signature: null,
      key_id: null,
      signature_alg: null,
      created_at: now,
      sent_at: null,
      sent_by: null,
      acknowledged_at: null,
      outcome: null,
      stopped_fen: null,
      balance_fen: null,
      failure_reason: null,
      note: null,
      account_use: null,
      answered_at: null,
      answered_by: null,
      answer_key: null,
      answer_hash: null,
      updated_at: now,
      stop_seq: n.stopSeq ?? 1,
      renews_id: n.renewsId ?? null,
      stopped_at: null,
      expires_at: null,
      lapsed_at: null,
      renewed_at: null,
    }));
    const instructions = sending
      ? bankInstructions.prepare(
          rows.map((r) => stopSpec(r, reports.get(r.report_id)!.number, sending.legalDocNumber)),
          now,
        )
      : [];
    // As read back: the instruction column holds the payload itself.
    instructions.forEach((i, k) =>
      Object.assign(rows[k]!, { ...sentPatch(i, sending!, now), instruction: i.payload }),
    );
    return { rows, instructions };
  }

  return {
    prepare,
    sentPatch,

    /** Signs already stored requests for sending (the desk's send): the patch of each, and its instruction. */
    prepareSend(rows: StopPaymentRow[], reportNumber: string, sending: Sending, now: Date) {
      const instructions = bankInstructions.prepare(
        rows.map((r) => stopSpec(r, reportNumber, sending.legalDocNumber)),
        now,
      );
      return instructions.map((i) => ({ instruction: i, patch: sentPatch(i, sending, now) }));
    },

    /**
     * Creates requests: one insert, then (when sent) their instructions in one more, then their events added to
     * `events` (for the caller's single enqueue). Returns the views as written.
     */
    async create(
      trx: Trx,
      news: NewRequest[],
      reports: Map<string, ReportFacts>,
      now: Date,
      events: EventEnvelope[],
      sending?: Sending,
    ): Promise<StopPaymentView[]> {
      if (news.length === 0) return [];
      const { rows, instructions } = prepare(news, reports, now, sending);
      await repo.insert(trx, rows);
      await bankInstructions.insertPrepared(trx, instructions);
      return rows.map((r) => {
        const { event, view } = changedEvent(clock, r, reports.get(r.report_id)!, now);
        events.push(event);
        return view;
      });
    },
  };
}
export type RequestWriter = ReturnType<typeof createRequestWriter>;
