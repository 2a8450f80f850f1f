import { operators, type Operator } from '../identity/roles';
import { validateBankCard } from '../validators/bank-card.validator';
import { validateIdNumber } from '../validators/id-number.validator';
import { validateMobile } from '../validators/mobile.validator';
import { invalid, valid, type Validation } from '../validators/result';

/**
 * Two cards (两卡, 断卡): bank cards (and accounts) and phone cards (SIM, named by their number) that people
 * rent or sell to fraud gangs (卡农). Each card found in a case is traced to its holder (by ID number) and to
 * where it was opened: a bank branch (开户网点) or an operator's outlet (营业厅).
 */
export const twoCardKinds = ['bank', 'sim'] as const;
export type TwoCardKind = (typeof twoCardKinds)[number];

export const twoCardKindNamesZh: Record<TwoCardKind, string> = { bank: '银行卡', sim: '电话卡' };

/** A card as fanzha keeps it: its kind, its number in normal form, and the bank or operator it belongs to. */
export interface TwoCard {
  kind: TwoCardKind;
  /** A bank card or account: digits only. A SIM: the 11 national digits. */
  number: string;
  /** The bank's code, for a bank card (from the BIN when not given). */
  bankCode: string | null;
  /** The operator, for a SIM (from the number's segment when not given). */
  operator: Operator | null;
}

/** One key per card: the kind and the normalised number. */
export const twoCardKey = (card: Pick<TwoCard, 'kind' | 'number'>): string => `${card.kind}:${card.number}`;

const isOperator = (v: string): v is Operator => (operators as readonly string[]).includes(v);

/**
 * A card's normal form. A bank card is taken as typed when its BIN is unknown (an account number is not a
 * card number) but must be 8 to 40 digits; its bank is the given code or the BIN's. A SIM is a mainland mobile
 * number; its operator is the given one or the segment's.
 */
export function normaliseTwoCard(input: {
  kind: TwoCardKind;
  number: string;
  bankCode?: string | null;
  operator?: string | null;
}): Validation<TwoCard> {
  if (input.kind === 'bank') {
    const digits = input.number.replace(/[\s-]/g, '');
    if (!/^\d{8,40}$/.test(digits))
      return invalid('card.not_digits', 'A bank card or account number is 8 to 40 digits.');
    const bin = validateBankCard(digits);
    const bankCode = input.bankCode?.trim() || (bin.ok ? bin.value.bankCode : null);
    if (!bankCode)
      return invalid('card.bank_unknown', 'The bank is not known from the number: give its code.');
    return valid({ kind: 'bank', number: digits, bankCode, operator: null });
  }
  const mobile = validateMobile(input.number);
  if (!mobile.ok) return mobile;
  const given = input.operator?.trim();
  if (given && !isOperator(given)) return invalid('operator.unknown', `${given} is not a known operator.`);
  const carrier = mobile.value.carrier;
  const operator = given || (isOperator(carrier) ? carrier : null);
  if (!operator) return invalid('operator.unknown', 'The operator is not known from the number: give it.');
  return valid({
    kind: 'sim',
    number: mobile.value.national,
    bankCode: null,
    operator: operator as Operator,
  });
}

/** A holder's ID number in normal form (18 characters, X upper-cased), checked by the ID-number validator. */
export function normaliseHolderIdNumber(input: string, today: Date): Validation<string> {
  const id = validateIdNumber(input, today);
  return id.ok ? valid(id.value.number) : id;
}

/** The county (GB/T 2260) a holder's ID number was issued in, when it names a current county: their police. */
export function holderCountyOf(idNumber: string, today: Date): string | null {
  const id = validateIdNumber(idNumber, today);
  return id.ok ? (id.value.countyCode ?? null) : null;
}
