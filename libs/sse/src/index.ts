export * from './sse-parser';
export * from './sse-format';
