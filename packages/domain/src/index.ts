export * from './platform/index';
export * from './validators/index';
export * from './identity/index';
