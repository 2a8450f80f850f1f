export { createStopPaymentService, STOP_DURATION_MS, type StopPaymentService } from './stop-payment.service';
export { stopPaymentRoutes } from './stop-payment.routes';
export { notYetStopped } from './stop-payment.views';
