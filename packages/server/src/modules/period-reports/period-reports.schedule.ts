import type { Logger } from '../../platform/logger';
import { runEvery, type Periodic } from '../../platform/every';
import type { PeriodReports } from './period-reports.service';

/**
 * Runs the schedule every `everyMs` in the worker (and the embedded all-in-one process): after midnight
 * China time the previous day's reports, on Mondays the week's, on the 1st the month's — each once, however
 * many workers run it (a unique index on the scheduled reports).
 */
export function startPeriodReportSchedule(
  reports: PeriodReports,
  opts: { log: Logger; everyMs: number },
): Periodic {
  return runEvery(() => reports.runSchedule(), { ...opts, what: 'period report schedule' });
}
