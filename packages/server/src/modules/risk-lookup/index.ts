// The public risk lookup (no sign-in) and banks' payment-time payee checks: the indicators module's registry
// told as a coarse level (high risk, suspicious, no record), never its figures.
export { riskLookupRoutes } from './risk-lookup.routes';
export { createRiskLookupService, PAYEE_CHECK_ACTION, type RiskLookupService } from './risk-lookup.service';
