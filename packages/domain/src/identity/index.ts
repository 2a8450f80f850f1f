export * from './roles';
export * from './masking';
export * from './refusal-bursts';
