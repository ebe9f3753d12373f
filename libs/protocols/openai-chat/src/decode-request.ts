import {
  invalidRequest,
  type IrReasoningEffort,
  type IrRequest,
  type IrTool,
  type IrToolChoice,
  isJsonObject,
  nonEmptyString,
} from '@gw/ir';
import { decodeChatMessages } from './decode-messages';

const REASONING_EFFORTS: readonly IrReasoningEffort[] = ['minimal', 'low', 'medium', 'high'];

/**
 * Client Chat Completions body → IR. Validates what the gateway reads and answers a malformed body with
 * `invalid_request` naming the field (OpenAI's `param`); fields it does not read are ignored.
 * `null` is treated as absent everywhere: SDKs in several languages serialize unset options as null.
 */
export function decodeChatRequest(body: unknown): IrRequest {
  if (!isJsonObject(body)) throw invalidRequest('The request body must be a JSON object.', 'body');
  const model = nonEmptyString(body.model);
  if (model === undefined || model.trim() === '') {
    throw invalidRequest("'model' is required and must be a non-empty string.", 'model');
  }
  const field = (key: string): unknown => (body[key] === null ? undefined : body[key]);

  const n = field('n');
  if (n !== undefined && n !== 1) {
    // The IR carries one answer; silently returning one of n would be worse than saying so.
    throw invalidRequest("Only 'n': 1 is supported.", 'n');
  }

  const ir: IrRequest = {
    model,
    items: decodeChatMessages(body.messages),
    tools: decodeTools(field('tools')),
    stream: readBoolean(field('stream'), 'stream') ?? false,
  };

  const toolChoice = decodeToolChoice(field('tool_choice'));
  if (toolChoice !== undefined) ir.toolChoice = toolChoice;
  const parallelToolCalls = readBoolean(field('parallel_tool_calls'), 'parallel_tool_calls');
  if (parallelToolCalls !== undefined) ir.parallelToolCalls = parallelToolCalls;

  const streamOptions = field('stream_options');
  if (streamOptions !== undefined) {
    if (!isJsonObject(streamOptions)) throw invalidRequest("'stream_options' must be an object.", 'stream_options');
    const includeUsage = readBoolean(streamOptions.include_usage ?? undefined, 'stream_options.include_usage');
    if (includeUsage !== undefined) ir.includeUsageInStream = includeUsage;
  }

  // `max_completion_tokens` replaced `max_tokens` (which reasoning models reject); a client may send either.
  const maxOutputTokens =
    readPositiveInteger(field('max_completion_tokens'), 'max_completion_tokens') ?? readPositiveInteger(field('max_tokens'), 'max_tokens');
  if (maxOutputTokens !== undefined) ir.maxOutputTokens = maxOutputTokens;

  const temperature = readNumber(field('temperature'), 'temperature');
  if (temperature !== undefined) ir.temperature = temperature;
  const topP = readNumber(field('top_p'), 'top_p');
  if (topP !== undefined) ir.topP = topP;
  const stop = decodeStop(field('stop'));
  if (stop !== undefined) ir.stop = stop;

  const effort = field('reasoning_effort');
  if (effort !== undefined) {
    if (!REASONING_EFFORTS.includes(effort as IrReasoningEffort)) {
      throw invalidRequest(`'reasoning_effort' must be one of ${REASONING_EFFORTS.map((e) => `'${e}'`).join(', ')}.`, 'reasoning_effort');
    }
    ir.reasoning = { effort: effort as IrReasoningEffort };
  }

  const user = field('user');
  if (user !== undefined) {
    if (typeof user !== 'string') throw invalidRequest("'user' must be a string.", 'user');
    ir.user = user;
  }
  const metadata = decodeMetadata(field('metadata'));
  if (metadata !== undefined) ir.metadata = metadata;

  const responseFormat = field('response_format');
  if (responseFormat !== undefined) {
    if (!isJsonObject(responseFormat) || typeof responseFormat.type !== 'string') {
      throw invalidRequest("'response_format' must be an object with a string 'type'.", 'response_format');
    }
    ir.responseFormat = responseFormat;
  }
  return ir;
}

function decodeTools(tools: unknown): IrTool[] {
  if (tools === undefined) return [];
  if (!Array.isArray(tools)) throw invalidRequest("'tools' must be an array.", 'tools');
  return tools.map((tool, index): IrTool => {
    const param = `tools[${index}]`;
    if (!isJsonObject(tool) || typeof tool.type !== 'string') {
      throw invalidRequest(`'${param}' must be an object with a string 'type'.`, param);
    }
    if (tool.type !== 'function') return { kind: 'builtin', type: tool.type, original: tool };
    const fn = tool.function;
    if (!isJsonObject(fn)) throw invalidRequest(`'${param}.function' must be an object.`, `${param}.function`);
    const name = nonEmptyString(fn.name);
    if (name === undefined) throw invalidRequest(`'${param}.function.name' must be a non-empty string.`, `${param}.function.name`);
    const decoded: IrTool = { kind: 'function', name };
    if (typeof fn.description === 'string') decoded.description = fn.description;
    if (fn.parameters !== undefined && fn.parameters !== null) {
      if (!isJsonObject(fn.parameters)) {
        throw invalidRequest(`'${param}.function.parameters' must be a JSON Schema object.`, `${param}.function.parameters`);
      }
      decoded.parameters = fn.parameters;
    }
    const strict = readBoolean(fn.strict ?? undefined, `${param}.function.strict`);
    if (strict !== undefined) decoded.strict = strict;
    return decoded;
  });
}

function decodeToolChoice(toolChoice: unknown): IrToolChoice | undefined {
  if (toolChoice === undefined) return undefined;
  if (toolChoice === 'auto' || toolChoice === 'none' || toolChoice === 'required') return { mode: toolChoice };
  if (isJsonObject(toolChoice) && toolChoice.type === 'function' && isJsonObject(toolChoice.function)) {
    const name = nonEmptyString(toolChoice.function.name);
    if (name !== undefined) return { mode: 'tool', name };
  }
  throw invalidRequest(
    '\'tool_choice\' must be \'auto\', \'none\', \'required\' or {"type":"function","function":{"name":...}}.',
    'tool_choice',
  );
}

function decodeStop(stop: unknown): string[] | undefined {
  if (stop === undefined) return undefined;
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop) && stop.every((entry): entry is string => typeof entry === 'string')) return stop;
  throw invalidRequest("'stop' must be a string or an array of strings.", 'stop');
}

function decodeMetadata(metadata: unknown): Record<string, string> | undefined {
  if (metadata === undefined) return undefined;
  if (!isJsonObject(metadata) || !Object.values(metadata).every((value) => typeof value === 'string')) {
    throw invalidRequest("'metadata' must be an object of string values.", 'metadata');
  }
  return metadata as Record<string, string>;
}

function readBoolean(value: unknown, param: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`'${param}' must be a boolean.`, param);
  return value;
}

function readNumber(value: unknown, param: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidRequest(`'${param}' must be a number.`, param);
  return value;
}

function readPositiveInteger(value: unknown, param: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalidRequest(`'${param}' must be a positive integer.`, param);
  }
  return value;
}
