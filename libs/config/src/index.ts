export * from './gateway-config';
export * from './load-config';
