import {
  invalidRequest,
  isJsonObject,
  optionalArray,
  optionalBoolean,
  optionalNumberInRange,
  optionalObject,
  optionalPositiveInteger,
  optionalString,
  requiredString,
  type IrItem,
  type IrReasoningEffort,
  type IrRequest,
  type IrTool,
  type IrToolChoice,
} from '@gw/ir';
import { decodeMessage } from './decode-content';
import { anthropicData } from './provider-data';

/** Top-level fields read into the IR; every other field is carried verbatim under the Anthropic issuer. */
const READ_FIELDS = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'thinking',
  'output_config',
  'metadata',
]);

/** Anthropic's `effort` levels → IR; `max` has no IR level above `high`. */
const EFFORTS: Record<string, IrReasoningEffort> = { low: 'low', medium: 'medium', high: 'high', max: 'high' };

/**
 * Client `POST /v1/messages` body → IR, validated strictly enough for a protocol-correct 400 naming the field.
 * Nothing is dropped silently: fields with no IR meaning (`context_management`, `container`, `mcp_servers`,
 * `service_tier`, the `output_config` members other than `effort`, ...) ride along in `providerData.anthropic`,
 * which an Anthropic upstream gets back and every other encoder reports as a warning.
 */
export function decodeAnthropicRequest(body: unknown): IrRequest {
  if (!isJsonObject(body)) throw invalidRequest('The request body must be a JSON object', 'body');
  const items: IrItem[] = [...decodeSystem(body.system)];
  const messages = optionalArray(body.messages, 'messages');
  if (messages === undefined || messages.length === 0) throw invalidRequest("'messages' must be a non-empty array", 'messages');
  messages.forEach((message, index) => items.push(...decodeMessage(message, `messages[${index}]`)));

  const maxTokens = optionalPositiveInteger(body.max_tokens, 'max_tokens');
  if (maxTokens === undefined) throw invalidRequest("'max_tokens' is required and must be a positive integer", 'max_tokens');
  const stream = optionalBoolean(body.stream, 'stream') ?? false;
  const request: IrRequest = {
    model: requiredString(body.model, 'model'),
    items,
    tools: decodeTools(body.tools),
    stream,
    maxOutputTokens: maxTokens,
  };
  // Anthropic streams always carry usage (message_start and message_delta).
  if (stream) request.includeUsageInStream = true;

  const { toolChoice, parallelToolCalls } = decodeToolChoice(body.tool_choice);
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  if (parallelToolCalls !== undefined) request.parallelToolCalls = parallelToolCalls;
  const temperature = optionalNumberInRange(body.temperature, 'temperature', 0, 1);
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalNumberInRange(body.top_p, 'top_p', 0, 1);
  if (topP !== undefined) request.topP = topP;
  const topK = optionalPositiveInteger(body.top_k, 'top_k');
  if (topK !== undefined) request.topK = topK;
  const stop = decodeStopSequences(body.stop_sequences);
  if (stop !== undefined) request.stop = stop;

  const outputConfig = optionalObject(body.output_config, 'output_config');
  const reasoning = decodeReasoning(body.thinking, outputConfig?.effort);
  if (reasoning !== undefined) request.reasoning = reasoning;
  const user = optionalString(optionalObject(body.metadata, 'metadata')?.user_id, 'metadata.user_id');
  if (user !== undefined) request.user = user;

  const carried: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!READ_FIELDS.has(key) && value !== undefined) carried[key] = value;
  const responseFormat = decodeOutputFormat(outputConfig?.format);
  if (responseFormat !== undefined) request.responseFormat = responseFormat;
  if (outputConfig !== undefined) {
    const read = responseFormat === undefined ? ['effort'] : ['effort', 'format'];
    const rest = Object.fromEntries(Object.entries(outputConfig).filter(([key]) => !read.includes(key)));
    if (Object.keys(rest).length > 0) carried.output_config = rest;
  }
  const providerData = anthropicData(carried).providerData;
  if (providerData !== undefined) request.providerData = providerData;
  return request;
}

/**
 * Structured output (`output_config.format: {type:'json_schema', schema}`) as the IR's response format, in
 * Chat's nesting (what every other encoder reads); other formats ride in `providerData` as before.
 */
function decodeOutputFormat(format: unknown): Record<string, unknown> | undefined {
  if (!isJsonObject(format) || format.type !== 'json_schema' || !isJsonObject(format.schema)) return undefined;
  return { type: 'json_schema', json_schema: { name: 'output', schema: format.schema } };
}

