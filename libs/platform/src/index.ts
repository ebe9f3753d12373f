export * from './bus-client.factory';
export * from './bus-server.factory';
export * from './platform.module';
export * from './database.module';
export * from './redis.provider';
export * from './logger';
export * from './run-bus-service';
export * from './jetstream';
