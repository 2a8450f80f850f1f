// The registry of indicators (涉诈号码/网址/APP/账户): kept from reports' and banks' answers' events, read by
// analysts and supervisors, and paged out to screening's matcher.
export {
  applyIndicatorEvents,
  INDICATORS_CONSUMER,
  startIndicatorConsumer,
  type IndicatorConsumerDeps,
} from './indicators.consumer';
export { registerIndicatorMetrics } from './indicators.metrics';
export { indicatorRoutes } from './indicators.routes';
export {
  addIndicatorHits,
  createIndicatorsService,
  type IndicatorReader,
  type IndicatorsService,
} from './indicators.service';
export { createIndicatorExchange, type IndicatorExchange } from './indicator-exchange.service';
export { indicatorExchangeRoutes } from './indicator-exchange.routes';
export { createIndicatorDecisions, type IndicatorDecisions } from './indicators.decisions';
export { indicatorDecisionRoutes } from './indicators.decisions.routes';
export { createIndicatorRegrade, startIndicatorRegrade, type IndicatorRegrade } from './indicators.regrade';
