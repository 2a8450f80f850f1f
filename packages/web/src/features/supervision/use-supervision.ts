import { useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { useLiveStream } from '../../live';
import { FUND_DECISIONS_KEY } from '../../case';

/**
 * Fund decisions travel inside the stop-payment views (their freeze): when one changes, reload the
 * decision lists once, however many changes arrive together.
 */
export function useFundDecisionStream() {
  const client = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  return useLiveStream((message) => {
    const isRelevant =
      message === null || (message.type === 'stop-payment' && message.request.freeze !== null);
    if (!isRelevant) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void client.invalidateQueries({ queryKey: [FUND_DECISIONS_KEY] }), 300);
  });
}
