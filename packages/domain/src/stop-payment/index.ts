export * from './lifecycle';
export * from './legal-timers';
