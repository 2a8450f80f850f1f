import { guizhouDivisions, type Division, type DivisionLevel } from '../data/guizhou-divisions';
import { invalid, valid, type Validation } from './result';

export type { Division, DivisionLevel };

export type DivisionReason =
  'division.format' | 'division.not_guizhou' | 'division.unknown' | 'division.not_county';

export const divisionReasonMessagesZh: Record<DivisionReason, string> = {
  'division.format': '行政区划代码应为6位数字',
  'division.not_guizhou': '该代码不属于贵州省',
  'division.unknown': '贵州省现行行政区划中没有该代码',
  'division.not_county': '请选择县级行政区（区、县、县级市）',
};

const byCode = new Map(guizhouDivisions.map((d) => [d.code, d]));

/**
 * A current (2023) GB/T 2260 code of Guizhou at any level. Abolished codes (522100 遵义地区,
 * 520221 水城县 …) are unknown here: no installed data source lists them.
 */
export function validateDivisionCode(code: string): Validation<Division> {
  const trimmed = code.trim();
  if (!/^\d{6}$/.test(trimmed)) {
    return invalid('division.format', 'A division code is exactly 6 digits.');
  }
  if (!trimmed.startsWith('52')) {
    return invalid(
      'division.not_guizhou',
      `The code ${trimmed} is outside Guizhou (Guizhou codes start with 52).`,
    );
  }
  const division = byCode.get(trimmed);
  if (!division) {
    return invalid('division.unknown', `The code ${trimmed} is not a current Guizhou division code.`);
  }
  return valid(division);
}

/** A county-level unit: the jurisdiction (属地) a report is routed to. */
export function validateCountyCode(code: string): Validation<Division> {
  const result = validateDivisionCode(code);
  if (result.ok && result.value.level !== 'county') {
    return invalid(
      'division.not_county',
      `The code ${result.value.code} (${result.value.name}) is a ${result.value.level}, not a county-level unit.`,
    );
  }
  return result;
}

export function findDivision(code: string): Division | undefined {
  return byCode.get(code);
}

export function listPrefectures(): Division[] {
  return guizhouDivisions.filter((d) => d.level === 'prefecture');
}

/** County-level units, optionally of one prefecture. */
export function listCounties(prefectureCode?: string): Division[] {
  return guizhouDivisions.filter(
    (d) => d.level === 'county' && (prefectureCode === undefined || d.parentCode === prefectureCode),
  );
}

export function divisionName(code: string): string | undefined {
  return byCode.get(code)?.name;
}

/** Prefecture and county names together, as staff write them: '贵阳市南明区'. */
export function countyLabel(code: string): string | undefined {
  const division = byCode.get(code);
  if (!division) return undefined;
  return division.level === 'county' ? `${division.prefectureName ?? ''}${division.name}` : division.name;
}

export { guizhouDivisions };
