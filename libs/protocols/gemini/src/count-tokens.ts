import { invalidRequest, isJsonObject, numberOrUndefined, type IrRequest, type WarningCollector } from '@gw/ir';
import type { UpstreamTokenCounter } from '@gw/wire';
import { decodeGeminiRequest } from './decode-request';
import { geminiModelName, geminiModelSegment } from './models';

/**
 * A `countTokens` body → IR. Gemini takes either `contents` alone or a whole `generateContentRequest` (with
 * its system instruction and tools, which count too), never both; the model comes from the URL either way.
 * @see https://ai.google.dev/api/tokens#method:-models.counttokens
 */
export function decodeGeminiCountTokensRequest(body: unknown, model: string, warnings?: WarningCollector): IrRequest {
  if (!isJsonObject(body)) throw invalidRequest('The request body must be a JSON object', 'body');
  const wrapped = body.generateContentRequest;
  if (wrapped === undefined || wrapped === null)
    return decodeGeminiRequest({ contents: body.contents }, { model, stream: false }, warnings);
  if (body.contents !== undefined) throw invalidRequest("Set 'contents' or 'generateContentRequest', not both.", 'contents');
  if (!isJsonObject(wrapped)) throw invalidRequest("'generateContentRequest' must be an object", 'generateContentRequest');
  // Its own `model` names the same model as the URL (Google requires it there); the URL's is the one routed.
  const request = { ...wrapped };
  delete request.model;
  return decodeGeminiRequest(request, { model, stream: false }, warnings);
}

/**
 * A Gemini client's own `countTokens` body for a Gemini channel: as it came, but a `generateContentRequest`
 * names the model again, and that name is the client's (a profile's alias), so it gets the upstream's.
 */
export function geminiCountBodyForUpstream(value: Record<string, unknown>, upstreamModel: string): Record<string, unknown> | undefined {
  const wrapped = value.generateContentRequest;
  if (!isJsonObject(wrapped)) return undefined;
  return { ...value, generateContentRequest: { ...wrapped, model: geminiModelName(upstreamModel) } };
}

/**
 * Channel type `gemini` counts at `{base_url}/models/{model}:countTokens`. A translated request goes as a whole
 * `generateContentRequest` (the model named again, as Google requires), so its system instruction and tools
 * are counted as a `contents`-only body would not.
 */
export const geminiTokenCounter: UpstreamTokenCounter = {
  requestPath: (model) => `/models/${geminiModelSegment(model)}:countTokens`,
  requestBody: (encoded, model) => ({
    generateContentRequest: { ...(isJsonObject(encoded) ? encoded : {}), model: geminiModelName(model) },
  }),
  decodeCount: (answer) => (isJsonObject(answer) ? numberOrUndefined(answer.totalTokens) : undefined),
};
