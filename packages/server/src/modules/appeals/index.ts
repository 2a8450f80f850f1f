// Appeals (申诉): filed on the public form, reviewed and decided by two people; a grant delists and lifts.
export { appealRoutes } from './appeals.routes';
export { createAppealsService, startAppealSweep, type AppealsService } from './appeals.service';
export { APPEALS_CONSUMER, applyAppealEvents, startAppealsConsumer } from './appeals.consumer';
