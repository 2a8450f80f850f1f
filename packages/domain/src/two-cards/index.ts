export * from './cards';
export * from './measures';
