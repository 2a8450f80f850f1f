export * from './clock';
export * from './events';
