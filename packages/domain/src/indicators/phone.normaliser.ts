import { invalid, valid, type Validation } from '../validators/result';

export type PhoneReason =
  'phone.empty' | 'phone.characters' | 'phone.country_code' | 'phone.length' | 'phone.shape';

export const phoneReasonMessagesZh: Record<PhoneReason, string> = {
  'phone.empty': '请输入电话号码',
  'phone.characters': '电话号码只能包含数字、空格、连字符、括号和+号',
  'phone.country_code': '国际号码的国家代码不正确',
  'phone.length': '电话号码位数不正确',
  'phone.shape': '不是大陆手机、固定电话或400/800号码',
};

// Mainland numbers after +86, without the trunk 0: mobiles (11 digits, 13–19), landlines (area code
// 10, 2x or a 3-digit code, then 7–8 digits: 9–11 digits in all) and 400/800 service numbers.
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
const MAINLAND_LANDLINE = /^(?:10|2\d)\d{8}$|^[3-9]\d{2}\d{7,8}$/;
const SERVICE_NUMBER = /^[48]00\d{7}$/;

function mainland(national: string): Validation<string> {
  if (MAINLAND_MOBILE.test(national) || MAINLAND_LANDLINE.test(national) || SERVICE_NUMBER.test(national)) {
    return valid(`+86${national}`);
  }
  if (national.length < 9 || national.length > 11) {
    return invalid(
      'phone.length',
      `A mainland number has 9 to 11 digits after +86, but ${national.length} were given.`,
    );
  }
  return invalid('phone.shape', `${national} is not a mainland mobile, landline or 400/800 number.`);
}

/**
 * A phone number as E.164 ('+8613800138000', '+8685186888888'). Accepts +86 / 0086 / 86 prefixes,
 * the trunk 0 of landlines, spaces, hyphens, dots and brackets around an area code. Unlike
 * `validateMobile`, an unallocated mobile segment is accepted: caller IDs can be spoofed to any
 * number and the indicator must still be recordable. Other countries' numbers ('+63 917…') are
 * kept as E.164 without further checks: cross-border calls are a common fraud signal.
 */
export function normalisePhone(input: string): Validation<string> {
  const compact = input.replace(/[\s\-.()]/g, '');
  if (compact === '') return invalid('phone.empty', 'The phone number is empty.');
  if (!/^\+?\d+$/.test(compact)) {
    return invalid(
      'phone.characters',
      'A phone number may contain only digits, spaces, hyphens, dots, brackets and a leading +.',
    );
  }
  const international = compact.startsWith('+')
    ? compact.slice(1)
    : compact.startsWith('00')
      ? compact.slice(2)
      : undefined;
  if (international !== undefined) {
    if (international.startsWith('86')) return mainland(international.slice(2).replace(/^0/, ''));
    if (/^0/.test(international))
      return invalid('phone.country_code', 'A country code does not start with 0.');
    if (international.length < 8 || international.length > 15) {
      return invalid(
        'phone.length',
        `An international number has 8 to 15 digits, but ${international.length} were given.`,
      );
    }
    return valid(`+${international}`);
  }
  // A bare 86 is a country code only when a whole mobile number follows it.
  if (compact.length === 13 && compact.startsWith('86') && MAINLAND_MOBILE.test(compact.slice(2))) {
    return valid(`+${compact}`);
  }
  return mainland(compact.startsWith('0') ? compact.slice(1) : compact);
}
