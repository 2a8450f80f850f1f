export * from './grading';
export * from './episode';
export * from './persuasion-ladder';
export * from './ladder-machine';
export * from './verification-code';
export * from './screening-hit';
export * from './follow-up';
export * from './carrier-assist';
