export * from './cards';
export * from './measures';
export * from './import-rows';
export * from './instructions';
