import { invalid, valid, type Validation } from '../validators/result';
import { isLuhnValid, withLuhnCheckDigit } from '../validators/luhn';

export type DeviceReason = 'device.empty' | 'device.format' | 'device.luhn';

export const deviceReasonMessagesZh: Record<DeviceReason, string> = {
  'device.empty': '请输入设备IMEI',
  'device.format': 'IMEI应为15位数字（或不含校验位的14位数字）',
  'device.luhn': 'IMEI校验位不正确，请核对',
};

/**
 * A device as the registry and case linking key it: its IMEI (国际移动设备识别码) as 15 digits, the last the
 * Luhn check digit over the first 14 (3GPP TS 23.003). Spaces and dashes as printed on a box or a `*#06#`
 * screen are dropped; 14 digits (the IMEI without its check digit) are completed with it, so both spellings of
 * one handset meet. Anything else is refused: 16 digits (IMEISV, which carries a software version instead of
 * the check digit), letters (an MEID is hexadecimal) or a wrong check digit.
 */
export function normaliseImei(input: string): Validation<string> {
  const digits = input.trim().replace(/[\s-]/g, '');
  if (digits === '') return invalid('device.empty', 'The device IMEI is empty.');
  if (!/^\d+$/.test(digits) || (digits.length !== 14 && digits.length !== 15))
    return invalid('device.format', 'An IMEI is 15 digits (or 14 without its check digit).');
  if (digits.length === 14) return valid(withLuhnCheckDigit(digits));
  if (!isLuhnValid(digits))
    return invalid('device.luhn', 'The IMEI’s last digit is not its check digit: a digit is mistyped.');
  return valid(digits);
}
