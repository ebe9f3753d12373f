/**
 * Wire types of the OpenAI Responses API, limited to what this codec reads or writes.
 * Request types describe what we send upstream; client requests are validated field by field in
 * decode-request.ts instead of being trusted to match these types.
 * @see https://platform.openai.com/docs/api-reference/responses
 */

export type JsonObject = Record<string, unknown>;

// ---------------------------------------------------------------- request

export type ResponsesInputContentPart =
  | { type: 'input_text'; text: string }
  | { type: 'output_text'; text: string; annotations?: unknown[] }
  | { type: 'input_image'; image_url: string; detail?: 'auto' | 'low' | 'high' }
  | { type: 'refusal'; refusal: string };

export interface ResponsesInputMessage {
  type: 'message';
  id?: string;
  role: 'system' | 'developer' | 'user' | 'assistant';
  content: ResponsesInputContentPart[];
}

export interface ResponsesFunctionCallItem {
  type: 'function_call';
  id?: string;
  call_id: string;
  name: string;
  /** Set for a tool inside a `namespace` tool; `name` is then the inner tool's name. */
  namespace?: string;
  arguments: string;
  status?: 'in_progress' | 'completed' | 'incomplete';
}

/** A call of a freeform (`custom`) tool: `input` is the raw text the model wrote. */
export interface ResponsesCustomToolCallItem {
  type: 'custom_tool_call';
  id?: string;
  call_id: string;
  name: string;
  namespace?: string;
  input: string;
  status?: 'in_progress' | 'completed' | 'incomplete';
}

export interface ResponsesFunctionCallOutputItem {
  type: 'function_call_output';
  id?: string;
  call_id: string;
  /** A string, or text and image parts (a tool result with images). */
  output: string | ResponsesInputContentPart[];
}

export interface ResponsesSummaryText {
  type: 'summary_text';
  text: string;
}

export interface ResponsesReasoningItem {
  type: 'reasoning';
  id?: string;
  summary: ResponsesSummaryText[];
  encrypted_content?: string | null;
  status?: 'in_progress' | 'completed' | 'incomplete';
}

/** An input item this codec has no IR shape for, forwarded verbatim to a Responses upstream. */
export interface ResponsesPassthroughItem {
  type: string;
  [field: string]: unknown;
}

export type ResponsesInputItem =
  ResponsesInputMessage | ResponsesFunctionCallItem | ResponsesFunctionCallOutputItem | ResponsesReasoningItem | ResponsesPassthroughItem;

export interface ResponsesFunctionTool {
  type: 'function';
  name: string;
  description?: string;
  parameters: JsonObject | null;
  strict: boolean | null;
}

export interface ResponsesNamespaceTool {
  type: 'namespace';
  name: string;
  description: string;
  tools: (ResponsesFunctionTool | JsonObject)[];
}

export type ResponsesTool = ResponsesFunctionTool | ResponsesNamespaceTool | JsonObject;

export type ResponsesToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; name: string };

export interface ResponsesRequest {
  model: string;
  input: ResponsesInputItem[];
  instructions?: string;
  tools?: ResponsesTool[];
  tool_choice?: ResponsesToolChoice;
  parallel_tool_calls?: boolean;
  stream?: boolean;
  max_output_tokens?: number;
  temperature?: number;
  top_p?: number;
  reasoning?: { effort?: string; summary?: string };
  user?: string;
  metadata?: Record<string, string>;
  prompt_cache_key?: string;
  text?: { format: JsonObject };
  store?: boolean;
  include?: string[];
}

// ---------------------------------------------------------------- response

export type ResponsesOutputContentPart =
  { type: 'output_text'; text: string; annotations: unknown[] } | { type: 'refusal'; refusal: string };

export interface ResponsesOutputMessage {
  type: 'message';
  id: string;
  status: 'in_progress' | 'completed' | 'incomplete';
  role: 'assistant';
  content: ResponsesOutputContentPart[];
}

export type ResponsesOutputItem =
  | ResponsesOutputMessage
  | (ResponsesReasoningItem & { id: string })
  | (ResponsesFunctionCallItem & { id: string })
  | (ResponsesCustomToolCallItem & { id: string });

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: string } | null;
  model: string;
  output: ResponsesOutputItem[];
  usage: ResponsesUsage | null;
  parallel_tool_calls: boolean;
  tool_choice: 'auto';
  tools: unknown[];
  metadata: Record<string, string>;
  instructions: null;
  previous_response_id: null;
  store: false;
  text: { format: { type: 'text' } };
  truncation: 'disabled';
}

// ---------------------------------------------------------------- stream events (what the encoder emits)

interface ItemEventBase {
  item_id: string;
  output_index: number;
}

/** Every stream event the encoder writes, without `sequence_number` (added when framed). */
export type ResponsesStreamEventBody =
  | {
      type: 'response.created' | 'response.in_progress' | 'response.completed' | 'response.incomplete' | 'response.failed';
      response: ResponseObject;
    }
  | { type: 'response.output_item.added' | 'response.output_item.done'; output_index: number; item: ResponsesOutputItem }
  | (ItemEventBase & {
      type: 'response.content_part.added' | 'response.content_part.done';
      content_index: number;
      part: ResponsesOutputContentPart;
    })
  | (ItemEventBase & { type: 'response.output_text.delta'; content_index: number; delta: string; logprobs: unknown[] })
  | (ItemEventBase & { type: 'response.output_text.done'; content_index: number; text: string; logprobs: unknown[] })
  | (ItemEventBase & { type: 'response.refusal.delta'; content_index: number; delta: string })
  | (ItemEventBase & { type: 'response.refusal.done'; content_index: number; refusal: string })
  | (ItemEventBase & {
      type: 'response.reasoning_summary_part.added' | 'response.reasoning_summary_part.done';
      summary_index: number;
      part: ResponsesSummaryText;
    })
  | (ItemEventBase & { type: 'response.reasoning_summary_text.delta'; summary_index: number; delta: string })
  | (ItemEventBase & { type: 'response.reasoning_summary_text.done'; summary_index: number; text: string })
  | (ItemEventBase & { type: 'response.function_call_arguments.delta'; delta: string })
  | (ItemEventBase & { type: 'response.function_call_arguments.done'; name: string; arguments: string })
  | (ItemEventBase & { type: 'response.custom_tool_call_input.delta'; delta: string })
  | (ItemEventBase & { type: 'response.custom_tool_call_input.done'; input: string });

export type ResponsesStreamEvent = ResponsesStreamEventBody & { sequence_number: number };
