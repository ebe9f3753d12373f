export * from './preset';
export * from './registry';
export * from './resolve-channel';
export * from './channel-options';
export * from './request-quirks';
