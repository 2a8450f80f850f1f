import { findBankByCode, validateBankCard } from '../validators/bank-card.validator';
import { FREEZE_DEFAULT_MONTHS, freezeLimitFrom } from '../stop-payment/legal-timers';

/** A problem with a request about a freeze, named by the field it is in (relative to the request). */
export interface FreezeProblem {
  field: string;
  reason: string;
  message: string;
}

type Checked<T> = { ok: true; value: T } | { ok: false; problem: FreezeProblem };
const refuse = (field: string, reason: string, message: string) =>
  ({ ok: false, problem: { field, reason, message } }) as const;

/**
 * A freeze's end: the given date, or six months from `from`; never in the past, never beyond six months
 * from `from` (the freeze's start, or the current end for a renewal).
 */
export function freezeEndOf(given: string | undefined, from: Date, now: Date): Checked<Date> {
  const limit = freezeLimitFrom(from);
  if (!given) return { ok: true, value: limit };
  const endsAt = new Date(given);
  if (endsAt <= now) return refuse('body.endsAt', 'in_past', 'must be later than now');
  if (endsAt > limit)
    return refuse('body.endsAt', 'too_long', `a freeze lasts at most ${FREEZE_DEFAULT_MONTHS} months`);
  return { ok: true, value: endsAt };
}

/** What the decisions on a freeze may still take: the frozen amount less what open decisions hold. */
export function decisionAmountProblem(
  amountFen: number,
  frozenFen: number,
  heldFen: number,
): FreezeProblem | null {
  const available = frozenFen - heldFen;
  if (amountFen <= available) return null;
  return {
    field: 'body.amountFen',
    reason: 'above_frozen',
    message:
      available === frozenFen
        ? `at most the frozen amount (${frozenFen} fen)`
        : `at most what is frozen and not held by other open decisions (${available} of ${frozenFen} fen)`,
  };
}

export interface Payee {
  name: string;
  account: string;
  bankCode: string;
}

/**
 * A return's payee, complete: the victim's name, account and receiving bank (from the card's BIN when not
 * given). A release stays with the account holder and names no payee.
 */
export function payeeOf(d: {
  kind: 'release' | 'return';
  victimAccount?: string | undefined;
  payeeName?: string | undefined;
  payeeBankCode?: string | undefined;
}): Checked<Payee | null> {
  if (d.kind === 'release') {
    const extra = (['victimAccount', 'payeeName', 'payeeBankCode'] as const).find((k) => d[k] !== undefined);
    if (extra)
      return refuse(`body.${extra}`, 'not_allowed', 'a release stays with the account holder: no payee');
    return { ok: true, value: null };
  }
  if (!d.victimAccount)
    return refuse('body.victimAccount', 'required', "a return needs the victim's account");
  if (!d.payeeName)
    return refuse('body.payeeName', 'required', "a return needs the name on the victim's account");
  const card = validateBankCard(d.victimAccount);
  const bankCode = d.payeeBankCode ?? (card.ok ? card.value.bankCode : undefined);
  if (!bankCode)
    return refuse(
      'body.payeeBankCode',
      'required',
      'the receiving bank: the account number has no known BIN',
    );
  if (!findBankByCode(bankCode))
    return refuse('body.payeeBankCode', 'unknown_bank', `no bank has the code ${bankCode}`);
  return {
    ok: true,
    value: { name: d.payeeName, account: card.ok ? card.value.number : d.victimAccount, bankCode },
  };
}
