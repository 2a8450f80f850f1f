export * from './kinds';
export * from './lifecycle';
