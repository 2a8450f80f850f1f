export * from './age-bands';
export * from './weeks';
export * from './brief';
export * from './campaign';
