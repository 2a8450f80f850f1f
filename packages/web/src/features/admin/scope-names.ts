import { countyLabel, findBankByCode } from '@fanzha/domain';
import type { Locale } from '../../i18n';
import type { ScopeNames } from '../../session';

/** Bank and county names from the domain's tables (loaded with the admin console only, not the shell). */
export function scopeNames(locale: Locale): ScopeNames {
  return {
    bank: (code) => {
      const bank = findBankByCode(code);
      return locale === 'en-US' ? (bank?.nameEn ?? bank?.nameZh) : bank?.nameZh;
    },
    county: countyLabel,
  };
}
