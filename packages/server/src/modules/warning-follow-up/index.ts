export { applyEpisodeEvents, startFollowUpConsumer, FOLLOW_UP_CONSUMER } from './follow-up.record';
export { createFollowUpSweep, startFollowUpSweep, type FollowUpSweep } from './follow-up.sweep';
export { followUpRoutes } from './follow-up.routes';
