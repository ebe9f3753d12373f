export * from './client-wire';
export * from './upstream-wire';
export * from './passthrough';
export { apiKeyFromHeaders } from './api-key';
export { withTopLevelMembers, withoutFoldedVariants, foldedKey, reencodedWith } from './json-member';
export * from './byte-codes';
export * from './model-catalog';
