export { createPeriodReports, renderReport, type PeriodReports } from './period-reports.service';
export { periodReportRoutes } from './period-reports.routes';
export { startPeriodReportSchedule } from './period-reports.schedule';
