import { flattenToolName, type IrContentPart, type IrRequest, type IrToolResultPart } from '@gw/ir';
import { SKIP_SIGNATURE_VALIDATION } from '@gw/protocol-gemini';

/**
 * What a request asks, in terms every protocol can be compared in. Tool-call ids are replaced by the call's
 * position (a protocol without ids pairs results with calls by order), reasoning text by its squeezed text.
 */
export interface RequestFacts {
  /** Text by role group, in order of appearance (system and developer are one group: the instructions). */
  instructions: string;
  user: string;
  assistant: string;
  images: string[];
  reasoning: string;
  /** Issuers whose opaque reasoning state the request replays (on reasoning items or tool calls). */
  reasoningState: string[];
  toolCalls: { call: string; name: string; arguments: unknown }[];
  toolResults: { call: string; text: string; images: string[]; isError: boolean }[];
  tools: string[];
  /** Each function tool's parameter names; `freeform` for a freeform tool (sent as a one-string function elsewhere). */
  toolParameters: Record<string, string>;
  toolChoice: string;
  stop: string[];
  responseFormat: string;
  maxOutputTokens: number | undefined;
  temperature: number | undefined;
}

/** The format's type and schema, wherever its protocol nests the schema (Chat `json_schema.schema`, Responses `schema`). */
function responseFormatFact(format: Record<string, unknown> | undefined): string {
  if (format === undefined || format.type === 'text') return 'text';
  const nested = format.json_schema;
  const schema = typeof nested === 'object' && nested !== null ? (nested as { schema?: unknown }).schema : format.schema;
  return `${String(format.type)} ${JSON.stringify(schema ?? null)}`;
}

function imageKey(part: IrContentPart | IrToolResultPart): string | undefined {
  if (part.type !== 'image') return undefined;
  return part.source.type === 'url' ? `url ${part.source.url}` : `${part.source.mediaType} ${part.source.data.slice(0, 24)}`;
}

/**
 * A text result as Gemini must send it (`functionResponse.response` is an object: `{"output": text}`, or
 * `{"error": text}` for a failed tool, Google's convention) is the same result.
 */
function unwrappedResult(text: string): { text: string; isError: boolean } {
  if (!text.startsWith('{')) return { text, isError: false };
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const keys = Object.keys(value);
    if (keys.length === 1 && typeof value.output === 'string') return { text: value.output, isError: false };
    if (keys.length === 1 && typeof value.error === 'string') return { text: value.error, isError: true };
  } catch {
    // not JSON: a text result
  }
  return { text, isError: false };
}

function argumentsValue(text: string): unknown {
  try {
    return JSON.parse(text === '' ? '{}' : text) as unknown;
  } catch {
    return text;
  }
}

export function requestFacts(request: IrRequest): RequestFacts {
  const facts: RequestFacts = {
    instructions: '',
    user: '',
    assistant: '',
    images: [],
    reasoning: '',
    reasoningState: [],
    toolCalls: [],
    toolResults: [],
    tools: request.tools
      .map((tool) => (tool.kind === 'function' ? flattenToolName(tool.name, tool.namespace) : `builtin ${tool.type}`))
      .sort(),
    toolParameters: Object.fromEntries(
      request.tools.flatMap((tool) =>
        tool.kind !== 'function'
          ? []
          : [
              [
                flattenToolName(tool.name, tool.namespace),
                tool.freeform !== undefined
                  ? 'freeform'
                  : Object.keys((tool.parameters?.properties as object | undefined) ?? {})
                      .sort()
                      .join(','),
              ],
            ],
      ),
    ),
    toolChoice:
      request.toolChoice === undefined
        ? 'default'
        : request.toolChoice.mode === 'tool'
          ? `tool ${flattenToolName(request.toolChoice.name, request.toolChoice.namespace)}`
          : request.toolChoice.mode,
    stop: request.stop ?? [],
    responseFormat: responseFormatFact(request.responseFormat),
    maxOutputTokens: request.maxOutputTokens,
    temperature: request.temperature,
  };
  const callPositions = new Map<string, string>();
  const callOf = (callId: string): string => {
    const known = callPositions.get(callId);
    if (known !== undefined) return known;
    const position = `call#${callPositions.size}`;
    callPositions.set(callId, position);
    return position;
  };
  const addState = (providerData: object | undefined, keys: readonly string[]): void => {
    for (const [issuer, data] of Object.entries(providerData ?? {})) {
      // Gemini's documented stand-in for a missing signature is no reasoning state.
      const opaque = Object.entries(data as object).some(([key, value]) => keys.includes(key) && value !== SKIP_SIGNATURE_VALIDATION);
      if (opaque && !facts.reasoningState.includes(issuer)) facts.reasoningState.push(issuer);
    }
  };
  for (const item of request.items) {
    switch (item.kind) {
      case 'message': {
        // Whitespace squeezed: protocols join consecutive instructions and text parts with their own separators.
        const text = item.content
          .map((part) => (part.type === 'text' ? part.text : ''))
          .join('')
          .replace(/\s+/g, '');
        if (item.role === 'system' || item.role === 'developer') facts.instructions += text;
        else facts[item.role] += text;
        for (const part of item.content) {
          const image = imageKey(part);
          if (image !== undefined) facts.images.push(image);
        }
        break;
      }
      case 'reasoning':
        facts.reasoning += ((item.text ?? '') + (item.summary ?? []).join('')).replace(/\s+/g, '');
        addState(item.providerData, REASONING_STATE_KEYS);
        break;
      case 'tool_call':
        facts.toolCalls.push({
          call: callOf(item.callId),
          name: flattenToolName(item.name, item.namespace),
          arguments: argumentsValue(item.arguments),
        });
        addState(item.providerData, REASONING_STATE_KEYS);
        break;
      case 'tool_result': {
        const result = unwrappedResult(item.content.map((part) => (part.type === 'text' ? part.text : '')).join(''));
        facts.toolResults.push({
          call: callOf(item.callId),
          text: result.text,
          images: item.content.flatMap((part) => imageKey(part) ?? []),
          isError: item.isError === true || result.isError,
        });
        break;
      }
    }
  }
  facts.reasoningState.sort();
  return facts;
}

/** The provider-data members that are reasoning state (not hints like `cache_control`). */
export const REASONING_STATE_KEYS = ['signature', 'redactedData', 'data', 'encryptedContent', 'thoughtSignature'];
