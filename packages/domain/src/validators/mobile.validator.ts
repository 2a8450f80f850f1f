import {
  mobileSegments,
  type Carrier,
  type MobileCategory,
  type MobileSegment,
} from '../data/mobile-segments';
import { invalid, valid, type Validation } from './result';

export type { Carrier, MobileCategory, MobileSegment };

export type MobileReason =
  | 'mobile.empty'
  | 'mobile.not_digits'
  | 'mobile.country_code'
  | 'mobile.length'
  | 'mobile.not_mobile'
  | 'mobile.unallocated_segment';

export const mobileReasonMessagesZh: Record<MobileReason, string> = {
  'mobile.empty': '请输入手机号码',
  'mobile.not_digits': '手机号码只能包含数字、空格、连字符和+86前缀',
  'mobile.country_code': '仅支持中国大陆手机号码（+86）',
  'mobile.length': '手机号码应为11位',
  'mobile.not_mobile': '大陆手机号码应以1开头',
  'mobile.unallocated_segment': '该号段未分配给任何运营商',
};

export interface MobileNumber {
  /** '+86' followed by the 11 national digits. */
  readonly e164: string;
  readonly national: string;
  /** The table prefix that matched: 3 digits, or 4–5 where the carrier changes within a segment. */
  readonly segment: string;
  /** Issuing carrier: numbers may since have been ported (携号转网). */
  readonly carrier: Carrier;
  readonly carrierZh: string;
  readonly isVirtualOperator: boolean;
  readonly category: MobileCategory;
}

const segmentsByPrefix = new Map(mobileSegments.map((s) => [s.prefix, s]));

function findSegment(national: string): MobileSegment | undefined {
  for (let len = 5; len >= 3; len--) {
    const found = segmentsByPrefix.get(national.slice(0, len));
    if (found) return found;
  }
  return undefined;
}

/** Mainland mobile number; accepts +86 / 0086 / 86 prefixes, spaces and hyphens. */
export function validateMobile(input: string): Validation<MobileNumber> {
  const compact = input.replace(/[\s-]/g, '');
  if (compact === '') return invalid('mobile.empty', 'The mobile number is empty.');
  if (!/^\+?\d+$/.test(compact)) {
    return invalid(
      'mobile.not_digits',
      'A mobile number may contain only digits, spaces, hyphens and a leading +.',
    );
  }
  let national = compact;
  // A leading 00 is an international prefix only if a country code and number can follow it.
  if (compact.startsWith('+') || (compact.startsWith('00') && compact.length > 11)) {
    const international = compact.replace(/^(\+|00)/, '');
    if (!international.startsWith('86')) {
      return invalid('mobile.country_code', 'Only mainland China numbers (country code +86) are accepted.');
    }
    national = international.slice(2);
  } else if (compact.length === 13 && compact.startsWith('86')) {
    // A bare 86 is a country code only when 11 digits remain; 13-digit IoT numbers start with 14.
    national = compact.slice(2);
  }
  if (national.length !== 11) {
    return invalid(
      'mobile.length',
      `A mainland mobile number has 11 digits, but ${national.length} were given.`,
    );
  }
  if (!national.startsWith('1')) {
    return invalid('mobile.not_mobile', 'A mainland mobile number starts with 1.');
  }
  const segment = findSegment(national);
  if (!segment) {
    return invalid(
      'mobile.unallocated_segment',
      `The segment ${national.slice(0, 3)} is not allocated to any carrier.`,
    );
  }
  return valid({
    e164: `+86${national}`,
    national,
    segment: segment.prefix,
    carrier: segment.carrier,
    carrierZh: segment.carrierZh,
    isVirtualOperator: segment.category === 'mvno',
    category: segment.category,
  });
}

/** Mask for display to roles that do not need the full number: 138****5678. */
export function maskMobile(national: string): string {
  return national.length === 11
    ? `${national.slice(0, 3)}****${national.slice(7)}`
    : '*'.repeat(national.length);
}

export { mobileSegments };
