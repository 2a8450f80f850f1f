import { validateBankCard, validateIdNumber, validateMobile } from '@fanzha/domain';
import { reasonText, type Locale } from '../../i18n';
import { parseCentreTime, parseYuanToFen } from '../../ui';

/** What a field shows under itself while typing: a problem (red), a hint (grey) or a confirmation (green). */
export type Check = { kind: 'error' | 'hint'; text: string } | { kind: 'ok'; text: string } | undefined;

export { reasonText };

export function checkAccount(value: string, locale: Locale): Check {
  const digits = value.replace(/[\s-]/g, '');
  if (!digits) return undefined;
  const card = validateBankCard(digits);
  if (card.ok)
    return {
      kind: 'ok',
      text: locale === 'zh-CN' ? card.value.bankNameZh : (card.value.bankNameEn ?? card.value.bankNameZh),
    };
  // Still typing: a short number is not yet wrong.
  const kind = digits.length < 15 && card.reason === 'card.length' ? 'hint' : 'error';
  return { kind, text: reasonText(locale, card.reason, card.message) };
}

export function checkMobile(value: string, locale: Locale): Check {
  if (!value.trim()) return undefined;
  const result = validateMobile(value);
  if (result.ok) return { kind: 'ok', text: result.value.carrierZh };
  return {
    kind: result.reason === 'mobile.length' && value.replace(/\D/g, '').length < 11 ? 'hint' : 'error',
    text: reasonText(locale, result.reason, result.message),
  };
}

export function checkIdNumber(value: string, locale: Locale, today: Date): Check {
  if (!value.trim()) return undefined;
  const result = validateIdNumber(value, today);
  if (result.ok) return { kind: 'ok', text: '✓' };
  const isShort = value.trim().length < 18;
  return { kind: isShort ? 'hint' : 'error', text: reasonText(locale, result.reason, result.message) };
}

export function checkAmount(value: string): boolean {
  return !value.trim() || (parseYuanToFen(value) ?? 0) > 0;
}

export function checkTime(value: string, now: Date): boolean {
  return !value.trim() || parseCentreTime(value, now) !== undefined;
}
