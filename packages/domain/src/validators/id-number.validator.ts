import { findDivision } from './division.validator';
import { invalid, valid, type Validation } from './result';

export type IdNumberReason =
  | 'id.empty'
  | 'id.legacy_15'
  | 'id.length'
  | 'id.format'
  | 'id.region'
  | 'id.birth_date'
  | 'id.birth_range'
  | 'id.check_char';

export const idNumberReasonMessagesZh: Record<IdNumberReason, string> = {
  'id.empty': '请输入身份证号码',
  'id.legacy_15': '这是15位一代身份证号码，请提供18位号码',
  'id.length': '身份证号码应为18位',
  'id.format': '身份证号码前17位应为数字，最后一位为数字或X',
  'id.region': '身份证号码的地址码不是有效的省级代码',
  'id.birth_date': '身份证号码中的出生日期不是有效日期',
  'id.birth_range': '身份证号码中的出生日期不在合理范围内',
  'id.check_char': '身份证号码校验位错误，请核对是否输错',
};

export type Sex = 'male' | 'female';

/** citizen: 公民身份号码; hmt_resident: 港澳台居民居住证 (81/82/83); foreign_permanent_resident: 2023 永居证 (first digit 9). */
export type IdHolderType = 'citizen' | 'hmt_resident' | 'foreign_permanent_resident';

export interface IdNumber {
  /** 18 characters, check character upper-cased. */
  readonly number: string;
  readonly holderType: IdHolderType;
  /** Digits 1–6: the address code when the number was assigned (may since have been abolished). */
  readonly regionCode: string;
  /** 'YYYY-MM-DD' */
  readonly birthDate: string;
  readonly sex: Sex;
  readonly isGuizhou: boolean;
  /** Set when digits 1–6 are a current Guizhou county-level code. */
  readonly countyCode?: string;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

// Province-level codes of GB/T 2260, plus 71 台湾省 and the residence-permit codes 81/82/83.
const PROVINCE_CODES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

const MAINLAND_PROVINCE_CODES = new Set([...PROVINCE_CODES].filter((code) => Number(code) < 71));

/** The ISO 7064 MOD 11-2 check character for 17 digits. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idCheckChar: 17 digits required');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

/** `first17` with its check character appended: makes valid numbers for tests and the simulator. */
export function withIdCheckChar(first17: string): string {
  return first17 + idCheckChar(first17);
}

/** Upgrade a first-generation 15-digit number (19YYMMDD century implied) to 18 characters. */
export function upgradeLegacyIdNumber(number15: string): string | undefined {
  const n = number15.trim();
  if (!/^\d{15}$/.test(n)) return undefined;
  return withIdCheckChar(`${n.slice(0, 6)}19${n.slice(6)}`);
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

// Birth dates are calendar dates in China; judge "future" against the date in China (UTC+8, no
// daylight saving) so the answer does not depend on the server's time zone.
function chinaDate(today: Date): string {
  return new Date(today.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * 18-character resident ID number (GB 11643-1999), also HK/Macao/Taiwan residence permits and the
 * 2023 foreigner's permanent-residence ID. `today` bounds the birth date.
 */
export function validateIdNumber(input: string, today: Date): Validation<IdNumber> {
  const number = input.trim().toUpperCase();
  if (number === '') return invalid('id.empty', 'The ID number is empty.');
  if (/^\d{15}$/.test(number)) {
    return invalid(
      'id.legacy_15',
      'This is a first-generation 15-digit ID number; an 18-character number is required.',
    );
  }
  if (number.length !== 18) {
    return invalid('id.length', `An ID number has 18 characters, but ${number.length} were given.`);
  }
  if (!/^\d{17}[\dX]$/.test(number)) {
    return invalid('id.format', 'An ID number is 17 digits followed by a digit or X.');
  }
  const province = number.slice(0, 2);
  // First digit 9 marks a foreigner's permanent-residence ID (2023 edition): digits 2–3 are the
  // province where it was applied for (a mainland province: not 71, 81–83), 4–6 the nationality.
  const isForeign = number.startsWith('9');
  if (isForeign) {
    const applied = number.slice(1, 3);
    if (!MAINLAND_PROVINCE_CODES.has(applied))
      return invalid(
        'id.region',
        `A permanent-residence number carries the province code at positions 2–3, but ${applied} is not a mainland province.`,
      );
  } else if (!PROVINCE_CODES.has(province)) {
    return invalid(
      'id.region',
      `The address code starts with ${province}, which is not a province-level code.`,
    );
  }
  const year = Number(number.slice(6, 10));
  const month = Number(number.slice(10, 12));
  const day = Number(number.slice(12, 14));
  if (!isRealDate(year, month, day)) {
    return invalid('id.birth_date', `The birth date ${number.slice(6, 14)} is not a real calendar date.`);
  }
  const birthDate = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
  // 1900 is a policy floor (the standard sets none): earlier dates are typing errors in practice.
  if (birthDate < '1900-01-01' || birthDate > chinaDate(today)) {
    return invalid('id.birth_range', `The birth date ${birthDate} is in the future or before 1900.`);
  }
  if (idCheckChar(number.slice(0, 17)) !== number.charAt(17)) {
    return invalid(
      'id.check_char',
      'The check character (last character) does not match: the number was probably mistyped.',
    );
  }
  const regionCode = number.slice(0, 6);
  const county = findDivision(regionCode);
  return valid({
    number,
    holderType: isForeign
      ? 'foreign_permanent_resident'
      : Number(province) >= 81
        ? 'hmt_resident'
        : 'citizen',
    regionCode,
    birthDate,
    sex: (number.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female',
    isGuizhou: province === '52',
    ...(county?.level === 'county' ? { countyCode: county.code } : {}),
  });
}

/** Show only the first 3 and last 4 characters: region and birth date are personal data too. */
export function maskIdNumber(number: string): string {
  const n = number.trim();
  if (n.length <= 7) return '*'.repeat(n.length);
  return `${n.slice(0, 3)}${'*'.repeat(n.length - 7)}${n.slice(-4)}`;
}
