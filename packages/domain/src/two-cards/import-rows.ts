import { isCsvRecordError, readCsv } from '../indicators/indicator-csv';
import { findBankByCode } from '../validators/bank-card.validator';
import { normaliseHolderIdNumber, normaliseTwoCard, type TwoCard } from './cards';

/**
 * A two-cards import (断卡数据导入): cards with their holders and where they were opened, as a bank, an
 * operator or the police lists them. As CSV (RFC 4180, a header naming the columns, the header is line 1) or
 * as JSON rows (line n: the n-th row). A bad row is reported with its line, field and reason; the good rows
 * are taken.
 *
 * Columns: `kind` (bank or sim), `number`, `holder_id_number`, `institution` (the bank's code or the
 * operator; from the number when empty), `place_code` and `place_name` (the branch or outlet: at least one),
 * `opened_on` (YYYY-MM-DD, optional).
 */
export const twoCardImportColumns = [
  'kind',
  'number',
  'holder_id_number',
  'institution',
  'place_code',
  'place_name',
  'opened_on',
] as const;
export type TwoCardImportColumn = (typeof twoCardImportColumns)[number];

/** A row that is good: the card, its holder and where it was opened. */
export interface ImportedTwoCard {
  line: number;
  card: TwoCard;
  holderIdNumber: string;
  placeCode: string | null;
  placeName: string | null;
  openedOn: string | null;
}

/** A bad row (or a bad header: line 1): what is wrong, and where. */
export interface TwoCardImportProblem {
  line: number;
  field: string;
  reason: string;
  message: string;
}

const problem = (line: number, field: string, reason: string, message: string): TwoCardImportProblem => ({
  line,
  field,
  reason,
  message,
});

const text = (v: unknown): string | null | undefined =>
  v === undefined || v === null ? null : typeof v === 'string' ? v.trim() || null : undefined;

/** One row's fields, by column name (`kind`, `number`, …), checked. */
export function checkTwoCardImportRow(
  line: number,
  row: Readonly<Record<string, unknown>>,
  today: Date,
): ImportedTwoCard | TwoCardImportProblem {
  for (const k of Object.keys(row))
    if (!(twoCardImportColumns as readonly string[]).includes(k))
      return problem(line, k, 'unknown_field', `${k} is not a column of a two-cards import`);
  const f: Partial<Record<TwoCardImportColumn, string | null>> = {};
  for (const c of twoCardImportColumns) {
    const v = text(row[c]);
    if (v === undefined) return problem(line, c, 'not_text', `${c} must be text`);
    if (v !== null && v.length > 100)
      return problem(line, c, 'too_long', `${c} is longer than 100 characters`);
    f[c] = v;
  }
  if (f.kind !== 'bank' && f.kind !== 'sim')
    return problem(line, 'kind', 'invalid', 'kind must be bank or sim');
  if (!f.number) return problem(line, 'number', 'required', 'number is required');
  // A bank named must be one fanzha knows, as an operator named must be: instructions go to its code.
  if (f.kind === 'bank' && f.institution && findBankByCode(f.institution) === undefined)
    return problem(line, 'institution', 'bank.unknown', `${f.institution} is not a known bank code`);
  const card = normaliseTwoCard({
    kind: f.kind,
    number: f.number,
    ...(f.kind === 'bank' ? { bankCode: f.institution ?? null } : { operator: f.institution ?? null }),
  });
  if (!card.ok)
    return problem(
      line,
      card.reason.startsWith('operator') || card.reason.endsWith('bank_unknown') ? 'institution' : 'number',
      card.reason,
      card.message,
    );
  if (!f.holder_id_number)
    return problem(line, 'holder_id_number', 'required', 'holder_id_number is required');
  const holder = normaliseHolderIdNumber(f.holder_id_number, today);
  if (!holder.ok) return problem(line, 'holder_id_number', holder.reason, holder.message);
  if (!f.place_code && !f.place_name)
    return problem(
      line,
      'place_name',
      'required',
      'the branch or outlet (place_code or place_name) is required',
    );
  if (f.opened_on) {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(f.opened_on) ? new Date(`${f.opened_on}T00:00:00Z`) : null;
    if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== f.opened_on)
      return problem(line, 'opened_on', 'invalid_date', 'opened_on must be a date, YYYY-MM-DD');
    if (d > today) return problem(line, 'opened_on', 'in_future', 'opened_on is later than today');
  }
  return {
    line,
    card: card.value,
    holderIdNumber: holder.value,
    placeCode: f.place_code ?? null,
    placeName: f.place_name ?? null,
    openedOn: f.opened_on ?? null,
  };
}

export const isImportProblem = (r: ImportedTwoCard | TwoCardImportProblem): r is TwoCardImportProblem =>
  'reason' in r;

/** A whole CSV text, checked row by row; a bad header answers one problem on line 1 and no rows. */
export function checkTwoCardCsv(csv: string, today: Date): Array<ImportedTwoCard | TwoCardImportProblem> {
  const records = readCsv(csv);
  const [head, ...rest] = records;
  if (!head) return [];
  if (isCsvRecordError(head)) return [problem(head.line, 'header', head.reason, head.message)];
  const names = head.fields.map((n, i) => (i === 0 ? n.replace(/^\uFEFF/, '') : n).trim().toLowerCase());
  for (const n of names)
    if (!(twoCardImportColumns as readonly string[]).includes(n))
      return [problem(head.line, 'header', 'unknown_column', `${n} is not a column of a two-cards import`)];
  if (new Set(names).size !== names.length)
    return [problem(head.line, 'header', 'duplicate_column', 'a column is named twice')];
  for (const need of ['kind', 'number', 'holder_id_number'])
    if (!names.includes(need))
      return [problem(head.line, 'header', 'missing_column', `the header does not name ${need}`)];
  return rest.map((r) => {
    if (isCsvRecordError(r)) return problem(r.line, 'row', r.reason, r.message);
    if (r.fields.length !== names.length)
      return problem(
        r.line,
        'row',
        'field_count',
        `the row has ${r.fields.length} fields, the header ${names.length}`,
      );
    return checkTwoCardImportRow(r.line, Object.fromEntries(names.map((n, i) => [n, r.fields[i]])), today);
  });
}
