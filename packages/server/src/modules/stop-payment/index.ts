export {
  createStopPaymentService,
  lockRequest,
  openStatuses,
  type FirstLayerAccount,
  type StopPaymentService,
} from './stop-payment.service';
export { stopPaymentRoutes } from './stop-payment.routes';
