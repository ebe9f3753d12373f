export * from './client-wire';
export * from './upstream-wire';
export * from './passthrough';
export { apiKeyFromHeaders } from './api-key';
export { editedBody, foldedKey } from './json-member';
export * from './byte-codes';
export * from './model-catalog';
