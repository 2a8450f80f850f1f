export * from './fraud-types';
