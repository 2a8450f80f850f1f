import type { Translate } from './translate';

const UNITS = [
  { key: 'duration.days', seconds: 86_400 },
  { key: 'duration.hours', seconds: 3_600 },
  { key: 'duration.minutes', seconds: 60 },
  { key: 'duration.seconds', seconds: 1 },
] as const;

/** Human uptime with the two largest non-zero units ("2 小时 5 分钟", "3 d 4 h"): precise enough for a status page. */
export function formatDuration(totalSeconds: number, t: Translate): string {
  let rest = Number.isFinite(totalSeconds) ? Math.max(0, Math.floor(totalSeconds)) : 0;
  const parts: string[] = [];
  for (const unit of UNITS) {
    const n = Math.floor(rest / unit.seconds);
    rest -= n * unit.seconds;
    if (n > 0 || (unit.seconds === 1 && parts.length === 0)) parts.push(t(unit.key, { n }));
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}
