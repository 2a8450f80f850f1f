import type { CountermeasureRequest, FieldProblem } from '@fanzha/contracts';
import {
  findBankByCode,
  indicatorKindOf,
  normaliseIndicator,
  operators,
  partyKindOf,
  type IndicatorSnapshot,
} from '@fanzha/domain';

export interface CheckedItem {
  kind: CountermeasureRequest['items'][number]['kind'];
  partyCode: string;
  indicatorId: number | null;
  value: string;
  reason: string;
}

/**
 * The centre's request, checked whole before anything is written: each item names an indicator of the fitting
 * kind or a value that normalises, and a party of the kind's sort (an operator, or a bank for accounts).
 * Returns the items ready to sign, or every problem, by field.
 */
export function checkRequest(
  body: CountermeasureRequest,
  indicators: ReadonlyMap<number, IndicatorSnapshot>,
): { ok: true; items: CheckedItem[] } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const items: CheckedItem[] = [];
  body.items.forEach((it, i) => {
    const at = `body.items.${i}`;
    const wanted = indicatorKindOf[it.kind];
    if ((it.indicatorId === undefined) === (it.value === undefined)) {
      problems.push({
        field: `${at}.value`,
        reason: 'countermeasures.target',
        message: 'Name the target by exactly one of indicatorId and value',
      });
      return;
    }
    const isOperator = partyKindOf[it.kind] === 'operator';
    if (
      isOperator
        ? !(operators as readonly string[]).includes(it.partyCode)
        : findBankByCode(it.partyCode) === undefined
    )
      problems.push({
        field: `${at}.partyCode`,
        reason: 'countermeasures.party',
        message: isOperator ? `Not an operator: one of ${operators.join(', ')}` : 'Not a known bank code',
      });
    let value: string | undefined;
    if (it.indicatorId !== undefined) {
      const found = indicators.get(it.indicatorId);
      if (!found || found.kind !== wanted)
        problems.push({
          field: `${at}.indicatorId`,
          reason: found ? 'countermeasures.indicator_kind' : 'countermeasures.indicator',
          message: found ? `The indicator is a ${found.kind}, not a ${wanted}` : 'No such indicator',
        });
      else value = found.value;
    } else {
      const normal = normaliseIndicator(wanted, it.value ?? '');
      if (!normal.ok) problems.push({ field: `${at}.value`, reason: normal.reason, message: normal.message });
      else value = normal.value;
    }
    if (value !== undefined)
      items.push({
        kind: it.kind,
        partyCode: it.partyCode,
        indicatorId: it.indicatorId ?? null,
        value,
        reason: it.reason,
      });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, items };
}
