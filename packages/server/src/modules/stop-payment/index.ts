export { createStopPaymentService, type StopPaymentService } from './stop-payment.service';
export { stopPaymentRoutes } from './stop-payment.routes';
export { notYetStopped } from './stop-payment.views';
