export { LiveBadge } from './live-badge';
export { LiveStreamProvider, parseStreamMessage, useLiveStream, type LiveStatus } from './live-stream';
export {
  STOP_PAYMENTS_KEY,
  applyStopPayment,
  byUrgency,
  matchesFilter,
  stopPaymentsKey,
  upsertRequest,
  type StopPaymentFilter,
} from './stop-payment-cache';
export { useStopPaymentStream } from './use-stop-payment-stream';
export {
  COUNTY_TASKS_KEY,
  applyCountyTask,
  byDeadline,
  countyTasksKey,
  nextDeadline,
  taskMatches,
  upsertTask,
  type CountyTaskFilter,
} from './county-task-cache';
export { OPEN_ALERTS_KEY, applyAlert, upsertAlert } from './alert-cache';
export { useAlertStream, useCountyTaskStream } from './use-after-stop-stream';
export {
  EPISODES_KEY,
  applyEpisode,
  byEpisodeUrgency,
  episodeKey,
  episodeMatches,
  episodesKey,
  upsertEpisode,
  type EpisodeFilter,
} from './episode-cache';
export { useEpisodeStream } from './use-episode-stream';
