import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay } from './working-days';

// China time is UTC+8: 10:00 in Guiyang is 02:00Z.
const cst = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`);

describe('working days (China, with public holidays and exchanged weekends)', () => {
  it('counts weekdays and skips the weekend', () => {
    // Friday 2026-11-27 → Mon 30, Tue 1, Wed 2: due when Thursday 3 December begins.
    expect(addWorkingDays(cst('2026-11-27'), 3)).toEqual(cst('2026-12-03', '00:00'));
  });

  it('skips the National Day holiday and counts its exchanged Saturday', () => {
    // 2026-09-30 (Wed) → Oct 1–7 holiday, Sat Oct 10 is a working day: Oct 8, 9, 10.
    expect(addWorkingDays(cst('2026-09-30'), 3)).toEqual(cst('2026-10-11', '00:00'));
    expect(isWorkingDay(cst('2026-10-10'))).toBe(true);
    expect(isWorkingDay(cst('2026-10-05'))).toBe(false);
  });

  it('uses the China date, not the UTC date, near midnight', () => {
    // Saturday 00:30 in China is still Friday in UTC.
    expect(isWorkingDay(cst('2026-11-28', '00:30'))).toBe(false);
    expect(isWorkingDay(cst('2026-11-27', '23:30'))).toBe(true);
  });

  it('is later than the decision by at least n days and never lands on a day off', () => {
    for (let d = 0; d < 400; d += 7) {
      const from = new Date(Date.UTC(2025, 0, 1, 2) + d * 86_400_000);
      const due = addWorkingDays(from, 3);
      expect(due.getTime() - from.getTime()).toBeGreaterThan(3 * 86_400_000 - 86_400_000);
      expect(isWorkingDay(new Date(due.getTime() - 1))).toBe(true);
    }
  });
});
