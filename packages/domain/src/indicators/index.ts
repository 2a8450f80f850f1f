export * from './indicator-kind';
export * from './phone.normaliser';
export * from './domain.normaliser';
export * from './app.normaliser';
export * from './social-account.normaliser';
export * from './bank-account.normaliser';
export * from './hash64';
export * from './indicator-table';
