import type { WallSummary, WallTickerItem, WarningEffectiveness } from '@fanzha/contracts';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api';
import { useLiveStream, type LiveStatus } from '../../live';
import { periodStart } from '../supervision/warning-effect';
import { mergeTicker } from './wall-ticker';

export const WALL_KEY = ['wall', 'summary'] as const;
/** This month's warning figures (预警成效) for the 预警 and 劝阻 tiles; refreshed with the summary. */
export const WALL_EFFECT_KEY = ['wall', 'effect'] as const;
/** Time alone changes figures (midnight, deadlines passing): fetch at least this often. */
const REFRESH_MS = 60_000;
/** Pushes closer together than this fold into one fetch. */
const MIN_GAP_MS = 300;

/** Runs `fn` at once, then at most once per `gapMs` (the last call of a burst is never lost). */
function useThrottle(fn: () => void, gapMs: number): () => void {
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    const wait = last.current + gapMs - Date.now();
    if (wait <= 0) {
      last.current = Date.now();
      fn();
    } else
      timer.current ??= setTimeout(() => {
        timer.current = undefined;
        last.current = Date.now();
        fn();
      }, wait);
  }, [fn, gapMs]);
}

export interface WallState {
  summary: WallSummary | undefined;
  /** Absent for the wall's readers who may not see them (only the wall, supervisors and analysts do). */
  effect: WarningEffectiveness | undefined;
  ticker: WallTickerItem[];
  status: LiveStatus;
  isError: boolean;
  updatedAt: number;
}

/** The wall's figures: fetched, fetched again on every push (throttled) and every minute regardless. */
export function useWall(): WallState {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: WALL_KEY,
    queryFn: ({ signal }) => api.GET('/api/wall/summary', { signal }),
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: true,
    placeholderData: keepPreviousData,
  });
  const effect = useQuery({
    queryKey: WALL_EFFECT_KEY,
    queryFn: ({ signal }) =>
      api.GET('/api/warnings/effectiveness', {
        params: { query: { from: periodStart('month', new Date()).toISOString() } },
        signal,
      }),
    refetchInterval: REFRESH_MS,
    retry: false,
    placeholderData: keepPreviousData,
  });
  const [pushed, setPushed] = useState<WallTickerItem[]>([]);
  const invalidate = useCallback(() => void client.invalidateQueries({ queryKey: ['wall'] }), [client]);
  const refetch = useThrottle(invalidate, MIN_GAP_MS);
  const { status } = useLiveStream((message) => {
    // null: the stream (re)opened and may have missed pushes.
    if (message === null) return refetch();
    if (message.type !== 'wall') return;
    setPushed((previous) => mergeTicker(message.ticker, previous));
    refetch();
  });
  const fetched = query.data?.ticker;
  const ticker = useMemo(() => mergeTicker(pushed, fetched ?? []), [pushed, fetched]);
  return {
    summary: query.data,
    effect: effect.data,
    ticker,
    status,
    isError: query.isError,
    updatedAt: query.dataUpdatedAt,
  };
}
