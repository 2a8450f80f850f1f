export { createScreeningService, DEAD_LETTERS_PER_BATCH, type ScreeningService } from './screening.service';
export { screeningRoutes } from './screening.routes';
export {
  noIndicators,
  unwiredWarnings,
  type IndicatorReader,
  type SignalPublisher,
  type WarningsSink,
} from './screening.deps';
export { Matcher } from './screening.matcher';
export { parseBatch, type ScreenItem } from './screening.parse';
export {
  createSignalPublisher,
  defaultSignalStreamLimits,
  ensureSignalStream,
  signalStreamNames,
  startSignalConsumer,
  type SignalConsumer,
  type SignalStreamLimits,
} from './screening.nats';
export { startScreening, type RunningScreening } from './screening.start';
