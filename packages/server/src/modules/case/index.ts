// The read side of a case: how a report, its stop-payment requests, freezes, fund decisions and county tasks
// look to the consoles and in event payloads, the report's money figures, the draft rules shared by intake
// and the desk, and the one county-scope check. Writers call these to build what they publish; this module
// reads the case tables and writes none.
export { isProblem, resolveAccount, type ResolvedAccount } from './accounts';
export { isAlertFor } from './alert-audience';
export {
  episodeCountyOf,
  isEpisodeInScope,
  isInScope,
  isOwnCounty,
  reportsOwnedBy,
  reportsTakenBy,
} from './county-scope';
export { stopDeadlineFacts, type FreezeDeadlineFacts, type StopDeadlineFacts } from './deadline-facts';
export { loadDecisionViews, toFundDecisionView, usernames, type DecisionContext } from './freeze.views';
export { reportClusterFacts, type ReportClusterFacts } from './report-cluster-facts';
export { reportGroupFigures, reportGroupFiguresQuery, type ReportGroupFigures } from './report-group-figures';
export { reportIndicatorFacts, type ReportIndicatorFacts } from './report-indicators';
export { reportMoney } from './report-money';
export { reportPayments, type ReportPayment } from './report-payments';
export { draftProblems } from './report-problems';
export { seesPersonalData, toReportView } from './report.view';
export {
  bankNameOf,
  loadViews as loadStopPaymentViews,
  notYetStopped,
  toStopPaymentView,
  type StopPaymentRow,
} from './stop-payment.views';
export { loadTaskViews, type CountyTaskRow } from './task.views';
