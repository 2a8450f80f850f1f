import type { InstructionResultRequest } from '@fanzha/contracts';
import { validateBankCard, validateIdNumber, type StopFailureReason } from '@fanzha/domain';
// Not through the `ui` barrel: a pure module, and its test, need not load Ant Design.
import { parseYuanToFen } from '../../ui/money';
import { parseCentreTime } from '../../ui/time';

export interface OnwardRow {
  key: string;
  account: string;
  name: string;
  amount: string;
  time: string;
}

export interface AnswerForm {
  outcome: 'stopped' | 'failed';
  stopped: string;
  balance: string;
  /** When the account was stopped, as typed ("14:32"); empty: the moment the answer arrives. */
  stoppedAt: string;
  failureReason: StopFailureReason | null;
  note: string;
  /** The answered account's holder's ID number, when the bank knows it (for the two-cards registry only). */
  holderIdNumber: string;
  onward: OnwardRow[];
}

export const emptyAnswer = (): AnswerForm => ({
  outcome: 'stopped',
  stopped: '',
  balance: '',
  stoppedAt: '',
  failureReason: null,
  note: '',
  holderIdNumber: '',
  onward: [],
});

export const emptyOnward = (): OnwardRow => ({
  key: crypto.randomUUID().slice(0, 8),
  account: '',
  name: '',
  amount: '',
  time: '',
});

/**
 * Field → problem code (`required`, `amount`, `time`, `aboveBalance`, or a card reason such as `card.luhn`).
 */
export type AnswerErrors = Map<string, string>;

/** The form as the bank API takes it, or what is still wrong, field by field. */
export function toResultRequest(
  form: AnswerForm,
  now: Date,
): { ok: true; body: InstructionResultRequest } | { ok: false; errors: AnswerErrors } {
  const errors: AnswerErrors = new Map();
  const amount = (field: string, text: string, isRequired: boolean) => {
    if (!text.trim()) {
      if (isRequired) errors.set(field, 'required');
      return undefined;
    }
    const fen = parseYuanToFen(text);
    if (fen === undefined) errors.set(field, 'amount');
    return fen;
  };
  const stoppedFen = form.outcome === 'stopped' ? amount('stopped', form.stopped, true) : 0;
  const balanceFen = amount('balance', form.balance, false);
  if (form.outcome === 'failed' && !form.failureReason) errors.set('failureReason', 'required');
  // The bank must explain "other"; the server refuses it without a note.
  if (form.outcome === 'failed' && form.failureReason === 'other' && !form.note.trim())
    errors.set('note', 'required');
  if (stoppedFen !== undefined && balanceFen !== undefined && stoppedFen > balanceFen)
    errors.set('stopped', 'aboveBalance');
  const stoppedAt =
    form.outcome === 'stopped' && form.stoppedAt.trim() ? parseCentreTime(form.stoppedAt, now) : undefined;
  if (form.outcome === 'stopped' && form.stoppedAt.trim() && !stoppedAt) errors.set('stoppedAt', 'time');
  let holderIdNumber: string | undefined;
  if (form.holderIdNumber.trim()) {
    const id = validateIdNumber(form.holderIdNumber, now);
    if (id.ok) holderIdNumber = id.value.number;
    else errors.set('holderIdNumber', id.reason);
  }
  const onwardTransfers = form.onward
    .filter((r) => r.account.trim() || r.amount.trim() || r.time.trim() || r.name.trim())
    .map((r) => {
      const number = r.account.replace(/[\s-]/g, '');
      if (!number) errors.set(`onward.${r.key}.account`, 'required');
      else {
        const card = validateBankCard(number);
        // Corporate accounts have no BIN; the server takes those with a bank code, cards must check out.
        if (!card.ok && card.reason !== 'card.unknown_bin')
          errors.set(`onward.${r.key}.account`, card.reason);
      }
      const amountFen = amount(`onward.${r.key}.amount`, r.amount, true);
      if (amountFen === 0) errors.set(`onward.${r.key}.amount`, 'amount');
      const transferredAt = parseCentreTime(r.time, now);
      if (!transferredAt) errors.set(`onward.${r.key}.time`, r.time.trim() ? 'time' : 'required');
      return {
        account: { number, ...(r.name.trim() ? { name: r.name.trim() } : {}) },
        amountFen: amountFen ?? 0,
        transferredAt: transferredAt ?? '',
      };
    });
  if (errors.size > 0) return { ok: false, errors };
  return {
    ok: true,
    body: {
      outcome: form.outcome,
      stoppedFen: stoppedFen ?? 0,
      ...(balanceFen !== undefined ? { balanceFen } : {}),
      ...(stoppedAt ? { stoppedAt } : {}),
      ...(form.outcome === 'failed' && form.failureReason ? { failureReason: form.failureReason } : {}),
      ...(form.note.trim() ? { note: form.note.trim() } : {}),
      ...(holderIdNumber ? { holderIdNumber } : {}),
      onwardTransfers,
    },
  };
}
