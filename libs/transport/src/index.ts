export * from './in-process-broker';
export * from './in-process.server';
export * from './in-process.client';
export * from './bus-request';
