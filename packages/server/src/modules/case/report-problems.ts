import type { FieldProblem, ReportDraftInput } from '@fanzha/contracts';
import {
  normaliseImei,
  validateCountyCode,
  validateIdNumber,
  validateMobile,
  validateUrl,
} from '@fanzha/domain';
import { isProblem, resolveAccount } from './accounts';

/**
 * What is still missing or invalid in a draft, each with its field and reason. Drafts keep whatever was
 * typed (a call is never lost to a typo); submit refuses while any problem remains.
 */
export function draftProblems(d: ReportDraftInput, today: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const need = (field: string, message: string) => problems.push({ field, reason: 'required', message });
  const check = (field: string, r: { ok: true } | { ok: false; reason: string; message: string }) => {
    if (!r.ok) problems.push({ field, reason: r.reason, message: r.message });
  };

  if (d.transfers.length === 0) need('transfers', 'at least one transfer: when, how much, to which account');
  d.transfers.forEach((t, i) => {
    const at = `transfers.${i}`;
    if (!t.transferredAt) need(`${at}.transferredAt`, 'when the money was transferred');
    if (t.amountFen === undefined || t.amountFen <= 0) need(`${at}.amountFen`, 'how much was transferred');
    if (!t.toAccount.number) need(`${at}.toAccount.number`, 'the account the money went to');
    else {
      const r = resolveAccount(`${at}.toAccount`, t.toAccount.number, t.toAccount.bankCode, {
        isCardOnly: true,
      });
      if (isProblem(r)) problems.push(r);
    }
  });
  d.contacts.forEach((c, i) => {
    // Fraudsters also call from landlines and abroad: a phone contact needs only to look like a number.
    if (c.kind === 'phone' && c.value.trim() && !/^\+?[\d\s-]{5,20}$/.test(c.value.trim()))
      problems.push({
        field: `contacts.${i}.value`,
        reason: 'phone.format',
        message: 'a phone number has 5–20 digits',
      });
    if (c.kind === 'url' && c.value.trim()) check(`contacts.${i}.value`, validateUrl(c.value));
    if (c.kind === 'device' && c.value.trim()) check(`contacts.${i}.value`, normaliseImei(c.value));
  });
  const v = d.victim;
  if (!v.name?.trim()) need('victim.name', "the victim's name");
  if (v.idNumber?.trim()) check('victim.idNumber', validateIdNumber(v.idNumber, today));
  if (!v.phone?.trim()) need('victim.phone', "the victim's phone number");
  else check('victim.phone', validateMobile(v.phone));
  if (!v.countyCode) need('victim.countyCode', 'the county of residence (the report is routed there)');
  else check('victim.countyCode', validateCountyCode(v.countyCode));
  if (!d.fraudType) need('fraudType', 'confirm or choose the fraud type');
  return problems;
}
