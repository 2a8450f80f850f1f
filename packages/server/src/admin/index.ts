export { AdminError, AppError, openAdmin, type Admin } from './admin';
export { ConfigError } from '../config';
