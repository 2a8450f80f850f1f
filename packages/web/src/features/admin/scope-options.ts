import { listBanks, listCounties, listPrefectures } from '@fanzha/domain';
import { hasMessage, reasonText, type Locale, type Translate } from '../../i18n';
import type { FieldProblemLike } from './field-errors';

/** The major banks a liaison can be bound to, named in the user's language. */
export function bankOptions(locale: Locale) {
  return listBanks()
    .filter((bank) => bank.isMajor)
    .map((bank) => {
      const name = locale === 'en-US' ? (bank.nameEn ?? bank.nameZh) : bank.nameZh;
      return { value: bank.code, label: `${name} (${bank.code})` };
    });
}

/** Guizhou's counties, grouped by prefecture. */
export function countyOptions() {
  return listPrefectures().map((prefecture) => ({
    label: prefecture.name,
    title: prefecture.name,
    options: listCounties(prefecture.code).map((county) => ({
      value: county.code,
      label: `${county.prefectureName ?? ''}${county.name} ${county.code}`,
    })),
  }));
}

/**
 * Words for a field problem: ours for the account rules' reason codes, the domain's Chinese text for
 * its validators' codes (county codes) in zh-CN, else the server's message.
 */
export function problemText(locale: Locale, t: Translate) {
  return (problem: FieldProblemLike) => {
    const key = `admin.reason.${problem.reason}`;
    if (hasMessage(key)) return t(key);
    return reasonText(locale, problem.reason, problem.message);
  };
}
