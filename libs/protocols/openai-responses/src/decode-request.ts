import type { IrItem, IrReasoningEffort, IrRequest } from '@gw/ir';
import { additionalToolsOf, decodeInput } from './decode-input-items';
import { decodeTools, decodeToolChoice } from './decode-tools';
import {
  invalidRequest,
  isJsonObject,
  optionalBoolean,
  optionalNumberInRange,
  optionalObject,
  optionalPositiveInteger,
  optionalString,
  requiredString,
} from '@gw/ir';

/**
 * Client `POST /v1/responses` body → IR. Validates what it reads (400 with `param`); `store`, `include`,
 * `client_metadata`, `truncation`, `service_tier` and other fields with no IR meaning are accepted and ignored.
 * `previous_response_id` and `conversation` are refused: the gateway stores nothing, so honouring them is
 * impossible and ignoring them would silently answer without the conversation.
 */
export function decodeResponsesRequest(body: unknown): IrRequest {
  if (!isJsonObject(body)) throw invalidRequest('The request body must be a JSON object', 'body');
  for (const stateful of ['previous_response_id', 'conversation'] as const) {
    if (body[stateful] !== undefined && body[stateful] !== null) {
      throw invalidRequest(`'${stateful}' is not supported by this gateway: send the whole conversation in 'input'`, stateful);
    }
  }

  const items: IrItem[] = [];
  const instructions = optionalString(body.instructions, 'instructions');
  if (instructions !== undefined && instructions !== '') {
    items.push({ kind: 'message', role: 'system', content: [{ type: 'text', text: instructions }] });
  }
  items.push(...decodeInput(body.input));
  if (items.length === 0) throw invalidRequest("'input' is required", 'input');

  const stream = optionalBoolean(body.stream, 'stream') ?? false;
  const request: IrRequest = {
    model: requiredString(body.model, 'model'),
    items,
    tools: [...decodeTools(body.tools), ...decodeTools(additionalToolsOf(body.input))],
    stream,
  };
  // Responses streams always end with usage, so a client of this protocol always expects it.
  if (stream) request.includeUsageInStream = true;

  const toolChoice = decodeToolChoice(body.tool_choice);
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  const parallelToolCalls = optionalBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  if (parallelToolCalls !== undefined) request.parallelToolCalls = parallelToolCalls;
  const maxOutputTokens = optionalPositiveInteger(body.max_output_tokens, 'max_output_tokens');
  if (maxOutputTokens !== undefined) request.maxOutputTokens = maxOutputTokens;
  const temperature = optionalNumberInRange(body.temperature, 'temperature', 0, 2);
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalNumberInRange(body.top_p, 'top_p', 0, 1);
  if (topP !== undefined) request.topP = topP;
  const reasoning = decodeReasoningConfig(body.reasoning);
  if (reasoning !== undefined) request.reasoning = reasoning;
  // `safety_identifier` replaced `user` in the Responses API; either identifies the end user.
  const user = optionalString(body.user, 'user') ?? optionalString(body.safety_identifier, 'safety_identifier');
  if (user !== undefined) request.user = user;
  const metadata = decodeMetadata(body.metadata);
  if (metadata !== undefined) request.metadata = metadata;
  const promptCacheKey = optionalString(body.prompt_cache_key, 'prompt_cache_key');
  if (promptCacheKey !== undefined) request.promptCacheKey = promptCacheKey;
  const text = optionalObject(body.text, 'text');
  const format = optionalObject(text?.format, 'text.format');
  if (format !== undefined) request.responseFormat = format;
  return request;
}

const EFFORTS: Record<string, IrReasoningEffort> = {
  minimal: 'minimal',
  low: 'low',
  medium: 'medium',
  high: 'high',
  // Newer efforts the IR cannot name map to the nearest one it can rather than failing the request.
  none: 'minimal',
  xhigh: 'high',
};

function decodeReasoningConfig(value: unknown): IrRequest['reasoning'] {
  const reasoning = optionalObject(value, 'reasoning');
  if (reasoning === undefined) return undefined;
  const result: NonNullable<IrRequest['reasoning']> = {};
  const effort = optionalString(reasoning.effort, 'reasoning.effort');
  if (effort !== undefined) {
    const mapped = EFFORTS[effort];
    if (mapped === undefined)
      throw invalidRequest(`'reasoning.effort' must be one of ${Object.keys(EFFORTS).join(', ')}`, 'reasoning.effort');
    result.effort = mapped;
  }
  const summary =
    optionalString(reasoning.summary, 'reasoning.summary') ?? optionalString(reasoning.generate_summary, 'reasoning.generate_summary');
  if (summary !== undefined) {
    if (summary !== 'auto' && summary !== 'concise' && summary !== 'detailed') {
      throw invalidRequest("'reasoning.summary' must be one of auto, concise, detailed", 'reasoning.summary');
    }
    result.summary = summary;
  }
  return result;
}

function decodeMetadata(value: unknown): Record<string, string> | undefined {
  const metadata = optionalObject(value, 'metadata');
  if (metadata === undefined) return undefined;
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(metadata)) {
    if (typeof entry !== 'string') throw invalidRequest(`'metadata.${key}' must be a string`, `metadata.${key}`);
    result[key] = entry;
  }
  return result;
}
