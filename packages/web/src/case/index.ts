// The case kit: what every console that works a case shares — legal timers and their countdowns, who
// may restrict or approve, the freeze and decision forms, dialogs and mutations. The report page is a
// feature of its own (features/reports) built on it.
export { canApprove, canRestrict, isOwnProposal } from './case-roles';
export { DecisionActions } from './decision-actions';
export { ProposeDialog, RejectDialog } from './decision-dialogs';
export { AccountSummary, ReasonFields, Shell, type Close } from './dialog-parts';
export { Field } from './form-field';
export {
  ACCEPT_THRESHOLDS,
  ANSWER_THRESHOLDS,
  COUNTDOWN_COLORS,
  LAPSE_THRESHOLDS,
  countdownTo,
  formatCountdownClock,
  lapsingFirst,
  legalStateAt,
  recentlyLapsed,
  type Countdown as CountdownState,
  type CountdownLevel,
} from './legal-countdown';
export { Countdown, LegalStateTag, LiveLegalStateTag } from './legal-status';
export {
  centreDay,
  endsAtFor,
  freeToDecide,
  freezeLimitFen,
  newDecisionForm,
  newFreezeForm,
  newRenewForm,
  payeeBankFromBin,
  renewDefaultEnd,
  toDecisionRequest,
  toFreezeRequest,
  toRenewRequest,
  type DecisionForm,
  type FormErrors,
  type FreezeForm,
  type RenewForm,
} from './freeze-forms';
export {
  FUND_DECISIONS_KEY,
  useDecide,
  useFreeze,
  useFundDecisions,
  useProposeDecision,
  useRenewFreeze,
  useRestop,
} from './use-freezes';
