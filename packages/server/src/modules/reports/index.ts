export { createReportsService, firstLayerAccounts, type ReportsService } from './reports.service';
export { reportsRoutes } from './reports.routes';
export { intakeReports, type IntakeInput } from './reports.intake';
export {
  markReportMilestones,
  reportHandOff,
  victimReportTimes,
  type VictimLookUp,
} from './reports.repository';
