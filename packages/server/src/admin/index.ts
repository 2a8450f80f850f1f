export {
  AdminError,
  AppError,
  exportAuditCheckpoints,
  openAdmin,
  verifyAuditTrail,
  verifyAuditTrailAgainst,
  type Admin,
} from './admin';
export { ConfigError } from '../config';
