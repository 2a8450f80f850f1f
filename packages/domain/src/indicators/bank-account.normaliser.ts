import { invalid, valid, type Validation } from '../validators/result';
import { validateBankCard } from '../validators/bank-card.validator';

export type BankAccountReason = 'account.empty' | 'account.not_digits' | 'account.length' | 'card.luhn';

export const bankAccountReasonMessagesZh: Record<Exclude<BankAccountReason, 'card.luhn'>, string> = {
  'account.empty': '请输入银行账号或卡号',
  'account.not_digits': '银行账号只能包含数字',
  'account.length': '银行账号应为8至30位数字',
};

/**
 * A bank account or card as its digits. A number that the BIN table knows as a card (issuer prefix
 * and length match) must pass the card's check digit, as at intake: a failing one is a typo and
 * would never match. Other numbers are accounts (corporate and deposit accounts carry no check
 * digit) and are kept as typed.
 */
export function normaliseBankAccount(input: string): Validation<string> {
  const digits = input.replace(/[\s-]/g, '');
  if (digits === '') return invalid('account.empty', 'The bank account number is empty.');
  if (!/^\d+$/.test(digits)) {
    return invalid(
      'account.not_digits',
      'A bank account number may contain only digits, spaces and hyphens.',
    );
  }
  if (digits.length < 8 || digits.length > 30) {
    return invalid('account.length', `A bank account has 8 to 30 digits, but ${digits.length} were given.`);
  }
  const card = validateBankCard(digits, { requireLuhn: false });
  if (card.ok && !card.value.passesLuhn) {
    return invalid(
      'card.luhn',
      'The check digit (last digit) does not match: the card number was probably mistyped.',
    );
  }
  return valid(digits);
}
