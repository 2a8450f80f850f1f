import type { FreezeView, StopPaymentView } from '@fanzha/contracts';
import { findBankByCode, legalStateOf, urgencyScore, type StopFailureReason } from '@fanzha/domain';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, OnwardTransferTable, StopPaymentTable } from '../../db/schema';
import { toFreezeView } from './freeze.views';
import { stopPaymentFacts } from './stop-payment.view-facts';

export type StopPaymentRow = Selectable<StopPaymentTable>;
type Db = Kysely<DB> | Transaction<DB>;

const iso = (d: Date | null) => d?.toISOString() ?? null;
export const bankNameOf = (code: string) => findBankByCode(code)?.nameZh ?? null;

export function toStopPaymentView(
  row: StopPaymentRow,
  reportNumber: string,
  onward: Array<Selectable<OnwardTransferTable>>,
  freeze: FreezeView | null,
  now: Date,
): StopPaymentView {
  const legalState = legalStateOf(
    {
      expiresAt: row.expires_at,
      renewedAt: row.renewed_at,
      freeze: freeze && { status: freeze.status, endsAt: new Date(freeze.endsAt) },
    },
    now,
  );
  return {
    id: row.id,
    reportId: row.report_id,
    reportNumber,
    parentId: row.parent_id,
    layer: row.layer,
    account: {
      number: row.account_number,
      name: row.account_name,
      bankCode: row.bank_code,
      bankName: bankNameOf(row.bank_code),
    },
    amountFen: row.amount_fen,
    transferredAt: iso(row.transferred_at),
    status: row.status,
    urgency: urgencyScore(
      { transferredAt: row.transferred_at, amountFen: row.amount_fen, layer: row.layer },
      now,
    ),
    legalDocNumber: row.legal_doc_number,
    createdAt: row.created_at.toISOString(),
    sentAt: iso(row.sent_at),
    acknowledgedAt: iso(row.acknowledged_at),
    result:
      row.outcome && row.answered_at
        ? {
            outcome: row.outcome,
            stoppedFen: row.stopped_fen ?? 0,
            balanceFen: row.balance_fen,
            failureReason: row.failure_reason as StopFailureReason | null,
            note: row.note,
            onwardTransfers: onward
              .sort((a, b) => a.position - b.position)
              .map((o) => ({
                account: {
                  number: o.account_number,
                  name: o.account_name,
                  bankCode: o.bank_code,
                  bankName: bankNameOf(o.bank_code),
                },
                amountFen: o.amount_fen,
                transferredAt: o.transferred_at.toISOString(),
                childId: o.child_id,
              })),
            answeredAt: row.answered_at.toISOString(),
            answeredBy: row.answered_by ?? '',
            accountUse: row.account_use ?? null,
          }
        : null,
    stopSeq: row.stop_seq,
    renewsId: row.renews_id,
    stoppedAt: iso(row.stopped_at),
    expiresAt: iso(row.expires_at),
    lapsedAt: iso(row.lapsed_at),
    legalState,
    frozenFen: legalState === 'frozen' && freeze ? freeze.amountFen : 0,
    returnedFen:
      freeze?.decisions
        .filter((d) => d.kind === 'return' && d.status === 'confirmed')
        .reduce((sum, d) => sum + (d.executedFen ?? 0), 0) ?? 0,
    freeze,
  };
}

/** What a request that no bank has stopped yet carries beyond the core-loop fields. */
export const notYetStopped = {
  stopSeq: 1,
  renewsId: null,
  stoppedAt: null,
  expiresAt: null,
  lapsedAt: null,
  legalState: 'none',
  frozenFen: 0,
  returnedFen: 0,
  freeze: null,
} as const;

/** Views of the given rows, with their report numbers, onward transfers and freezes, in one statement. */
export async function loadViews(db: Db, rows: StopPaymentRow[], now: Date): Promise<StopPaymentView[]> {
  const facts = await stopPaymentFacts(db, rows);
  return rows.map((r) => {
    const f = facts.get(r.id);
    const latest = f?.freezes.at(-1);
    return toStopPaymentView(
      r,
      f?.reportNumber ?? '',
      f?.onward ?? [],
      latest ? toFreezeView(latest, r, now) : null,
      now,
    );
  });
}
