export { createAlertsService, type AlertsService } from './alerts.service';
export { alertRoutes } from './alerts.routes';
export { createLegalTimers, startLegalTimers, type LegalTimers } from './legal-timers';
