import type { BankInstructionKind, MeasureConfirmationRequest } from '@fanzha/contracts';
import type { MeasureFailureReason } from '@fanzha/domain';
// Not through the `ui` barrel: a pure module, and its test, need not load Ant Design.
import { fenToYuanInput, parseYuanToFen } from '../../ui/money';
import { parseCentreTime } from '../../ui/time';
import { movesMoney } from './bank-queue';

/** What the bank did, per kind of measure. */
export const executedOutcomeOf = {
  freeze: 'frozen',
  freeze_renewal: 'renewed',
  release: 'released',
  return: 'returned',
  stop_lapsed: 'lifted',
  protective_hold: 'held',
  protective_hold_release: 'lifted',
} as const satisfies Record<Exclude<BankInstructionKind, 'emergency_stop_payment'>, string>;
export type MeasureKind = keyof typeof executedOutcomeOf;

export interface ConfirmForm {
  isDone: boolean;
  /** Frozen, released or returned, in yuan as typed; less than instructed is a partial execution. */
  amount: string;
  /** When the bank did it ("14:32"); empty: now. */
  executedAt: string;
  bankReference: string;
  failureReason: MeasureFailureReason | null;
  note: string;
}

export const newConfirmForm = (instructedFen: number | null): ConfirmForm => ({
  isDone: true,
  amount: fenToYuanInput(instructedFen),
  executedAt: '',
  bankReference: '',
  failureReason: null,
  note: '',
});

/** Field → problem: `required`, `amount`, `tooMuch`, `time`. */
export type ConfirmErrors = Map<string, string>;

/** The form as the bank API takes it, or what is still wrong, field by field. */
export function toConfirmation(
  form: ConfirmForm,
  kind: MeasureKind,
  instructedFen: number | null,
  now: Date,
): { ok: true; body: MeasureConfirmationRequest } | { ok: false; errors: ConfirmErrors } {
  const errors: ConfirmErrors = new Map();
  const note = form.note.trim();
  if (!form.isDone) {
    if (!form.failureReason) errors.set('failureReason', 'required');
    if (form.failureReason === 'other' && !note) errors.set('note', 'required');
    if (errors.size > 0 || !form.failureReason) return { ok: false, errors };
    return {
      ok: true,
      body: { outcome: 'failed', failureReason: form.failureReason, ...(note ? { note } : {}) },
    };
  }
  let amountFen: number | undefined;
  if (movesMoney(kind)) {
    amountFen = form.amount.trim() ? parseYuanToFen(form.amount) : undefined;
    if (!form.amount.trim()) errors.set('amount', 'required');
    // Nothing done is a failure with a reason, not "done for ¥0".
    else if (amountFen === undefined || amountFen <= 0) errors.set('amount', 'amount');
    else if (instructedFen !== null && amountFen > instructedFen) errors.set('amount', 'tooMuch');
  }
  const executedAt = form.executedAt.trim() ? parseCentreTime(form.executedAt, now) : now.toISOString();
  if (!executedAt) errors.set('executedAt', 'time');
  const bankReference = form.bankReference.trim();
  if (kind === 'return' && bankReference.length < 2)
    errors.set('bankReference', bankReference ? 'short' : 'required');
  if (errors.size > 0 || !executedAt) return { ok: false, errors };
  return {
    ok: true,
    body: {
      outcome: executedOutcomeOf[kind],
      executedAt,
      ...(amountFen !== undefined ? { amountFen } : {}),
      ...(kind === 'return' ? { bankReference } : {}),
      ...(note ? { note } : {}),
    },
  };
}

/** A partial execution: less than the instruction asked for (the rest stays frozen at the bank). */
export function isPartial(form: ConfirmForm, instructedFen: number | null): boolean {
  if (!form.isDone || instructedFen === null) return false;
  const fen = parseYuanToFen(form.amount);
  return fen !== undefined && fen > 0 && fen < instructedFen;
}
