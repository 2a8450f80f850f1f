export * from './link-rules';
export * from './union-find';
export * from './link-plan';
export * from './decisions';
export * from './profile';
