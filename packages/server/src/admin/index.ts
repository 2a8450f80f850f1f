export { AdminError, AppError, openAdmin, verifyAuditTrail, type Admin } from './admin';
export { BackupError, type BackupManifest } from './backup-format';
export { backupEmbedded, type BackupResult } from './backup';
export { restoreEmbedded, type RestoreResult, type SecretKeyStatus } from './restore';
export { ConfigError } from '../config';
