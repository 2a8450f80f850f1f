export {
  createStopPaymentService,
  openStatuses,
  type FirstLayerAccount,
  type NewRequest,
  type ReportFacts,
  type StopPaymentDeps,
  type StopPaymentService,
} from './stop-payment.service';
export { HOLDER_ID_NUMBER_PLACE, lockRequest, type MarkReportMilestones } from './stop-payment.shared';
export { stopPaymentRoutes } from './stop-payment.routes';
export { stopPaymentLapses } from './stop-payment.repository';
