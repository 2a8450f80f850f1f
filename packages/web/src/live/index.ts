export { LiveBadge } from './live-badge';
export { LiveStreamProvider, parseStreamMessage, useLiveStream, type LiveStatus } from './live-stream';
export {
  STOP_PAYMENTS_KEY,
  applyStopPayment,
  byUrgency,
  matchesFilter,
  stopPaymentsKey,
  upsertRequest,
  type StopPaymentFilter,
} from './stop-payment-cache';
export { useStopPaymentStream } from './use-stop-payment-stream';
