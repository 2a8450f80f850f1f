import type { FieldProblem } from '@fanzha/contracts';
import { findBankByCode, validateBankCard } from '@fanzha/domain';

export interface ResolvedAccount {
  number: string;
  bankCode: string;
}

/**
 * A fraudster-side account as typed or reported. A card number must pass the card checks (BIN → bank,
 * Luhn). Banks also report plain (e.g. corporate) account numbers, which have no BIN: those are taken
 * when the bank is named and the number is 8–32 digits.
 */
export function resolveAccount(
  field: string,
  number: string,
  bankCode: string | undefined,
  opts: { isCardOnly: boolean },
): ResolvedAccount | FieldProblem {
  const card = validateBankCard(number);
  if (card.ok)
    return {
      number: card.value.number,
      bankCode: bankCode && findBankByCode(bankCode) ? bankCode : card.value.bankCode,
    };
  const digits = number.replace(/[\s-]/g, '');
  if (!opts.isCardOnly && bankCode && findBankByCode(bankCode) && /^\d{8,32}$/.test(digits))
    return { number: digits, bankCode };
  if (bankCode && !findBankByCode(bankCode))
    return {
      field: `${field}.bankCode`,
      reason: 'unknown_bank',
      message: `no bank has the code ${bankCode}`,
    };
  return { field: `${field}.number`, reason: card.reason, message: card.message };
}

export const isProblem = (r: ResolvedAccount | FieldProblem): r is FieldProblem => 'reason' in r;
