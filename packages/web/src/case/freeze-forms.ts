import type { FreezeRequest, FundDecisionRequest, FreezeView, StopPaymentView } from '@fanzha/contracts';
import {
  FREEZE_DEFAULT_MONTHS,
  addMonths,
  openFundDecisionStatuses,
  validateBankCard,
  type FundDecisionKind,
} from '@fanzha/domain';
// Not through the `ui` barrel: a pure module, and its test, need not load Ant Design.
import { fenToYuanInput, parseYuanToFen } from '../ui/money';
import { formatCentreTime } from '../ui/time';

/**
 * Field → problem: `required`, `short`, `amount` (not an amount), `tooMuch`, `date` (not a later day),
 * `tooLong` (beyond six months: a longer freeze needs a renewal).
 */
export type FormErrors = Map<string, 'required' | 'short' | 'amount' | 'tooMuch' | 'date' | 'tooLong'>;
type Result<T> = { ok: true; body: T } | { ok: false; errors: FormErrors };

/** A day in the centre's zone, as a date input holds it: "2025-11-01". */
export const centreDay = (at: Date | string) => formatCentreTime(at).slice(0, 10);

/**
 * The instant a chosen end day stands for: that day at the time of day the default would have (so six
 * months from now stays exactly six months), or nothing when the default day was kept (the server's default).
 */
export function endsAtFor(day: string, defaultEnd: Date): string | undefined {
  if (day === centreDay(defaultEnd)) return undefined;
  const timeOfDay = formatCentreTime(defaultEnd, true).slice(11);
  const at = new Date(`${day}T${timeOfDay}+08:00`);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

function text(errors: FormErrors, field: string, value: string, min: number): string {
  const v = value.trim();
  if (!v) errors.set(field, 'required');
  else if (v.length < min) errors.set(field, 'short');
  return v;
}

function amount(errors: FormErrors, field: string, value: string, maxFen: number): number {
  if (!value.trim()) {
    errors.set(field, 'required');
    return 0;
  }
  const fen = parseYuanToFen(value);
  if (fen === undefined || fen <= 0) errors.set(field, 'amount');
  else if (fen > maxFen) errors.set(field, 'tooMuch');
  return fen ?? 0;
}

function dayBetween(errors: FormErrors, field: string, day: string, after: Date, latest: Date): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) errors.set(field, 'required');
  else if (day <= centreDay(after)) errors.set(field, 'date');
  else if (day > centreDay(latest)) errors.set(field, 'tooLong');
}

export interface FreezeForm {
  decisionNumber: string;
  amount: string;
  endsOn: string;
  reason: string;
  appealChannel: string;
}

/** A freeze may hold at most the money that reached the account (the amount involved). */
export const freezeLimitFen = (r: Pick<StopPaymentView, 'amountFen'>) => r.amountFen;

export function newFreezeForm(r: StopPaymentView, now: Date, appealChannel: string): FreezeForm {
  const stopped = r.result?.outcome === 'stopped' ? r.result.stoppedFen : 0;
  return {
    decisionNumber: '',
    amount: fenToYuanInput(Math.min(stopped || r.amountFen, freezeLimitFen(r))),
    endsOn: centreDay(addMonths(now, FREEZE_DEFAULT_MONTHS)),
    reason: '',
    appealChannel,
  };
}

export function toFreezeRequest(form: FreezeForm, r: StopPaymentView, now: Date): Result<FreezeRequest> {
  const errors: FormErrors = new Map();
  const decisionNumber = text(errors, 'decisionNumber', form.decisionNumber, 4);
  const amountFen = amount(errors, 'amount', form.amount, freezeLimitFen(r));
  dayBetween(errors, 'endsOn', form.endsOn, now, addMonths(now, FREEZE_DEFAULT_MONTHS));
  const reason = text(errors, 'reason', form.reason, 2);
  const appealChannel = text(errors, 'appealChannel', form.appealChannel, 2);
  if (errors.size > 0) return { ok: false, errors };
  const endsAt = endsAtFor(form.endsOn, addMonths(now, FREEZE_DEFAULT_MONTHS));
  return {
    ok: true,
    body: { decisionNumber, amountFen, reason, appealChannel, ...(endsAt ? { endsAt } : {}) },
  };
}

