export * from './errors';
export * from './health';
export * from './auth';
export * from './users';
export * from './audit';
export * from './client';
