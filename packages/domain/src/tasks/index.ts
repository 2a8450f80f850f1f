export * from './county-task';
