import { ageFromIdNumber } from '../warnings/grading';

/**
 * Coarse age bands of victims, for publicity (宣传): who to speak to. A report keeps the band, never the
 * birth date; `unknown` when the victim's ID number is missing or cannot be read.
 */
export const ageBands = ['under-18', '18-25', '26-35', '36-45', '46-60', '60+', 'unknown'] as const;
export type AgeBand = (typeof ageBands)[number];

export const ageBandNamesZh: Record<AgeBand, string> = {
  'under-18': '18岁以下',
  '18-25': '18–25岁',
  '26-35': '26–35岁',
  '36-45': '36–45岁',
  '46-60': '46–60岁',
  '60+': '60岁以上',
  unknown: '年龄不详',
};

/** The band of an age in whole years. */
export function ageBandOf(age: number | null): AgeBand {
  if (age === null || !Number.isFinite(age) || age < 0) return 'unknown';
  if (age < 18) return 'under-18';
  if (age <= 25) return '18-25';
  if (age <= 35) return '26-35';
  if (age <= 45) return '36-45';
  if (age <= 60) return '46-60';
  return '60+';
}

/** The band of the holder of an ID number on `at` (China's calendar date): the age when the call came. */
export function ageBandOfIdNumber(idNumber: string | null | undefined, at: Date): AgeBand {
  if (!idNumber) return 'unknown';
  return ageBandOf(ageFromIdNumber(idNumber.trim().toUpperCase(), at));
}
