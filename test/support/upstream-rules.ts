import type { RecordedRequest, ReplayTiming, UpstreamHandler, UpstreamReply } from './fake-upstream';
import {
  chatTextJson,
  chatTextSse,
  chatToolCallJson,
  chatToolCallSse,
  geminiTextJson,
  geminiTextSse,
  geminiToolCallSse,
  responsesTextJson,
  responsesTextSse,
  responsesToolCallSse,
  type ToolCallTemplate,
} from './templated-replay';

/** Gemini's two methods under a `gemini` channel's base URL (`.../v1beta`): `/v1beta/models/{model}:{method}`. */
const GEMINI_METHOD = /^\/v1beta\/models\/[^/]+:(generateContent|streamGenerateContent)$/;

/** `generateContent` → false, `streamGenerateContent` → true, another path → undefined. */
export function geminiStreamFlag(request: RecordedRequest): boolean | undefined {
  if (request.method !== 'POST') return undefined;
  const method = GEMINI_METHOD.exec(request.path)?.[1];
  return method === undefined ? undefined : method === 'streamGenerateContent';
}

/**
 * True when the request already carries a tool result (Chat `role: tool`, Responses `function_call_output`,
 * Anthropic `tool_result`, Gemini `functionResponse`).
 */
export function hasToolResult(body: unknown): boolean {
  const contents = (body as { contents?: unknown } | undefined)?.contents;
  if (Array.isArray(contents)) {
    return contents.some((content) => {
      const parts = (content as { parts?: unknown }).parts;
      return Array.isArray(parts) && parts.some((part) => (part as { functionResponse?: unknown }).functionResponse !== undefined);
    });
  }
  const request = body as { messages?: unknown; input?: unknown } | undefined;
  const messages = Array.isArray(request?.messages) ? (request.messages as unknown[]) : [];
  const input = Array.isArray(request?.input) ? (request.input as unknown[]) : [];
  const isChatToolMessage = (message: unknown): boolean => (message as { role?: unknown }).role === 'tool';
  const isAnthropicToolResult = (message: unknown): boolean => {
    const content = (message as { content?: unknown }).content;
    return Array.isArray(content) && content.some((block) => (block as { type?: unknown }).type === 'tool_result');
  };
  const isResponsesToolOutput = (item: unknown): boolean => (item as { type?: unknown }).type === 'function_call_output';
  return messages.some((message) => isChatToolMessage(message) || isAnthropicToolResult(message)) || input.some(isResponsesToolOutput);
}

export interface ToolRoundTripOptions {
  /** The call the upstream asks for first, e.g. `codexExecCommand('echo hi')`. */
  toolCall: ToolCallTemplate;
  /** The assistant text sent once the tool result has come back. */
  answerText: string;
  timing?: ReplayTiming;
}

/**
 * The round-trip rule: no tool result in the request yet -> the templated tool-call recording, else ->
 * the templated text recording. Picks the recording family from the request path and `stream` flag, so
 * it works whichever protocol the gateway speaks to its upstream.
 */
export function toolRoundTrip(options: ToolRoundTripOptions): UpstreamHandler {
  return (request: RecordedRequest): UpstreamReply | undefined => {
    const stream = (request.body as { stream?: unknown } | undefined)?.stream === true;
    const answered = hasToolResult(request.body);
    const timing = options.timing ?? {};
    if (request.method === 'POST' && request.path === '/v1/chat/completions') {
      if (stream) return { ...timing, sse: answered ? chatTextSse(options.answerText) : chatToolCallSse(options.toolCall) };
      return { ...timing, json: answered ? chatTextJson(options.answerText) : chatToolCallJson(options.toolCall) };
    }
    if (request.method === 'POST' && request.path === '/v1/responses') {
      if (stream) return { ...timing, sse: answered ? responsesTextSse(options.answerText) : responsesToolCallSse(options.toolCall) };
      if (answered) return { ...timing, json: responsesTextJson(options.answerText) };
      return {
        status: 500,
        error: {
          error: {
            message: 'fake-upstream: no recording of a non-streamed Responses function_call to template from',
            type: 'fake_upstream_error',
          },
        },
      };
    }
    const geminiStream = geminiStreamFlag(request);
    if (geminiStream === true)
      return { ...timing, sse: answered ? geminiTextSse(options.answerText) : geminiToolCallSse(options.toolCall) };
    if (geminiStream === false) {
      if (answered) return { ...timing, json: geminiTextJson(options.answerText) };
      return {
        status: 500,
        error: {
          error: { code: 500, message: 'fake-upstream: no recording of a whole Gemini function call to template from', status: 'INTERNAL' },
        },
      };
    }
    return undefined;
  };
}

/** Always answers with the templated text recording of the request's protocol (a unique string to look for). */
export function textAnswer(answerText: string, timing: ReplayTiming = {}): UpstreamHandler {
  return (request) => {
    const stream = (request.body as { stream?: unknown } | undefined)?.stream === true;
    if (request.method === 'POST' && request.path === '/v1/chat/completions') {
      return stream ? { ...timing, sse: chatTextSse(answerText) } : { ...timing, json: chatTextJson(answerText) };
    }
    if (request.method === 'POST' && request.path === '/v1/responses') {
      return stream ? { ...timing, sse: responsesTextSse(answerText) } : { ...timing, json: responsesTextJson(answerText) };
    }
    const geminiStream = geminiStreamFlag(request);
    if (geminiStream !== undefined) {
      return geminiStream ? { ...timing, sse: geminiTextSse(answerText) } : { ...timing, json: geminiTextJson(answerText) };
    }
    return undefined;
  };
}
