/**
 * Times in the centre's zone. Guizhou keeps China Standard Time (UTC+8, no daylight saving), so a
 * typed local time converts with a fixed offset whatever zone the workstation is set to.
 */
export const CENTRE_TIME_ZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3_600_000;

const pad = (n: number) => String(n).padStart(2, '0');

function centreParts(date: Date) {
  const shifted = new Date(date.getTime() + OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

function fromCentre(year: number, month: number, day: number, hour: number, minute: number, second = 0) {
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) - OFFSET_MS);
}

/** "2025-05-01 14:32" in the centre's zone; `withSeconds` adds ":05". */
export function formatCentreTime(iso: string | Date | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return typeof iso === 'string' ? iso : '—';
  const p = centreParts(date);
  const base = `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
  return withSeconds ? `${base}:${pad(p.second)}` : base;
}

/** "14:32:05" in the centre's zone. */
export function formatClockTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = centreParts(date);
  return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/**
 * What a call-taker types for "when did you transfer", as an ISO instant: "14:32", "1432", "14:32:10"
 * (today, or yesterday when that would be in the future), "05-01 14:32", "2025-05-01 14:32".
 * Undefined when it is not a time.
 */
export function parseCentreTime(text: string, now: Date): string | undefined {
  const t = text.trim().replace(/[：]/g, ':').replace(/\//g, '-').replace('T', ' ');
  const today = centreParts(now);
  let m = /^(\d{1,2}):?(\d{2})(?::(\d{2}))?$/.exec(t);
  if (m) {
    const [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
    if (hour > 23 || minute > 59 || second > 59) return undefined;
    let at = fromCentre(today.year, today.month, today.day, hour, minute, second);
    // A time later than now (beyond clock slack) means last night's transfer, told after midnight.
    if (at.getTime() > now.getTime() + 5 * 60_000) at = new Date(at.getTime() - 86_400_000);
    return at.toISOString();
  }
  m = /^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (m) {
    const year = m[1] ? Number(m[1]) : today.year;
    const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
      return undefined;
    const at = fromCentre(year, month, day, hour, minute, second);
    if (centreParts(at).day !== day) return undefined; // 02-31 and the like
    return at.toISOString();
  }
  return undefined;
}

/** Whole seconds from one instant to another (never negative). */
export function secondsBetween(fromIso: string, to: Date | string): number {
  const end = typeof to === 'string' ? new Date(to).getTime() : to.getTime();
  return Math.max(0, Math.floor((end - new Date(fromIso).getTime()) / 1000));
}

/** "2:05" for a stopwatch, "1:02:05" past the hour. */
export function formatStopwatch(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = `${pad(s % 60)}`;
  return h > 0 ? `${h}:${pad(m)}:${rest}` : `${m}:${rest}`;
}
