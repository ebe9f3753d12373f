export * from './bounded-batch.processor';
export * from './conversation-trace';
export * from './finished-span';
export * from './otlp-protobuf-encoder';
export * from './telemetry';
export * from './telemetry-settings';
export * from './trace-context';
