export * from './platform/index';
export * from './validators/index';
export * from './identity/index';
export * from './reports/index';
export * from './stop-payment/index';
export * from './tasks/index';
export * from './freezes/index';
