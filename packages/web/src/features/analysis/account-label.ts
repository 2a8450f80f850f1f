import { findBankByCode } from '@fanzha/domain';

const VICTIM = 'victim:';

/** The report whose victim a money-graph key names (`victim:<reportId>`), or undefined for a bank account. */
export const victimReportId = (key: string): string | undefined =>
  key.startsWith(VICTIM) ? key.slice(VICTIM.length) : undefined;

/** `BANK:number` → its parts; undefined for a victim's source or a key this build cannot read. */
export function bankAccountOf(key: string): { bankCode: string; number: string } | undefined {
  if (key.startsWith(VICTIM)) return undefined;
  const at = key.indexOf(':');
  if (at <= 0) return undefined;
  return { bankCode: key.slice(0, at), number: key.slice(at + 1) };
}

export interface AccountNames {
  locale: 'zh-CN' | 'en-US';
  /** "受害人 {report}" with the report's number (or id when not known). */
  victim: (report: string) => string;
  /** Report numbers by id, for the victims' sources. */
  reportNumbers: ReadonlyMap<string, string>;
}

const bankName = (code: string, locale: AccountNames['locale']) => {
  const bank = findBankByCode(code);
  if (!bank) return code;
  return locale === 'en-US' ? (bank.nameEn ?? bank.nameZh) : bank.nameZh;
};

/**
 * An account as the console names it: the victim by the report's number; a bank account by its bank and
 * number — `short` keeps the last four digits (a chart's label), the full number in groups of four otherwise.
 */
export function accountName(key: string, names: AccountNames, isShort = false): string {
  const reportId = victimReportId(key);
  if (reportId !== undefined) return names.victim(names.reportNumbers.get(reportId) ?? reportId.slice(0, 8));
  const account = bankAccountOf(key);
  if (!account) return key;
  const bank = bankName(account.bankCode, names.locale);
  if (isShort) return `${bank} ·${account.number.slice(-4)}`;
  return `${bank} ${account.number.replace(/(\d{4})(?=\d)/g, '$1 ')}`;
}
