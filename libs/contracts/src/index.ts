export * from './subjects';
export * from './auth.contracts';
export * from './routing.contracts';
export * from './trace.contracts';
export * from './tokens';
export * from './admin.contracts';
export * from './users.contracts';
