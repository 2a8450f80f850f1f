import type { Me } from '@fanzha/contracts';
import type { Translate } from '../i18n';

export type Scoped = Pick<Me, 'bankCode' | 'operatorCode' | 'countyCode'>;

/** Optional look-ups that turn codes into names; without them the code itself is shown. */
export interface ScopeNames {
  bank?: (code: string) => string | undefined;
  county?: (code: string) => string | undefined;
}

const withCode = (name: string | undefined, code: string) =>
  name && name !== code ? `${name} ${code}` : code;

/**
 * The one bank, operator or county a liaison or county officer is bound to, in words
 * ("银行：中国工商银行 ICBC"); null for roles that see the whole province.
 */
export function scopeLabel(user: Scoped, t: Translate, names: ScopeNames = {}): string | null {
  if (user.bankCode) return t('scope.bank', { value: withCode(names.bank?.(user.bankCode), user.bankCode) });
  if (user.operatorCode) return t('scope.operator', { value: t(`operator.${user.operatorCode}`) });
  if (user.countyCode)
    return t('scope.county', { value: withCode(names.county?.(user.countyCode), user.countyCode) });
  return null;
}
