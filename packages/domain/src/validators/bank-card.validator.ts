import { bankBinRows, bankNamesZh, type BankBinRow } from '../data/bank-bins';
import { majorBanks, type BankInfo, type CardType } from '../data/banks';
import { isLuhnValid } from './luhn';
import { invalid, valid, type Validation } from './result';

export type { CardType, BankInfo, BankBinRow };

export type BankCardReason =
  'card.empty' | 'card.not_digits' | 'card.length' | 'card.luhn' | 'card.unknown_bin';

export const bankCardReasonMessagesZh: Record<BankCardReason, string> = {
  'card.empty': '请输入银行卡号',
  'card.not_digits': '银行卡号只能包含数字',
  'card.length': '银行卡号位数不正确',
  'card.luhn': '银行卡号校验位错误，请核对是否输错',
  'card.unknown_bin': '无法识别该卡号所属银行',
};

export interface BankCard {
  /** Digits only, separators removed. */
  readonly number: string;
  /** The issuer prefix that matched (3–10 digits, usually 6). */
  readonly bin: string;
  readonly bankCode: string;
  readonly bankNameZh: string;
  /** Known for the 18 major issuers only. */
  readonly bankNameEn: string | null;
  /** CNAPS bank-category code (行别代码), known for the 18 major issuers only. */
  readonly cnapsCategory: string | null;
  readonly cardType: CardType;
  readonly length: number;
  /** Always true unless the caller opted out of the Luhn requirement. */
  readonly passesLuhn: boolean;
}

export interface BankCardOptions {
  /**
   * Default true. Published validators (Braintree card-validator, Dart credit_card_validator) skip
   * Luhn for UnionPay because some legacy domestic cards were said not to carry it; no issuer in
   * our table is documented as Luhn-free, so intake rejects a failing number (almost always a
   * typo). Screening imported lists may pass false and read `passesLuhn` as a risk signal.
   */
  readonly requireLuhn?: boolean;
}

export interface BankSummary {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string | null;
  readonly cnapsCategory: string | null;
  /** One of the 18 issuers the centre works with directly. */
  readonly isMajor: boolean;
}

const majorByCode = new Map(majorBanks.map((b) => [b.code, b]));

// prefix → rows (one per card length); looked up longest prefix first.
const rowsByPrefix = new Map<string, BankBinRow[]>();
let longestPrefix = 0;
for (const row of bankBinRows) {
  const list = rowsByPrefix.get(row[0]);
  if (list) list.push(row);
  else rowsByPrefix.set(row[0], [row]);
  longestPrefix = Math.max(longestPrefix, row[0].length);
}

const DEFAULT_MIN_LENGTH = 16;
const DEFAULT_MAX_LENGTH = 19;

interface BinLookup {
  /** Longest prefix whose row has the same card length: a 6-digit BIN can belong to two issuers that differ by length. */
  readonly exact: BankBinRow | undefined;
  /** Lengths issued under the longest matching prefix, when none matches the number's length. */
  readonly expectedLengths: readonly number[];
}

function lookupBin(number: string): BinLookup {
  let expectedLengths: number[] = [];
  for (let len = Math.min(longestPrefix, number.length); len >= 1; len--) {
    const rows = rowsByPrefix.get(number.slice(0, len));
    if (!rows) continue;
    const exact = rows.find((r) => r[1] === number.length);
    if (exact) return { exact, expectedLengths: [] };
    if (expectedLengths.length === 0) expectedLengths = rows.map((r) => r[1]);
  }
  return { exact: undefined, expectedLengths };
}

/** Bank-card number with issuer lookup; accepts spaces and hyphens as typed at intake. */
export function validateBankCard(input: string, options: BankCardOptions = {}): Validation<BankCard> {
  const number = input.replace(/[\s-]/g, '');
  if (number === '') return invalid('card.empty', 'The bank card number is empty.');
  if (!/^\d+$/.test(number)) {
    return invalid('card.not_digits', 'A bank card number may contain only digits, spaces and hyphens.');
  }
  const { exact, expectedLengths } = lookupBin(number);
  if (!exact) {
    if (expectedLengths.length > 0) {
      const lengths = [...new Set(expectedLengths)].sort((a, b) => a - b).join(' or ');
      return invalid(
        'card.length',
        `Cards with this issuer prefix have ${lengths} digits, but ${number.length} were given.`,
      );
    }
    if (number.length < DEFAULT_MIN_LENGTH || number.length > DEFAULT_MAX_LENGTH) {
      return invalid(
        'card.length',
        `A bank card number has ${DEFAULT_MIN_LENGTH} to ${DEFAULT_MAX_LENGTH} digits, but ${number.length} were given.`,
      );
    }
  }
  const passesLuhn = isLuhnValid(number);
  if (!passesLuhn && options.requireLuhn !== false) {
    return invalid(
      'card.luhn',
      'The check digit (last digit) does not match: the number was probably mistyped.',
    );
  }
  if (!exact) {
    return invalid('card.unknown_bin', `No bank is known for the prefix ${number.slice(0, 6)}.`);
  }
  const [bin, length, bankCode, cardType] = exact;
  const major = majorByCode.get(bankCode);
  return valid({
    number,
    bin,
    bankCode,
    bankNameZh: major?.nameZh ?? bankNamesZh[bankCode] ?? bankCode,
    bankNameEn: major?.nameEn ?? null,
    cnapsCategory: major?.cnapsCategory ?? null,
    cardType,
    length,
    passesLuhn,
  });
}

/** The bank behind a code from the BIN table, or undefined. */
export function findBankByCode(code: string): BankSummary | undefined {
  const major = majorByCode.get(code);
  if (major) return { ...major, isMajor: true };
  // Own codes only: `constructor`, `toString` and the like are every object's, not banks.
  const nameZh = Object.hasOwn(bankNamesZh, code) ? bankNamesZh[code] : undefined;
  return nameZh === undefined
    ? undefined
    : { code, nameZh, nameEn: null, cnapsCategory: null, isMajor: false };
}

/** Every bank in the BIN table, the 18 major issuers first. */
export function listBanks(): BankSummary[] {
  const others = Object.keys(bankNamesZh)
    .filter((code) => !majorByCode.has(code))
    .sort()
    .flatMap((code) => findBankByCode(code) ?? []);
  return [...majorBanks.map((b) => ({ ...b, isMajor: true })), ...others];
}

/** BIN rows of one bank: for the simulator to issue plausible card numbers. */
export function listBinsForBank(code: string): BankBinRow[] {
  return bankBinRows.filter((r) => r[2] === code);
}

export { majorBanks, bankBinRows };
