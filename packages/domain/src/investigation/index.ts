export * from './money-graph';
export { AccountTable } from './account-table';
