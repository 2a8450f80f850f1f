import { useQueryClient } from '@tanstack/react-query';
import { STOP_PAYMENTS_KEY, applyStopPayment } from './stop-payment-cache';
import { useLiveStream } from './live-stream';

/** Keeps every stop-payment list in the cache current from the stream; after a (re)connect, reloads them once. */
export function useStopPaymentStream(onReport?: (report: { id: string; version: number }) => void) {
  const client = useQueryClient();
  return useLiveStream((message) => {
    if (message === null) void client.invalidateQueries({ queryKey: [STOP_PAYMENTS_KEY] });
    else if (message.type === 'stop-payment') applyStopPayment(client, message.request);
    else if (message.type === 'report') onReport?.(message.report);
  });
}
