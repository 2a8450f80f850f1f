export { createAlertsService, type AlertsService } from './alerts.service';
export { alertRoutes } from './alerts.routes';
export {
  createLegalTimers,
  startLegalTimers,
  type LegalTimers,
  type StopPaymentDeadlines,
} from './legal-timers';
export { raiseAlerts, type AlertSpec } from './alerts.raise';
export { sweepOverdue, type OverdueSweep } from './overdue.sweep';
