import type { WallTickerItem } from '@fanzha/contracts';

/** Lines kept in the page: a wall open for days must not grow. */
export const TICKER_KEPT = 30;

/** Pushed and fetched lines together: each once, newest first (ids grow), at most `TICKER_KEPT`. */
export function mergeTicker(
  a: readonly WallTickerItem[],
  b: readonly WallTickerItem[],
  kept = TICKER_KEPT,
): WallTickerItem[] {
  const byId = new Map<string, WallTickerItem>();
  for (const item of [...a, ...b]) if (!byId.has(item.id)) byId.set(item.id, item);
  return [...byId.values()].sort((x, y) => Number(y.id) - Number(x.id)).slice(0, kept);
}
