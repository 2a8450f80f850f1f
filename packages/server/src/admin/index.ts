export {
  AdminError,
  AppError,
  exportAuditCheckpoints,
  openAdmin,
  verifyAuditTrail,
  verifyAuditTrailAgainst,
  type Admin,
} from './admin';
export { BackupError, type BackupManifest } from './backup-format';
export { backupEmbedded, type BackupResult } from './backup';
export { restoreEmbedded, type RestoreResult, type SecretKeyStatus } from './restore';
export { ConfigError } from '../config';
export { type ReplayProgress } from './signals-replay';
export { replaySignals } from './signals-replay.nats';
