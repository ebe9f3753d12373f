export * from './exposition';
export * from './label-sets';
export * from './metric-families';
export * from './metrics-registry';
