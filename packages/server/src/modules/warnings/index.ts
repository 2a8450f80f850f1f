export { createHitRecorder, type RecordHits, type RecordResult } from './warnings.record';
export { createWarningsConsole, type WarningsConsole } from './warnings.service';
export { warningRoutes } from './warnings.routes';
export {
  createEpisodeSweep,
  createRecordingMessenger,
  startEpisodeSweep,
  type EpisodeSweep,
  type Messenger,
} from './warnings.sweep';
export { cryptoRandom } from './warnings.effects';
export { episodeFollowUpReads, type EpisodeFacts } from './warnings.follow-up.repository';
export { createCarrierDesk, type CarrierDesk } from './warnings.carrier';
export { carrierRoutes } from './warnings.carrier.routes';
export type { IntakeDrafts } from './warnings.service';
