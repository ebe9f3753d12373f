/** One finished request, published fire-and-forget by ingress, written as one request-log row by trace. */
export interface RequestFinishedEvent {
  requestId: string;
  projectId: string | null;
  apiKeyId: string | null;
  /** Conversation (trace) key resolved from headers; null when the request stands alone. */
  conversationKey: string | null;
  /** Where the conversation key came from: a header name, or `prompt_cache_key`. */
  conversationSource: string | null;
  threadKey: string | null;
  clientProtocol: string;
  endpoint: string;
  stream: boolean;
  requestedModel: string | null;
  mappedModel: string | null;
  /**
   * What the channel's upstream was asked for: `mappedModel` through the channel's `model_map` (an Azure
   * deployment). Optional: an ingress older than model maps does not send it (the row then holds null).
   */
  upstreamModel?: string | null;
  channelName: string | null;
  status: number;
  errorCode: string | null;
  errorMessage: string | null;
  /** ISO 8601. */
  startedAt: string;
  latencyMs: number;
  /** Time to first byte of the answer sent to the client (streams), null otherwise. */
  ttftMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  cachedInputTokens: number | null;
  reasoningTokens: number | null;
  warnings: string[];
  /** The bodies, when prompt and response capture was on for this request (absent otherwise). */
  capture?: CapturedBodies;
}

/**
 * A request's body as the client sent it and its answer as the client received it (a stream: the SSE text),
 * each cut at `server.trace.capture.max_body_bytes` and redacted before they leave ingress.
 */
export interface CapturedBodies {
  request: string;
  response: string;
  requestTruncated: boolean;
  responseTruncated: boolean;
}
