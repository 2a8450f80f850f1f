export * from './clock';
export * from './events';
export * from './working-days';
