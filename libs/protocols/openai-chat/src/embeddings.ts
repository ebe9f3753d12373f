import { invalidRequest, isJsonObject, nonEmptyString, optionalPositiveInteger, optionalString, type IrRequest } from '@gw/ir';
import { apiKeyFromHeaders, type ClientWire, type PassthroughHooks, editedBody } from '@gw/wire';
import { openAiChatClientWire, openAiErrorResponse } from './wire';
import { decodeChatUsage } from './usage';

/** `input` as OpenAI takes it: a string, an array of strings, an array of tokens, or an array of token arrays. */
function isEmbeddingInput(input: unknown): boolean {
  if (typeof input === 'string') return input !== '';
  if (!Array.isArray(input) || input.length === 0) return false;
  const isTokens = (value: unknown): boolean => Array.isArray(value) && value.length > 0 && value.every(Number.isInteger);
  return input.every((item) => (typeof item === 'string' ? item !== '' : false)) || input.every(Number.isInteger) || input.every(isTokens);
}

/**
 * An embeddings request → the IR's request summary: the model (for the profile and the routing), never
 * streamed, nothing to translate. The rest of the body goes to the upstream as the client wrote it.
 * @see https://platform.openai.com/docs/api-reference/embeddings/create
 */
export function decodeEmbeddingsRequest(body: unknown): IrRequest {
  if (!isJsonObject(body)) throw invalidRequest('The request body must be a JSON object.', 'body');
  const model = nonEmptyString(body.model);
  if (model === undefined || model.trim() === '') throw invalidRequest("'model' is required and must be a non-empty string.", 'model');
  if (!isEmbeddingInput(body.input)) {
    throw invalidRequest("'input' must be a non-empty string, an array of strings, or an array of token arrays.", 'input');
  }
  const format = optionalString(body.encoding_format ?? undefined, 'encoding_format');
  if (format !== undefined && format !== 'float' && format !== 'base64') {
    throw invalidRequest("'encoding_format' must be 'float' or 'base64'.", 'encoding_format');
  }
  optionalPositiveInteger(body.dimensions ?? undefined, 'dimensions');
  return { model, items: [], tools: [], stream: false };
}

const embeddingsPassthrough: PassthroughHooks = {
  upstreamBody: (body, mappedModel, _stream, removed = []) => editedBody(body, { model: mappedModel }, [], removed),
  // `{prompt_tokens, total_tokens}`: Chat's usage without completion tokens.
  usageOf: (answer) => decodeChatUsage(answer.usage),
  identityOf: (answer) => ({ id: undefined, model: answer.model }),
  finishReasonsOf: () => [],
  isErrorAnswer: (answer) => answer.error !== undefined && answer.error !== null && answer.data === undefined,
  // Embeddings are never streamed (the request decoder says so): this is never called.
  createInspector: () => ({
    inspectionPoint: () => -1,
    inspect: () => ({ forward: true }),
    completesIn: () => false,
    finishReasonIn: () => undefined,
  }),
};

/**
 * OpenAI embeddings (`POST /v1/embeddings`), served only by channels that speak OpenAI's API (type `openai`):
 * the body goes through with the mapped model, the answer comes back as it came, its usage in the request
 * log. No other channel type can embed through the gateway (ADR 0021): they get an OpenAI-envelope 400.
 */
export const openAiEmbeddingsClientWire: ClientWire = {
  // Codecs a translated answer would need are Chat's; they are never used, as nothing is translated.
  ...openAiChatClientWire,
  name: 'openai-embeddings',
  paths: ['/v1/embeddings'],
  passthroughPath: '/embeddings',
  apiKey: (headers) => apiKeyFromHeaders(headers),
  decodeRequest: (body) => decodeEmbeddingsRequest(body),
  errorResponse: openAiErrorResponse,
  passthrough: embeddingsPassthrough,
};
