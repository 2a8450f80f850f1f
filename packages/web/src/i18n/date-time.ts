/** The centre's zone: China Standard Time, UTC+8 all year (no daylight saving). */
const CENTRE_OFFSET_MS = 8 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A timestamp as the centre reads it, "2025-01-02 08:09:10": Beijing time, 24-hour, seconds included
 * (audit work compares them), the same in every language and whatever zone or locale the workstation
 * has, so a time read out over the phone or compared with a bank's record means one thing.
 * An unreadable value is shown as it came.
 */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const c = new Date(date.getTime() + CENTRE_OFFSET_MS);
  return (
    `${c.getUTCFullYear()}-${pad(c.getUTCMonth() + 1)}-${pad(c.getUTCDate())} ` +
    `${pad(c.getUTCHours())}:${pad(c.getUTCMinutes())}:${pad(c.getUTCSeconds())}`
  );
}
