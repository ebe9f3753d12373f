/**
 * OpenAI Chat Completions wire types. Request types describe what the gateway sends and what a valid
 * client body looks like after validation; `Upstream*` types are lenient (every field optional) because
 * OpenAI-compatible providers each omit or add fields.
 * @see https://platform.openai.com/docs/api-reference/chat
 */

export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export type ChatContentPart =
  { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system' | 'developer'; content: string }
  | { role: 'user'; content: string | ChatContentPart[] }
  | { role: 'assistant'; content: string | null; refusal?: string; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ChatFunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type ChatToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export type ChatReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ChatFunctionTool[];
  tool_choice?: ChatToolChoice;
  parallel_tool_calls?: boolean;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  reasoning_effort?: ChatReasoningEffort;
  user?: string;
  response_format?: Record<string, unknown>;
}

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

/** Non-stream response the gateway sends to a Chat client. */
export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: {
      role: 'assistant';
      content: string | null;
      refusal: string | null;
      /** DeepSeek's field, which Chat clients that show reasoning already read. */
      reasoning_content?: string;
      tool_calls?: ChatToolCall[];
    };
    finish_reason: ChatFinishReason;
    logprobs: null;
  }>;
  usage?: ChatUsage;
}

export interface ChatChunkToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

/** Stream chunk the gateway sends to a Chat client. */
export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: {
      role?: 'assistant';
      content?: string;
      reasoning_content?: string;
      refusal?: string;
      tool_calls?: ChatChunkToolCallDelta[];
    };
    finish_reason: ChatFinishReason | null;
    logprobs?: null;
  }>;
  usage?: ChatUsage | null;
}

/** Usage as upstreams report it; DeepSeek adds `prompt_cache_hit_tokens` beside OpenAI's details. */
export interface UpstreamChatUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
  prompt_cache_hit_tokens?: number;
}

export interface UpstreamChatToolCall {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string | Record<string, unknown> };
}

/** The fields of an upstream message or delta the gateway reads. */
export interface UpstreamChatMessage {
  role?: string;
  content?: string | null;
  reasoning_content?: string | null;
  /** OpenRouter, vLLM and others name DeepSeek's `reasoning_content` just `reasoning`. */
  reasoning?: string | null;
  refusal?: string | null;
  tool_calls?: UpstreamChatToolCall[] | null;
}

export interface UpstreamChatCompletion {
  id?: string;
  model?: string;
  created?: number;
  choices?: Array<{ index?: number; message?: UpstreamChatMessage; finish_reason?: string | null }>;
  usage?: UpstreamChatUsage | null;
}

export interface UpstreamChatChunk {
  id?: string;
  model?: string;
  created?: number;
  choices?: Array<{
    index?: number;
    delta?: UpstreamChatMessage;
    finish_reason?: string | null;
    /** Moonshot puts the final usage inside the choice instead of at the top level. */
    usage?: UpstreamChatUsage | null;
  }>;
  usage?: UpstreamChatUsage | null;
  /** Some providers (and OpenAI itself) report a failure mid-stream as a chunk with only `error`. */
  error?: { message?: string; type?: string; code?: string | number | null } | string;
}
