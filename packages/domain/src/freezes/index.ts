export * from './freeze-rules';
