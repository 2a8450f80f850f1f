export * from './roles';
export * from './masking';
