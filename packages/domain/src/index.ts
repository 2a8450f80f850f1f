export * from './platform/index';
export * from './validators/index';
