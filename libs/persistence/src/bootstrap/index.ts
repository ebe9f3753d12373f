export * from './bootstrap';
export * from './bootstrap.types';
export * from './bootstrap-validation';
export { bootstrapChannelFields, channelFormHash } from './bootstrap-channels';
