export { AdminError, AppError, openAdmin, verifyAuditTrail, type Admin } from './admin';
export { ConfigError } from '../config';