/** `system` as a string or text blocks: one leading system message (block `cache_control` kept per part). */
function decodeSystem(system: unknown): IrItem[] {
  if (system === undefined || system === null) return [];
  if (typeof system === 'string')
    return system === '' ? [] : [{ kind: 'message', role: 'system', content: [{ type: 'text', text: system }] }];
  if (!Array.isArray(system)) throw invalidRequest("'system' must be a string or an array of text blocks", 'system');
  const content = system.map((block: unknown, index) => {
    const param = `system[${index}]`;
    if (!isJsonObject(block) || block.type !== 'text' || typeof block.text !== 'string') {
      throw invalidRequest(`'${param}' must be a text block`, param);
    }
    return { type: 'text' as const, text: block.text, ...anthropicData({ cache_control: block.cache_control }) };
  });
  return content.length === 0 ? [] : [{ kind: 'message', role: 'system', content }];
}

/**
 * Client tools (no `type`, or `custom`) are functions; a tool without properties takes no arguments and
 * stays one. Server tools (`web_search_20250305`, `bash_20250124`, `text_editor_*`, ...) are builtins carried
 * as given: only an Anthropic upstream runs them.
 */
function decodeTools(tools: unknown): IrTool[] {
  const list = optionalArray(tools, 'tools') ?? [];
  return list.map((tool: unknown, index): IrTool => {
    const param = `tools[${index}]`;
    if (!isJsonObject(tool)) throw invalidRequest(`'${param}' must be an object`, param);
    const type = optionalString(tool.type, `${param}.type`);
    if (type !== undefined && type !== 'custom') return { kind: 'builtin', type, original: tool };
    const description = optionalString(tool.description, `${param}.description`);
    const parameters = optionalObject(tool.input_schema, `${param}.input_schema`);
    return {
      kind: 'function',
      name: requiredString(tool.name, `${param}.name`),
      ...(description === undefined ? {} : { description }),
      ...(parameters === undefined ? {} : { parameters }),
      ...anthropicData({ cache_control: tool.cache_control }),
    };
  });
}

function decodeToolChoice(value: unknown): { toolChoice?: IrToolChoice; parallelToolCalls?: boolean } {
  const choice = optionalObject(value, 'tool_choice');
  if (choice === undefined) return {};
  const disableParallel = optionalBoolean(choice.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use');
  const parallel = disableParallel === undefined ? {} : { parallelToolCalls: !disableParallel };
  switch (choice.type) {
    case 'auto':
      return { toolChoice: { mode: 'auto' }, ...parallel };
    case 'any':
      return { toolChoice: { mode: 'required' }, ...parallel };
    case 'none':
      return { toolChoice: { mode: 'none' }, ...parallel };
    case 'tool':
      return { toolChoice: { mode: 'tool', name: requiredString(choice.name, 'tool_choice.name') }, ...parallel };
    default:
      throw invalidRequest("'tool_choice.type' must be 'auto', 'any', 'tool' or 'none'", 'tool_choice.type');
  }
}

function decodeStopSequences(value: unknown): string[] | undefined {
  const list = optionalArray(value, 'stop_sequences');
  if (list === undefined) return undefined;
  if (!list.every((entry): entry is string => typeof entry === 'string')) {
    throw invalidRequest("'stop_sequences' must be an array of strings", 'stop_sequences');
  }
  return list.length === 0 ? undefined : list;
}

/**
 * `thinking: {type: enabled, budget_tokens}` is a fixed budget; `adaptive` lets the model decide, guided by
 * `output_config.effort`; `disabled` asks for none. An effort without thinking still asks for that effort.
 */
function decodeReasoning(thinkingValue: unknown, effortValue: unknown): IrRequest['reasoning'] {
  const thinking = optionalObject(thinkingValue, 'thinking');
  const effortName = optionalString(effortValue, 'output_config.effort');
  let effort: IrReasoningEffort | undefined;
  if (effortName !== undefined) {
    effort = EFFORTS[effortName];
    if (effort === undefined)
      throw invalidRequest(`'output_config.effort' must be one of ${Object.keys(EFFORTS).join(', ')}`, 'output_config.effort');
  }
  const effortPart = effort === undefined ? {} : { effort };
  switch (thinking?.type) {
    case undefined:
      return effort === undefined ? undefined : effortPart;
    case 'disabled':
      return undefined;
    case 'adaptive':
      return effortPart;
    case 'enabled': {
      const budgetTokens = optionalPositiveInteger(thinking.budget_tokens, 'thinking.budget_tokens');
      if (budgetTokens === undefined)
        throw invalidRequest("'thinking.budget_tokens' is required when thinking is enabled", 'thinking.budget_tokens');
      return { ...effortPart, budgetTokens };
    }
    default:
      throw invalidRequest("'thinking.type' must be 'enabled', 'adaptive' or 'disabled'", 'thinking.type');
  }
}
