export * from './api-key.store';
export * from './routing.store';
export * from './request-log.store';
export * from './request-log-rows';
export * from './row-errors';
export * from './request-log-bodies.store';
