export * from './model-profile';
export * from './routing-table';
export * from './conversation-key';
export * from './rule-validation';
