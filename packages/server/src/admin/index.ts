export { AdminError, AppError, openAdmin, verifyAuditTrail, type Admin } from './admin';
export {
  BackupError,
  backupEmbedded,
  restoreEmbedded,
  type BackupManifest,
  type BackupResult,
  type RestoreResult,
  type SecretKeyStatus,
} from './backup';
export { ConfigError } from '../config';
