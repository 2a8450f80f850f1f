export { createReportsService, type ReportsService } from './reports.service';
export { firstLayerAccounts } from './report-columns';
export { reportsRoutes } from './reports.routes';
export { intakeReports, type IntakeInput } from './reports.intake';
export {
  markReportMilestones,
  reportHandOff,
  victimContacts,
  victimReportTimes,
  type VictimLookUp,
} from './reports.repository';
export { draftOfEpisode, type EpisodeDraft } from './reports.from-episode';
export { backfillAgeBands, reportPublicityFacts, type ReportPublicityFacts } from './reports.publicity';