export interface RenewForm {
  decisionNumber: string;
  endsOn: string;
}

export const renewDefaultEnd = (freeze: Pick<FreezeView, 'endsAt'>) =>
  addMonths(new Date(freeze.endsAt), FREEZE_DEFAULT_MONTHS);

export const newRenewForm = (freeze: FreezeView): RenewForm => ({
  decisionNumber: '',
  endsOn: centreDay(renewDefaultEnd(freeze)),
});

export function toRenewRequest(
  form: RenewForm,
  freeze: FreezeView,
): Result<{ decisionNumber: string; endsAt?: string }> {
  const errors: FormErrors = new Map();
  const decisionNumber = text(errors, 'decisionNumber', form.decisionNumber, 4);
  dayBetween(errors, 'endsOn', form.endsOn, new Date(freeze.endsAt), renewDefaultEnd(freeze));
  if (errors.size > 0) return { ok: false, errors };
  const endsAt = endsAtFor(form.endsOn, renewDefaultEnd(freeze));
  return { ok: true, body: { decisionNumber, ...(endsAt ? { endsAt } : {}) } };
}

/**
 * What a new release or return may still take: the money frozen now (as the bank confirmed, less what was
 * released or returned), less what open decisions already hold. Several may run at once while they fit.
 */
export function freeToDecide(freeze: Pick<FreezeView, 'amountFen' | 'decisions'>): {
  availableFen: number;
  heldFen: number;
} {
  const heldFen = freeze.decisions
    .filter((d) => (openFundDecisionStatuses as readonly string[]).includes(d.status))
    .reduce((sum, d) => sum + d.amountFen, 0);
  return { availableFen: Math.max(0, freeze.amountFen - heldFen), heldFen };
}

/** The receiving bank from the card's BIN, or null when the number names none (a corporate account, a new BIN). */
export function payeeBankFromBin(account: string): { code: string; nameZh: string } | null {
  const card = validateBankCard(account);
  return card.ok ? { code: card.value.bankCode, nameZh: card.value.bankNameZh } : null;
}

export interface DecisionForm {
  kind: FundDecisionKind;
  amount: string;
  victimAccount: string;
  /** The victim's name as the receiving bank holds it: a bank returns to a named account only. */
  payeeName: string;
  /** Chosen only when the card's BIN names no bank; otherwise the server takes it from the BIN. */
  payeeBankCode: string;
  decisionNumber: string;
  reason: string;
  appealChannel: string;
}

export const newDecisionForm = (
  kind: FundDecisionKind,
  freeze: FreezeView,
  appealChannel: string,
  victimAccount = '',
  payeeName = '',
): DecisionForm => ({
  kind,
  amount: fenToYuanInput(freeToDecide(freeze).availableFen),
  victimAccount,
  payeeName,
  payeeBankCode: '',
  decisionNumber: '',
  reason: '',
  appealChannel,
});

export function toDecisionRequest(form: DecisionForm, freeze: FreezeView): Result<FundDecisionRequest> {
  const errors: FormErrors = new Map();
  const amountFen = amount(errors, 'amount', form.amount, freeToDecide(freeze).availableFen);
  const victimAccount = form.victimAccount.replace(/[\s-]/g, '');
  const payeeName = form.payeeName.trim();
  const needsBank = form.kind === 'return' && victimAccount.length >= 8 && !payeeBankFromBin(victimAccount);
  if (form.kind === 'return') {
    if (!victimAccount) errors.set('victimAccount', 'required');
    else if (victimAccount.length < 8) errors.set('victimAccount', 'short');
    if (!payeeName) errors.set('payeeName', 'required');
    if (needsBank && !form.payeeBankCode) errors.set('payeeBankCode', 'required');
  }
  const decisionNumber = text(errors, 'decisionNumber', form.decisionNumber, 4);
  const reason = text(errors, 'reason', form.reason, 2);
  const appealChannel = text(errors, 'appealChannel', form.appealChannel, 2);
  if (errors.size > 0) return { ok: false, errors };
  return {
    ok: true,
    body: {
      kind: form.kind,
      amountFen,
      decisionNumber,
      reason,
      appealChannel,
      ...(form.kind === 'return' ? { victimAccount, payeeName } : {}),
      ...(needsBank ? { payeeBankCode: form.payeeBankCode } : {}),
    },
  };
}
