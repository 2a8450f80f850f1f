import { isStorableTime } from '@fanzha/contracts';
import { isUuid } from '../../platform/http/cursor-parts';
import { gradeRankSql } from './warnings.ladder';

/** The console's sort key: open first, then grade, overdue, and the oldest first. */
export interface EpisodeCursor {
  isOpen: boolean;
  gradeRank: number;
  isOverdue: boolean;
  openedAt: Date;
  id: string;
}

/** The console's cursor: the last row's sort key, opaque to clients. */
export function encodeCursor(row: {
  id: string;
  grade: 'low' | 'medium' | 'high';
  closed_at: Date | null;
  is_overdue: boolean;
  opened_at: Date;
}): string {
  return Buffer.from(
    JSON.stringify([
      row.closed_at === null ? 1 : 0,
      gradeRankSql[row.grade],
      row.is_overdue ? 1 : 0,
      row.opened_at.toISOString(),
      row.id,
    ]),
  ).toString('base64url');
}

export function decodeCursor(text: string): EpisodeCursor | undefined {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(v) || v.length !== 5) return undefined;
    const [open, grade, overdue, openedAt, id] = v as unknown[];
    const isFlag = (x: unknown) => x === 0 || x === 1;
    if (!isFlag(open) || !isFlag(overdue) || (grade !== 0 && grade !== 1 && grade !== 2)) return undefined;
    if (typeof openedAt !== 'string' || !isUuid(id)) return undefined;
    const at = new Date(openedAt);
    if (!isStorableTime(at)) return undefined;
    return { isOpen: open === 1, gradeRank: grade, isOverdue: overdue === 1, openedAt: at, id };
  } catch {
    return undefined;
  }
}
