export * from './anthropic.schema';
export { decodeAnthropicRequest } from './decode-request';
export { encodeAnthropicRequest, DEFAULT_MAX_TOKENS, type EncodedAnthropicRequest } from './encode-request';
export { decodeAnthropicResponse } from './decode-response';
export { encodeAnthropicResponse } from './encode-response';
export { AnthropicStreamDecoder } from './stream-decoder';
export { AnthropicStreamEncoder } from './stream-encoder';
export { anthropicErrorFor, decodeAnthropicUpstreamError, decodeAnthropicStreamError } from './errors';
export { anthropicStopReasonToIr, irFinishReasonToAnthropic } from './stop-reason';
export { mergeAnthropicUsage, encodeAnthropicUsage } from './usage';
export {
  ANTHROPIC_ISSUER,
  ANTHROPIC_BLOCK_KEY,
  FOREIGN_SIGNATURE_PREFIX,
  foreignSignature,
  providerDataFromSignature,
} from './provider-data';
export { anthropicModel, anthropicModelList, anthropicModelCatalog, type AnthropicModelInfo, type AnthropicModelList } from './models';
export { anthropicClientWire, anthropicUpstreamWire, ANTHROPIC_VERSION } from './wire';
