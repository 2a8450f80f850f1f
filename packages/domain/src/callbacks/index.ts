export * from './lifecycle';
export * from './scripts';
