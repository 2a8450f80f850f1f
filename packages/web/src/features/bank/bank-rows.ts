import type { SignedInstruction, StopPaymentView } from '@fanzha/contracts';

type StopResult = NonNullable<StopPaymentView['result']>;

/** One instruction as the liaison's queue shows it, from the signed list or from a live update. */
export interface BankRow {
  id: string;
  reportNumber: string;
  layer: number;
  account: { number: string; name: string | null };
  amountFen: number;
  transferredAt: string | null;
  legalDocNumber: string | null;
  issuedAt: string | null;
  expiresAt: string | null;
  /** Null until the signed copy is loaded (a live update carries no signature). */
  keyId: string | null;
  status: StopPaymentView['status'];
  result: StopResult | null;
}

export const BANK_INSTRUCTIONS_KEY = '/api/bank/instructions';
export const BANK_STATUSES = ['sent', 'acknowledged', 'stopped', 'failed'] as const;

export function fromInstruction(signed: SignedInstruction, previous?: BankRow): BankRow {
  const i = signed.instruction;
  return {
    id: i.instructionId,
    reportNumber: i.reportNumber,
    layer: i.layer,
    account: i.account,
    amountFen: i.amountFen,
    transferredAt: i.transferredAt,
    legalDocNumber: i.legalDocNumber,
    issuedAt: i.issuedAt,
    expiresAt: i.expiresAt,
    keyId: signed.keyId,
    status: signed.status,
    // The signed list has no answers; keep the one a live update or our own answer brought.
    result: previous?.result ?? null,
  };
}

export function fromView(view: StopPaymentView, previous?: BankRow): BankRow {
  return {
    id: view.id,
    reportNumber: view.reportNumber,
    layer: view.layer,
    account: { number: view.account.number, name: view.account.name },
    amountFen: view.amountFen,
    transferredAt: view.transferredAt,
    legalDocNumber: view.legalDocNumber,
    issuedAt: previous?.issuedAt ?? view.sentAt,
    expiresAt: previous?.expiresAt ?? null,
    keyId: previous?.keyId ?? null,
    status: view.status,
    result: view.result,
  };
}

const openFirst = (s: BankRow['status']) => (s === 'sent' ? 0 : s === 'acknowledged' ? 1 : 2);
const time = (iso: string | null | undefined) => (iso ? new Date(iso).getTime() : 0);

/** Unanswered first (new before acknowledged, oldest first), then answers, newest first. */
export function sortBankRows(rows: readonly BankRow[]): BankRow[] {
  return [...rows].sort((a, b) => {
    const group = openFirst(a.status) - openFirst(b.status);
    if (group !== 0) return group;
    if (openFirst(a.status) < 2) return time(a.issuedAt) - time(b.issuedAt);
    return time(b.result?.answeredAt) - time(a.result?.answeredAt);
  });
}

/**
 * The queue after a live update. Only this bank's sent work is shown; the server already filters, and
 * this check keeps it so even if a message for another bank ever came through.
 */
export function mergeBankRow(
  rows: readonly BankRow[],
  view: StopPaymentView,
  ownBank: string | null,
): BankRow[] {
  if (view.account.bankCode !== ownBank) return [...rows];
  const previous = rows.find((r) => r.id === view.id);
  const rest = rows.filter((r) => r.id !== view.id);
  if (view.status === 'pending' || view.status === 'withdrawn') return rest;
  return sortBankRows([...rest, fromView(view, previous)]);
}

/**
 * The Idempotency-Key for an answer: the same while the same answer is retried (a lost response must
 * not record it twice), a new one as soon as the answer changes.
 */
export function idempotencyKeyFor(
  previous: { body: string; key: string } | null,
  body: string,
  makeKey: () => string,
): { body: string; key: string } {
  return previous && previous.body === body ? previous : { body, key: makeKey() };
}
