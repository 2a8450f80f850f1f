import {
  executedStatusOf,
  type HoldKind,
  type MeasureFailureReason,
  type MeasureKind,
} from './bank-instruction';

/** A problem with a bank's answer, named by the field it is in (relative to the body). */
export interface AnswerProblem {
  field: string;
  reason: string;
  message: string;
}

/**
 * The rules of a bank's answer to an emergency stop, beyond its shape: a failure says why (and explains
 * `other`), stops nothing, and a stop never holds more than the balance the bank reports.
 */
export function stopAnswerProblems(a: {
  outcome: 'stopped' | 'failed';
  stoppedFen: number;
  balanceFen?: number | undefined;
  failureReason?: string | undefined;
  note?: string | undefined;
}): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  if (a.outcome === 'failed' && !a.failureReason)
    problems.push({
      field: 'failureReason',
      reason: 'required',
      message: 'say why the account could not be stopped',
    });
  if (a.outcome === 'stopped' && a.failureReason)
    problems.push({
      field: 'failureReason',
      reason: 'not_allowed',
      message: 'only a failed stop has a reason',
    });
  if (a.outcome === 'failed' && a.stoppedFen > 0)
    problems.push({ field: 'stoppedFen', reason: 'not_allowed', message: 'a failed stop stops nothing' });
  if (a.balanceFen !== undefined && a.stoppedFen > a.balanceFen)
    problems.push({
      field: 'stoppedFen',
      reason: 'above_balance',
      message: `at most the balance reported (${a.balanceFen} fen)`,
    });
  if (a.failureReason === 'other' && !a.note)
    problems.push({ field: 'note', reason: 'required', message: 'explain the reason "other" in a note' });
  return problems;
}

/**
 * The rules of a bank's confirmation of a measure: the outcome names what the instruction asked for, the
 * amount is given where money moved (never more than asked), a return names its transfer.
 */
export function measureConfirmationProblems(
  kind: MeasureKind,
  instructedFen: number | null,
  c:
    | { outcome: 'failed'; failureReason: string; note?: string | undefined }
    | { outcome: string; amountFen?: number | undefined; bankReference?: string | undefined },
): AnswerProblem[] {
  if (c.outcome === 'failed') {
    const f = c as { failureReason: string; note?: string | undefined };
    return f.failureReason === 'other' && !f.note
      ? [{ field: 'note', reason: 'required', message: 'explain the reason "other" in a note' }]
      : [];
  }
  const expected = executedStatusOf[kind];
  if (c.outcome !== expected)
    return [
      {
        field: 'outcome',
        reason: 'wrong_kind',
        message: `a ${kind} instruction is confirmed as ${expected}`,
      },
    ];
  const done = c as { amountFen?: number | undefined; bankReference?: string | undefined };
  const problems: AnswerProblem[] = [];
  const movesMoney = kind === 'freeze' || kind === 'release' || kind === 'return';
  if (movesMoney && done.amountFen === undefined)
    problems.push({ field: 'amountFen', reason: 'required', message: `say how much was ${expected}` });
  if (movesMoney && done.amountFen !== undefined && done.amountFen <= 0)
    problems.push({
      field: 'amountFen',
      reason: 'too_small',
      message: `more than 0; if nothing was ${expected}, answer failed with a reason`,
    });
  if (!movesMoney && done.amountFen !== undefined)
    problems.push({ field: 'amountFen', reason: 'not_allowed', message: `a ${kind} moves no money` });
  if (done.amountFen !== undefined && instructedFen !== null && done.amountFen > instructedFen)
    problems.push({
      field: 'amountFen',
      reason: 'above_instructed',
      message: `at most the amount instructed (${instructedFen} fen)`,
    });
  if (kind === 'return' && !done.bankReference)
    problems.push({
      field: 'bankReference',
      reason: 'required',
      message: "a return names its transfer's reference",
    });
  return problems;
}

/** Why a bank could not hold a person's transfers: the reasons a protective hold may be answered `failed` with. */
export const holdFailureReasons = [
  'no_such_customer',
  'no_such_account',
  'account_closed',
  'already_restricted',
  'other',
] as const satisfies readonly MeasureFailureReason[];

/**
 * The rules of a bank's confirmation of a protective hold or its release: the outcome names the kind (`held`,
 * `lifted`), no money is named (a hold restricts the person's transfers, it freezes no amount), and a refusal
 * that says `other` explains itself. A release cannot fail: the instruction's lifecycle refuses that first.
 */
export function holdConfirmationProblems(
  kind: HoldKind,
  c:
    | { outcome: 'failed'; failureReason: string; note?: string | undefined }
    | { outcome: string; amountFen?: number | undefined },
): AnswerProblem[] {
  if (c.outcome === 'failed') {
    const f = c as { failureReason: string; note?: string | undefined };
    const problems: AnswerProblem[] = [];
    // A hold names a person, not money in a case: a reason about frozen money or a payee says nothing of it.
    if (!(holdFailureReasons as readonly string[]).includes(f.failureReason))
      problems.push({
        field: 'failureReason',
        reason: 'not_allowed',
        message: `a protective hold fails for one of: ${holdFailureReasons.join(', ')}`,
      });
    if (f.failureReason === 'other' && !f.note)
      problems.push({ field: 'note', reason: 'required', message: 'explain the reason "other" in a note' });
    return problems;
  }
  const expected = executedStatusOf[kind];
  const problems: AnswerProblem[] = [];
  if (c.outcome !== expected)
    problems.push({
      field: 'outcome',
      reason: 'wrong_kind',
      message: `a ${kind} instruction is confirmed as ${expected}`,
    });
  if ((c as { amountFen?: number }).amountFen !== undefined)
    problems.push({ field: 'amountFen', reason: 'not_allowed', message: `a ${kind} moves no money` });
  return problems;
}
