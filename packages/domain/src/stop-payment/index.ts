export * from './lifecycle';
export * from './legal-timers';
export * from './bank-instruction';
export * from './answer-rules';
export * from './cascade';
export * from './instruction-deadline';
